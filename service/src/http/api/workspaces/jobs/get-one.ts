import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { jobView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { jobAnswer } from '../../../contract/answers.ts';

export const getJobContract = defineContract({
  summary: 'A job: status, per-object progress, counts, calls',
  responses: { 200: jobAnswer },
});

/** GET /api/workspaces/:workspaceId/jobs/:jobId: status, per-object progress, counts, calls. */
export function getJob(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const job = unwrap(await services.syncJobs.get(param(req, 'workspaceId'), param(req, 'jobId')));
    res.json(jobView(job));
  });
}
