import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { conflictView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { conflictAnswer } from '../../../../contract/answers.ts';

const body = z
  .object({
    /** Per attribute, the side whose value both keep: `{"name":"pryzm","phone":"salesforce"}`. */
    choices: z
      .record(z.string().min(1).max(100), z.enum(['pryzm', 'salesforce']))
      .refine((choices) => Object.keys(choices).length > 0, 'choose at least one field'),
  })
  .strict();

export const postResolveConflictContract = defineContract({
  summary: 'Settles the chosen fields on both sides',
  body,
  responses: { 200: conflictAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/conflicts/:conflictId/resolve: settles the chosen fields on
 * both sides; the conflict stays open while fields are left.
 */
export function postResolveConflict(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { choices } = parseInput(postResolveConflictContract.body, req.body);
    const conflict = unwrap(
      await services.conflicts.resolve(
        param(req, 'workspaceId'),
        param(req, 'conflictId'),
        choices,
      ),
    );
    res.json(conflictView(conflict));
  });
}
