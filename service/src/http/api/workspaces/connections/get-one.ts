import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { connectionView } from '../../../views.ts';
import { param } from '../../params.ts';

/** GET /api/workspaces/:workspaceId/connections/:connectionId */
export function getConnection(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const row = unwrap(
      await services.connections.get(param(req, 'workspaceId'), param(req, 'connectionId')),
    );
    res.json(connectionView(row));
  });
}
