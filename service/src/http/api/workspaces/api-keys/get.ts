import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { apiKeyView } from '../../../views.ts';
import { param } from '../../params.ts';

/** GET /api/workspaces/:workspaceId/api-keys: names and prefixes, never secrets. */
export function getApiKeys(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const keys = await services.workspaces.listApiKeys(param(req, 'workspaceId'));
    res.json({ data: keys.map(apiKeyView) });
  });
}
