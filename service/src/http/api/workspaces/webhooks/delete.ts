import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { unwrap } from '../../../outcome.ts';
import { param } from '../../params.ts';

export const deleteWebhookContract = defineContract({
  summary: 'Deletes a subscription and its delivery log',
  responses: { 204: null },
});

/** DELETE /api/workspaces/:workspaceId/webhooks/:webhookId */
export function deleteWebhook(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    unwrap(await services.webhooks.delete(param(req, 'workspaceId'), param(req, 'webhookId')));
    res.status(204).end();
  });
}
