import type { RequestHandler } from 'express';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { actorOf } from '../../../../../auth/principal.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { param } from '../../../../params.ts';
import { pullAnswer, pullView, startedBy } from '../access-views.ts';

export const postAccessPullContract = defineContract({
  summary:
    "Starts a pull of the org's users, roles, licences, permissions, groups, logins and tokens",
  responses: { 202: pullAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/access/pulls: pulls now (a pull
 * also runs every `pullIntervalHours` by itself). 202 with the pull; follow it at
 * `…/access/pulls/:pullId`. 409 `access_pull_running` while one runs.
 */
export function postAccessPull(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pull = unwrap(
      await services.access.startPull(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        startedBy(actorOf(req)),
      ),
    );
    res.status(202).json(pullView(pull));
  });
}
