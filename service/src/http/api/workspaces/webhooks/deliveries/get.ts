import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { pageAnswer } from '../../../../contract/paging.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { param } from '../../../params.ts';
import { deliveryAnswer, deliveryView } from '../webhook-contract.ts';

export const getDeliveriesContract = defineContract({
  summary: "A subscription's delivery log, newest first",
  query: z
    .object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().uuid().optional(),
    })
    .strict(),
  responses: { 200: pageAnswer(deliveryAnswer) },
});

/** GET /api/workspaces/:workspaceId/webhooks/:webhookId/deliveries?limit&cursor */
export function getDeliveries(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const page = parseInput(getDeliveriesContract.query, req.query);
    const found = unwrap(
      await services.webhooks.deliveries(param(req, 'workspaceId'), param(req, 'webhookId'), page),
    );
    res.json({ data: found.deliveries.map(deliveryView), nextCursor: found.nextCursor });
  });
}
