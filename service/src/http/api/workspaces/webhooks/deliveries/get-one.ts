import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { ApiError } from '../../../../errors/api-error.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { unwrap } from '../../../../outcome.ts';
import { param } from '../../../params.ts';
import { deliveryAnswer, deliveryView } from '../webhook-contract.ts';

export const getDeliveryContract = defineContract({
  summary: 'One delivery: its body, attempts and last answer',
  responses: { 200: deliveryAnswer },
});

/** GET /api/workspaces/:workspaceId/webhooks/:webhookId/deliveries/:deliveryId */
export function getDelivery(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const delivery = unwrap(
      await services.webhooks.delivery(param(req, 'workspaceId'), param(req, 'deliveryId')),
    );
    if (delivery.subscriptionId !== param(req, 'webhookId')) {
      throw new ApiError(404, 'delivery_not_found', `No webhook delivery ${delivery.id}`);
    }
    res.json(deliveryView(delivery));
  });
}
