import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { parseInput } from '../../../validation.ts';
import { connectionView } from '../../../views.ts';
import { param } from '../../params.ts';
import { CHANGE_SOURCES } from '../../../../sync/realtime/change-source-setting.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { connectionAnswer } from '../../../contract/answers.ts';

const body = z
  .object({
    label: z.string().trim().min(1).max(80).optional(),
    /** The share of the org's daily API allocation sync jobs may spend in 24 hours. */
    apiAllowancePercent: z.number().int().min(1).max(100).optional(),
    /** Where real-time changes come from; the org's Pryzm_Settings__c is told too. */
    changeSource: z.enum(CHANGE_SOURCES).optional(),
  })
  .strict()
  .refine(
    (change) => Object.keys(change).length > 0,
    'send label, apiAllowancePercent or changeSource',
  );

export const patchConnectionContract = defineContract({
  summary: "Changes a connection's label, API allowance and change source",
  body,
  responses: { 200: connectionAnswer },
});

/**
 * PATCH /api/workspaces/:workspaceId/connections/:connectionId: label, API allowance and the
 * change source of real-time sync (`flows`, `cdc` or `paused`).
 */
export function patchConnection(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { changeSource, ...change } = parseInput(patchConnectionContract.body, req.body);
    const workspaceId = param(req, 'workspaceId');
    const connectionId = param(req, 'connectionId');
    let row = unwrap(await services.connections.update(workspaceId, connectionId, change));
    if (changeSource) {
      row = unwrap(
        await services.realtime.setChangeSource(workspaceId, connectionId, changeSource),
      );
    }
    res.json(connectionView(row));
  });
}
