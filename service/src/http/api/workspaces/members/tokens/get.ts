import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { apiKeyView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { z } from 'zod';
import { defineContract } from '../../../../contract/route-contract.ts';
import { pageAnswer, pageOfList, pageQuery } from '../../../../contract/paging.ts';
import { parseInput } from '../../../../validation.ts';
import { accessKeyAnswer } from '../../../access-answers.ts';

export const getMemberTokensContract = defineContract({
  summary: "A member's personal tokens: names and prefixes, never secrets (Admins)",
  query: z.object(pageQuery).strict(),
  responses: { 200: pageAnswer(accessKeyAnswer) },
});

/** GET /api/workspaces/:workspaceId/members/:memberId/tokens: names and prefixes, never secrets. */
export function getMemberTokens(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pageRequest = parseInput(getMemberTokensContract.query, req.query);
    const tokens = unwrap(
      await services.members.listTokens(param(req, 'workspaceId'), param(req, 'memberId')),
    );
    const page = pageOfList(tokens, (token) => token.id, pageRequest);
    res.json({ data: page.data.map(apiKeyView), nextCursor: page.nextCursor });
  });
}
