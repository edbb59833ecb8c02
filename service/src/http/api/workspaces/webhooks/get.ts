import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { pageAnswer, pageOfList, pageQuery } from '../../../contract/paging.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { parseInput } from '../../../validation.ts';
import { param } from '../../params.ts';
import { webhookAnswer, webhookView } from './webhook-contract.ts';

export const getWebhooksContract = defineContract({
  summary: "The workspace's webhook subscriptions (never their secrets)",
  query: z.object(pageQuery).strict(),
  responses: { 200: pageAnswer(webhookAnswer) },
});

/** GET /api/workspaces/:workspaceId/webhooks */
export function getWebhooks(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pageRequest = parseInput(getWebhooksContract.query, req.query);
    const rows = await services.webhooks.list(param(req, 'workspaceId'));
    const page = pageOfList(rows, (row) => row.id, pageRequest);
    res.json({ data: page.data.map(webhookView), nextCursor: page.nextCursor });
  });
}
