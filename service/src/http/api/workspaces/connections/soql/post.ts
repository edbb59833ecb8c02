import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { param } from '../../../params.ts';

export const postSoqlContract = defineContract({
  summary: 'Runs one read-only SOQL SELECT in the org (Admins), counted against its allowance',
  body: z.union([
    z.object({ query: z.string().min(1).max(20_000) }).strict(),
    z.object({ cursor: z.string().min(1).max(100) }).strict(),
  ]),
  responses: {
    200: z.object({
      query: z.string().optional().describe('The SELECT as sent, regenerated from its parse'),
      totalSize: z.number().int(),
      done: z.boolean(),
      records: z.array(z.record(z.string(), z.unknown())),
      nextCursor: z.string().nullable(),
    }),
  },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/soql `{"query":"SELECT …"}`, then
 * `{"cursor":"…"}` for the next batch. 400 `soql_invalid` / `soql_not_read_only` for anything
 * but a plain SELECT (FOR VIEW, FOR REFERENCE, FOR UPDATE and UPDATE … write or lock).
 */
export function postSoql(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const request = parseInput(postSoqlContract.body, req.body);
    const page = unwrap(
      await services.soql.query(param(req, 'workspaceId'), param(req, 'connectionId'), request),
    );
    res.json(page);
  });
}
