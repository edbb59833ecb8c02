import type { RequestHandler } from 'express';
import type { Services } from '../../../../../../services.ts';
import { ApiError } from '../../../../../errors/api-error.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { param } from '../../../../params.ts';
import { deliveryAnswer, deliveryView } from '../../webhook-contract.ts';

export const postRedeliverContract = defineContract({
  summary: 'Sends a delivery again now, as a new delivery of the same event',
  responses: { 202: deliveryAnswer },
});

/** POST /api/workspaces/:workspaceId/webhooks/:webhookId/deliveries/:deliveryId/redeliver */
export function postRedeliver(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const workspaceId = param(req, 'workspaceId');
    const original = unwrap(
      await services.webhooks.delivery(workspaceId, param(req, 'deliveryId')),
    );
    if (original.subscriptionId !== param(req, 'webhookId')) {
      throw new ApiError(404, 'delivery_not_found', `No webhook delivery ${original.id}`);
    }
    const copy = unwrap(await services.webhooks.redeliver(workspaceId, original.id));
    res.status(202).json(deliveryView(copy));
  });
}
