import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { mintingKeyOf } from '../../../auth/principal.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { parseInput } from '../../../validation.ts';
import { apiKeyView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { issuedAccessKeyAnswer } from '../../access-answers.ts';
import { expiresAtSchema, roleSchema } from '../key-input.ts';

const body = z
  .object({
    name: z.string().trim().min(1).max(120),
    role: roleSchema.optional(),
    expiresAt: expiresAtSchema,
  })
  .strict();

export const postApiKeyContract = defineContract({
  summary:
    'Creates an API key (its secret is in this answer only); a key minted by a key gets at most its role and expiry and is revoked with it',
  body,
  responses: { 201: issuedAccessKeyAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/api-keys: the secret is in this response only. A key minted
 * by a key gets at most that key's role and expiry, and is revoked with it.
 */
export function postApiKey(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const input = parseInput(postApiKeyContract.body, req.body);
    const key = unwrap(
      await services.workspaces.issueApiKey(param(req, 'workspaceId'), input, mintingKeyOf(req)),
    );
    res.status(201).json({ ...apiKeyView(key), secret: key.secret });
  });
}
