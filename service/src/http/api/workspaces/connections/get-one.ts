import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { connectionView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { connectionAnswer } from '../../../contract/answers.ts';
import { z } from 'zod';

export const getConnectionContract = defineContract({
  summary:
    "One connection, with what its jobs may still spend of the org's API allocation and its real-time sync's health",
  responses: {
    200: connectionAnswer.extend({
      apiAllowance: z.object({}).passthrough(),
      realtime: z.object({}).passthrough(),
    }),
  },
});

/**
 * GET /api/workspaces/:workspaceId/connections/:connectionId: the connection, with what its sync
 * jobs may still spend of the org's daily API allocation (`apiAllowance`), and how its real-time
 * sync is doing (`realtime`: change source, subscriber state, lag, last event).
 */
export function getConnection(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const row = unwrap(
      await services.connections.get(param(req, 'workspaceId'), param(req, 'connectionId')),
    );
    const allowance = await services.connections.allowance(row);
    res.json({
      ...connectionView(row),
      apiAllowance: {
        percent: allowance.percent,
        budget: allowance.budget,
        spentLast24Hours: allowance.spentLast24Hours,
        exhausted: allowance.exhausted,
      },
      realtime: await services.realtime.health(row),
    });
  });
}
