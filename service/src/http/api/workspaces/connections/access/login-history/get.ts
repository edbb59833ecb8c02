import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { pageAnswer } from '../../../../../contract/paging.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';
import { loginAnswer, loginView } from '../access-views.ts';
import { loginFilter, loginFilters } from './login-query.ts';

const query = z
  .object({
    ...loginFilters,
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().uuid().optional(),
  })
  .strict();

export const getAccessLoginsContract = defineContract({
  summary: "The org's login history (newest first): failures, source IPs, applications",
  query,
  responses: { 200: pageAnswer(loginAnswer) },
});

/** GET …/connections/:connectionId/access/login-history?userId&status&failed&since&limit&cursor */
export function getAccessLogins(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { limit, cursor, ...filters } = parseInput(getAccessLoginsContract.query, req.query);
    const page = unwrap(
      await services.access.logins(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        loginFilter(filters),
        { limit, cursor },
      ),
    );
    res.json({ data: page.data.map(loginView), nextCursor: page.nextCursor });
  });
}
