import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { param } from '../../../params.ts';
import { defineContract } from '../../../../contract/route-contract.ts';

export const deleteMappingContract = defineContract({
  summary: 'Deletes an object mapping',
  responses: { 204: null },
});

/** DELETE /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId */
export function deleteMapping(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    unwrap(
      await services.mappings.delete(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        param(req, 'mappingId'),
      ),
    );
    res.status(204).end();
  });
}
