import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { connectionView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { connectionAnswer } from '../../../contract/answers.ts';
import { timestamp } from '../../../contract/route-contract.ts';

const nullableTimestamp = timestamp.nullable();
import { z } from 'zod';

export const getConnectionContract = defineContract({
  summary:
    "One connection, with what its jobs may still spend of the org's API allocation and its real-time sync's health",
  responses: {
    200: connectionAnswer.extend({
      apiAllowance: z.object({
        percent: z
          .number()
          .int()
          .describe("The share of the org's daily allocation jobs may spend"),
        budget: z
          .number()
          .int()
          .nullable()
          .describe('Requests per 24 hours; null until the org reports its limit'),
        spentLast24Hours: z.number().int(),
        exhausted: z.boolean(),
      }),
      realtime: z.object({
        changeSource: z.string(),
        settingProblem: z.string().nullable(),
        state: z
          .string()
          .describe(
            'starting, connecting, live, reconnecting, reconciling, stopped, failed or paused',
          ),
        message: z.string().nullable(),
        held: z.boolean().describe('Whether some process holds the subscription now'),
        lastEventAt: nullableTimestamp,
        lastAppliedAt: nullableTimestamp,
        lagMs: z.number().nullable(),
        eventsApplied: z.number().int(),
        lastSweepAt: nullableTimestamp,
      }),
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
