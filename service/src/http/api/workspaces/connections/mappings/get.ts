import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { mappingView } from '../../../../views.ts';
import { param } from '../../../params.ts';

/** GET /api/workspaces/:workspaceId/connections/:connectionId/mappings */
export function getMappings(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const rows = unwrap(
      await services.mappings.list(param(req, 'workspaceId'), param(req, 'connectionId')),
    );
    res.json({ data: rows.map(mappingView) });
  });
}
