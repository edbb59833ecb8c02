import type { RequestHandler } from 'express';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { ApiError } from '../../../../../errors/api-error.ts';
import { unwrap } from '../../../../../outcome.ts';
import { param } from '../../../../params.ts';
import { pullAnswer, pullView } from '../access-views.ts';

export const getAccessPullContract = defineContract({
  summary: 'One access pull: status, rows and API calls per Salesforce object',
  responses: { 200: pullAnswer },
});

/** GET …/connections/:connectionId/access/pulls/:pullId */
export function getAccessPull(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pull = unwrap(
      await services.access.pull(param(req, 'workspaceId'), param(req, 'pullId')),
    );
    if (pull.connectionId !== param(req, 'connectionId')) {
      throw new ApiError(404, 'access_pull_not_found', `No access pull ${param(req, 'pullId')}`);
    }
    res.json(pullView(pull));
  });
}
