import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';

export const deleteRecordTypeContract = defineContract({
  summary: 'Deletes a record type that is not built in and has no records',
  responses: { 204: null },
});

/** DELETE /api/workspaces/:workspaceId/record-types/:recordTypeKey (not built-in, no records). */
export function deleteRecordType(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    unwrap(
      await services.recordTypes.delete(param(req, 'workspaceId'), param(req, 'recordTypeKey')),
    );
    res.status(204).end();
  });
}
