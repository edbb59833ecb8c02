import type { RequestHandler } from 'express';
import { z } from 'zod';
import { actionRequest } from '../../../../../../access/governance/action-requests.ts';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { actorOf } from '../../../../../auth/principal.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';
import { actionAnswer, actionView, startedBy } from '../access-views.ts';

const options = z
  .object({
    /** Shows what would change; nothing is sent that writes. */
    dryRun: z.boolean().default(false),
    /** Required (true) to change the org. */
    confirm: z.boolean().default(false),
  })
  .strict();

export const postAccessActionContract = defineContract({
  summary:
    "Runs (confirm: true) or previews (dryRun: true) an admin action on the org's access; per-user results, Salesforce's own errors",
  body: z.object({ request: actionRequest }).merge(options).strict(),
  responses: { 200: actionAnswer },
});

/**
 * POST …/connections/:connectionId/access/actions with `{ "request": { "action": …, … },
 * "confirm": true }` or `"dryRun": true`. 200 with the recorded action (results per user); 422
 * with Salesforce's error code when every record was refused; 422 `users_cannot_be_deleted`
 * for `delete-user`, with deactivation offered instead.
 */
export function postAccessAction(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { request, dryRun, confirm } = parseInput(postAccessActionContract.body, req.body);
    const action = unwrap(
      await services.accessActions.run(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        request,
        {
          dryRun,
          confirm,
          actor: startedBy(actorOf(req)),
        },
      ),
    );
    res.json(actionView(action));
  });
}
