import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { unwrap } from '../../../outcome.ts';
import { parseInput } from '../../../validation.ts';
import { param } from '../../params.ts';
import { subscriptionBody, webhookAnswer, webhookView } from './webhook-contract.ts';

export const patchWebhookContract = defineContract({
  summary: 'Changes a subscription (URL, events, filter, description, enabled)',
  body: subscriptionBody.partial().strict(),
  responses: { 200: webhookAnswer },
});

/** PATCH /api/workspaces/:workspaceId/webhooks/:webhookId */
export function patchWebhook(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const changes = parseInput(patchWebhookContract.body, req.body);
    const row = unwrap(
      await services.webhooks.update(param(req, 'workspaceId'), param(req, 'webhookId'), changes),
    );
    res.json(webhookView(row));
  });
}
