import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { mappingView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { mappingPatchBody, patched, withoutEnabled } from './mapping-body.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { mappingAnswer } from '../../../../contract/answers.ts';

export const patchMappingContract = defineContract({
  summary: 'Edits an object mapping (validated again)',
  body: mappingPatchBody,
  responses: { 200: mappingAnswer },
});

/**
 * PATCH /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId
 * The edited mapping is validated like a new one; an invalid edit is not saved (422).
 * `"matchRules": null` goes back to the default match rules.
 */
export function patchMapping(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const body = parseInput(patchMappingContract.body, req.body);
    const change = withoutEnabled(body);
    const { row } = unwrap(
      await services.mappings.update(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        param(req, 'mappingId'),
        (current) => patched(current, change),
        body.enabled,
      ),
    );
    res.json(mappingView(row));
  });
}
