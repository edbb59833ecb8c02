import type { RequestHandler } from 'express';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { unwrap } from '../../../../../outcome.ts';
import { param } from '../../../../params.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { validationReportAnswer } from '../../../../../contract/answers.ts';

export const postValidateMappingContract = defineContract({
  summary: 'Validates a saved mapping again',
  responses: { 200: validationReportAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId/validate
 * Re-checks a saved mapping against the org as it is now (200 with `valid` and every problem).
 */
export function postValidateMapping(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const report = unwrap(
      await services.mappings.revalidate(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        param(req, 'mappingId'),
      ),
    );
    res.json(report);
  });
}
