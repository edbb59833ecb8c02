import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { JOB_KINDS, JOB_STATUSES } from '../../../../sync/jobs/sync-jobs.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { parseInput } from '../../../validation.ts';
import { jobView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { pageAnswer } from '../../../contract/paging.ts';
import { jobAnswer } from '../../../contract/answers.ts';

const query = z
  .object({
    connectionId: z.string().uuid().optional(),
    status: z.enum(JOB_STATUSES).optional(),
    kind: z.enum(JOB_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().uuid().optional(),
  })
  .strict();

export const getJobsContract = defineContract({
  summary: 'Sync jobs, newest first',
  query,
  responses: { 200: pageAnswer(jobAnswer) },
});

/** GET /api/workspaces/:workspaceId/jobs?connectionId&status&kind&limit&cursor: newest first. */
export function getJobs(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { limit, cursor, ...filter } = parseInput(getJobsContract.query, req.query);
    const page = await services.syncJobs.list(param(req, 'workspaceId'), filter, {
      limit,
      cursor,
    });
    res.json({ data: page.jobs.map(jobView), nextCursor: page.nextCursor });
  });
}
