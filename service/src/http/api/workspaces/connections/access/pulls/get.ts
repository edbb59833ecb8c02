import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { pageAnswer } from '../../../../../contract/paging.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';
import { pullAnswer, pullView } from '../access-views.ts';

const query = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().uuid().optional(),
  })
  .strict();

export const getAccessPullsContract = defineContract({
  summary: "A connection's access pulls, newest first",
  query,
  responses: { 200: pageAnswer(pullAnswer) },
});

/** GET …/connections/:connectionId/access/pulls?limit&cursor */
export function getAccessPulls(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const page = parseInput(getAccessPullsContract.query, req.query);
    const pulls = unwrap(
      await services.access.pulls(param(req, 'workspaceId'), param(req, 'connectionId'), page),
    );
    res.json({ data: pulls.data.map(pullView), nextCursor: pulls.nextCursor });
  });
}
