import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { jobView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { jobAnswer } from '../../../../contract/answers.ts';

export const postCancelJobContract = defineContract({
  summary: 'Asks a job to stop',
  responses: { 202: jobAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/jobs/:jobId/cancel: a queued job is cancelled at once, a
 * running one stops after the page it is on (what it committed stays). 409 once finished.
 */
export function postCancelJob(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const job = unwrap(
      await services.syncJobs.cancel(param(req, 'workspaceId'), param(req, 'jobId')),
    );
    res.status(202).json(jobView(job));
  });
}
