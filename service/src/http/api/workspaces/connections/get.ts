import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { connectionView } from '../../../views.ts';
import { param } from '../../params.ts';

/** GET /api/workspaces/:workspaceId/connections */
export function getConnections(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const rows = await services.connections.list(param(req, 'workspaceId'));
    res.json({ data: rows.map(connectionView) });
  });
}
