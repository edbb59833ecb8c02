import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { unwrap } from '../../../outcome.ts';
import { parseInput } from '../../../validation.ts';
import { param } from '../../params.ts';
import { subscriptionBody, webhookAnswer, webhookView } from './webhook-contract.ts';

export const postWebhookContract = defineContract({
  summary: 'Subscribes a URL to events; the signing secret is in this answer only',
  body: subscriptionBody,
  responses: { 201: webhookAnswer.extend({ secret: z.string() }) },
});

/**
 * POST /api/workspaces/:workspaceId/webhooks: loopback and private hosts are refused (400
 * `private_target_url`) unless PRYZM_WEBHOOK_PRIVATE_TARGETS=on.
 */
export function postWebhook(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const input = parseInput(postWebhookContract.body, req.body);
    const created = unwrap(await services.webhooks.create(param(req, 'workspaceId'), input));
    res.status(201).json({ ...webhookView(created), secret: created.secret });
  });
}
