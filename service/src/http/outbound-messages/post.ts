/**
 * POST /outbound-messages/:connectionId/:secret: where Salesforce sends a connection's Outbound
 * Messages. Outside /api (Salesforce sends no bearer token; the secret in the path is the
 * credential). Answers SOAP: the Ack only once the changes committed, otherwise a fault with a
 * 4xx (refused: nothing applied) or 5xx status, and Salesforce sends the message again later.
 */
import express, { Router, type RequestHandler } from 'express';
import type { Services } from '../../services.ts';
import { ackResponse, faultResponse } from '../../sync/realtime/outbound-notification.ts';
import { asyncHandler } from '../async-handler.ts';

/** A full message of 100 notifications with a few fields each stays well under this. */
export const OUTBOUND_MESSAGE_BODY_LIMIT = '512kb';

export function outboundMessagesRouter(services: Services): Router {
  const router = Router();
  router.post(
    '/outbound-messages/:connectionId/:secret',
    express.text({ type: () => true, limit: OUTBOUND_MESSAGE_BODY_LIMIT }),
    postOutboundMessage(services),
  );
  return router;
}

function postOutboundMessage(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const xml = typeof req.body === 'string' ? req.body : '';
    const answer = await services.outboundMessages.receive(
      String(req.params['connectionId'] ?? ''),
      String(req.params['secret'] ?? ''),
      xml,
    );
    res.type('text/xml; charset=utf-8');
    if (answer.ack) {
      res.status(200).send(ackResponse());
      return;
    }
    res.status(answer.status).send(faultResponse(answer.fault, answer.message));
  });
}
