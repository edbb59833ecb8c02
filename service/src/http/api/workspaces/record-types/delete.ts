import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { param } from '../../params.ts';

/** DELETE /api/workspaces/:workspaceId/record-types/:recordTypeKey (not built-in, no records). */
export function deleteRecordType(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    unwrap(
      await services.recordTypes.delete(param(req, 'workspaceId'), param(req, 'recordTypeKey')),
    );
    res.status(204).end();
  });
}
