import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { mintingKeyOf } from '../../../../auth/principal.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { apiKeyView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { expiresAtSchema } from '../../key-input.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { issuedAccessKeyAnswer } from '../../../access-answers.ts';

const body = z
  .object({ name: z.string().trim().min(1).max(120), expiresAt: expiresAtSchema })
  .strict();

export const postMemberTokenContract = defineContract({
  summary:
    "Mints a personal token acting with the member's role; the secret is shown once (Admins)",
  body,
  responses: { 201: issuedAccessKeyAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/members/:memberId/tokens: a personal token acting with the
 * member's role; its secret is in this response only.
 */
export function postMemberToken(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const input = parseInput(body, req.body);
    const token = unwrap(
      await services.members.issueToken(
        param(req, 'workspaceId'),
        param(req, 'memberId'),
        input,
        mintingKeyOf(req),
      ),
    );
    res.status(201).json({ ...apiKeyView(token), secret: token.secret });
  });
}
