import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { mappingView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { mappingAnswer } from '../../../../contract/answers.ts';

export const getMappingContract = defineContract({
  summary: 'One object mapping',
  responses: { 200: mappingAnswer },
});

/** GET /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId */
export function getMapping(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const row = unwrap(
      await services.mappings.get(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        param(req, 'mappingId'),
      ),
    );
    res.json(mappingView(row));
  });
}
