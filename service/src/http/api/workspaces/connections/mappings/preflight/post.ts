import type { RequestHandler } from 'express';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { unwrap } from '../../../../../outcome.ts';
import { param } from '../../../../params.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { z } from 'zod';

export const postPreflightContract = defineContract({
  summary: 'Checks every mapping is ready and gives the run order',
  responses: { 200: z.object({ ready: z.boolean(), order: z.array(z.string()) }) },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/mappings/preflight
 * The check every run makes first: all enabled mappings are validated against the org; 422
 * `invalid_mapping` says which mapping and why, otherwise the pull order is returned.
 */
export function postPreflight(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const order = unwrap(
      await services.mappings.prepareRun(param(req, 'workspaceId'), param(req, 'connectionId')),
    );
    res.json({ ready: true, order: order.map((m) => m.salesforceObject) });
  });
}
