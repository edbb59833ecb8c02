import type { RequestHandler } from 'express';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';
import { mappingBody, withoutEnabled } from '../mapping-body.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { validationReportAnswer } from '../../../../../contract/answers.ts';

export const postValidateDraftContract = defineContract({
  summary: 'Checks a draft mapping without saving it',
  body: mappingBody,
  responses: { 200: validationReportAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/mappings/validate
 * Checks a draft mapping without saving it (200 with `valid` and every problem).
 */
export function postValidateDraft(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const body = parseInput(postValidateDraftContract.body, req.body);
    const report = unwrap(
      await services.mappings.check(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        withoutEnabled(body),
      ),
    );
    res.json(report);
  });
}
