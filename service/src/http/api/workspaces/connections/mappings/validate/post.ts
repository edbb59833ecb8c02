import type { RequestHandler } from 'express';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';
import { z } from 'zod';
import { mappingBody, withoutEnabled } from '../mapping-body.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { validationReportAnswer } from '../../../../../contract/answers.ts';

export const postValidateDraftContract = defineContract({
  summary: 'Checks a draft mapping without saving it',
  // `mappingId`: the saved mapping this draft edits, left out of the "mapped more than once"
  // comparison (else an edit of a saved mapping always collides with itself).
  body: mappingBody.extend({ mappingId: z.string().min(1).optional() }).strict(),
  responses: { 200: validationReportAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/mappings/validate
 * Checks a draft mapping without saving it (200 with `valid` and every problem). With
 * `mappingId`, the draft stands in for that saved mapping.
 */
export function postValidateDraft(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { mappingId, ...body } = parseInput(postValidateDraftContract.body, req.body);
    const workspaceId = param(req, 'workspaceId');
    const connectionId = param(req, 'connectionId');
    // A mappingId that is not this connection's answers 404 mapping_not_found, as the routes
    // that name a mapping in their path do.
    if (mappingId) unwrap(await services.mappings.get(workspaceId, connectionId, mappingId));
    const report = unwrap(
      await services.mappings.check(workspaceId, connectionId, withoutEnabled(body), mappingId),
    );
    res.json(report);
  });
}
