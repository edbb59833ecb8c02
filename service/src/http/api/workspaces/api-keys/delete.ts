import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { apiKeyView } from '../../../views.ts';
import { param } from '../../params.ts';

/** DELETE /api/workspaces/:workspaceId/api-keys/:apiKeyId: revokes the key at once. */
export function deleteApiKey(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const key = unwrap(
      await services.workspaces.revokeApiKey(param(req, 'workspaceId'), param(req, 'apiKeyId')),
    );
    res.json(apiKeyView(key));
  });
}
