import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { unwrap } from '../../../outcome.ts';
import { param } from '../../params.ts';
import { webhookAnswer, webhookView } from './webhook-contract.ts';

export const getWebhookContract = defineContract({
  summary: 'One webhook subscription',
  responses: { 200: webhookAnswer },
});

/** GET /api/workspaces/:workspaceId/webhooks/:webhookId */
export function getWebhook(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const row = unwrap(
      await services.webhooks.get(param(req, 'workspaceId'), param(req, 'webhookId')),
    );
    res.json(webhookView(row));
  });
}
