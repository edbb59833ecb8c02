import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { param } from '../../../../params.ts';

const body = z.object({}).strict();

export const postOutboundEndpointContract = defineContract({
  summary: 'Issues the Outbound Message endpoint URL of a connection (its secret is shown once)',
  body,
  responses: {
    201: z.object({
      connectionId: z.string().uuid(),
      path: z.string(),
      url: z.string().describe("The Endpoint URL to paste into the outbound message's setup"),
      secret: z.string().describe('Part of the URL; shown in this answer only'),
    }),
  },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/outbound-messages/endpoint
 * A new secret for the endpoint Salesforce Outbound Messages are sent to; the previous URL stops
 * working. The URL is what an admin pastes into the outbound message's Endpoint URL.
 */
export function postOutboundEndpoint(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    parseInput(postOutboundEndpointContract.body, req.body ?? {});
    const issued = unwrap(
      await services.outboundMessages.issueEndpoint(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
      ),
    );
    // PUBLIC_URL when set (the host Salesforce reaches), else the host this request came to.
    const url = issued.url ?? `${req.protocol}://${req.get('host') ?? 'localhost'}${issued.path}`;
    res.status(201).json({ ...issued, url });
  });
}
