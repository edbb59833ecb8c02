import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { pageAnswer } from '../../../../../contract/paging.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';
import { actionAnswer, actionView } from '../access-views.ts';

const query = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().uuid().optional(),
  })
  .strict();

export const getAccessActionsContract = defineContract({
  summary: "The admin actions taken on a connection's org (and their dry runs), newest first",
  query,
  responses: { 200: pageAnswer(actionAnswer) },
});

/** GET …/connections/:connectionId/access/actions?limit&cursor */
export function getAccessActions(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const page = parseInput(getAccessActionsContract.query, req.query);
    const actions = unwrap(
      await services.accessActions.list(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        page,
      ),
    );
    res.json({ data: actions.data.map(actionView), nextCursor: actions.nextCursor });
  });
}
