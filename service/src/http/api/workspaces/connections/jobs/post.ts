import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { initiatorOf } from '../../../../auth/principal.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { jobView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { jobAnswer } from '../../../../contract/answers.ts';

const body = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('pull'),
      /** `full` reads every record; `incremental` those changed since the last pull. */
      mode: z.enum(['full', 'incremental']).default('incremental'),
    })
    .strict(),
  /** Pushes the records new to Salesforce or changed in Pryzm since their last sync. */
  z.object({ kind: z.literal('push') }).strict(),
  /** "Sync now": an incremental pull, then a push. */
  z.object({ kind: z.literal('sync') }).strict(),
]);

export const postJobContract = defineContract({
  summary: 'Queues a pull, push or "Sync now" job',
  body,
  responses: { 202: jobAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/jobs: queues a run now ("Pull
 * from Salesforce", "Push to Salesforce", "Sync now"). 202 with the job; follow it at
 * `/api/workspaces/:workspaceId/jobs/:id`.
 */
export function postJob(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const request = parseInput(postJobContract.body, req.body);
    const job = unwrap(
      await services.syncJobs.start(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        request,
        initiatorOf(req),
      ),
    );
    res.status(202).json(jobView(job));
  });
}
