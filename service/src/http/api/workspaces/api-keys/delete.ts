import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { apiKeyView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { apiKeyAnswer } from '../../../contract/answers.ts';

export const deleteApiKeyContract = defineContract({
  summary: 'Revokes an API key at once',
  responses: { 200: apiKeyAnswer },
});

/** DELETE /api/workspaces/:workspaceId/api-keys/:apiKeyId: revokes the key at once. */
export function deleteApiKey(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const key = unwrap(
      await services.workspaces.revokeApiKey(param(req, 'workspaceId'), param(req, 'apiKeyId')),
    );
    res.json(apiKeyView(key));
  });
}
