import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { recordTypeView } from '../../../views.ts';
import { param } from '../../params.ts';

/** GET /api/workspaces/:workspaceId/record-types */
export function getRecordTypes(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const rows = await services.recordTypes.list(param(req, 'workspaceId'));
    res.json({ data: rows.map(recordTypeView) });
  });
}
