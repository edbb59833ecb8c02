import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { pageAnswer } from '../../../../../contract/paging.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';
import { recordAnswer, recordView } from '../access-views.ts';
import { listFilters, recordFilter } from './list-query.ts';

const query = z
  .object({
    ...listFilters,
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().uuid().optional(),
  })
  .strict();

export const getAccessListContract = defineContract({
  summary:
    'One access list as the last pull read it (users, roles, profiles, user-licences, permission-sets, permission-set-assignments, groups, group-members, oauth-tokens, …), by name',
  query,
  responses: { 200: pageAnswer(recordAnswer) },
});

/** GET …/connections/:connectionId/access/lists/:accessList?userId&targetId&active&name&limit&cursor */
export function getAccessList(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { limit, cursor, ...filters } = parseInput(getAccessListContract.query, req.query);
    const page = unwrap(
      await services.access.list(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        param(req, 'accessList'),
        recordFilter(filters),
        { limit, cursor },
      ),
    );
    res.json({ data: page.data.map(recordView), nextCursor: page.nextCursor });
  });
}
