import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { parseInput } from '../../../validation.ts';
import { connectionView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { connectionAnswer } from '../../../contract/answers.ts';

const body = z
  .object({
    label: z.string().trim().min(1).max(80).optional(),
    /** The share of the org's daily API allocation sync jobs may spend in 24 hours. */
    apiAllowancePercent: z.number().int().min(1).max(100).optional(),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'send label or apiAllowancePercent');

export const patchConnectionContract = defineContract({
  summary: "Changes a connection's label and API allowance",
  body,
  responses: { 200: connectionAnswer },
});

/** PATCH /api/workspaces/:workspaceId/connections/:connectionId: label and API allowance. */
export function patchConnection(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const change = parseInput(patchConnectionContract.body, req.body);
    const row = unwrap(
      await services.connections.update(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        change,
      ),
    );
    res.json(connectionView(row));
  });
}
