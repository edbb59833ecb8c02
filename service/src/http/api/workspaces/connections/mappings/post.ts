import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { mappingView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { mappingBody, withoutEnabled } from './mapping-body.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { mappingAnswer } from '../../../../contract/answers.ts';

export const postMappingContract = defineContract({
  summary: 'Creates an object mapping, validated against the org first',
  body: mappingBody,
  responses: { 201: mappingAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/mappings
 * Validated against the org first: 422 `invalid_mapping` with every problem, nothing saved.
 */
export function postMapping(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const body = parseInput(postMappingContract.body, req.body);
    const { row } = unwrap(
      await services.mappings.create(param(req, 'workspaceId'), param(req, 'connectionId'), {
        mapping: withoutEnabled(body),
        enabled: body.enabled,
      }),
    );
    res.status(201).json(mappingView(row));
  });
}
