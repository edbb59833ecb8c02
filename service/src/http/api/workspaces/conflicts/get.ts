import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { parseInput } from '../../../validation.ts';
import { conflictView } from '../../../views.ts';
import { param } from '../../params.ts';
import { hideFieldEntries } from '../../../../access/field-hiding.ts';
import { hiddenAttributesFor } from '../../field-visibility.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { pageAnswer } from '../../../contract/paging.ts';
import { conflictAnswer } from '../../../contract/answers.ts';

const query = z
  .object({
    connectionId: z.string().uuid().optional(),
    recordId: z.string().uuid().optional(),
    status: z.enum(['open', 'resolved']).default('open'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().uuid().optional(),
  })
  .strict();

export const getConflictsContract = defineContract({
  summary: 'Conflicts between Pryzm and Salesforce values',
  query,
  responses: { 200: pageAnswer(conflictAnswer) },
});

/** GET /api/workspaces/:workspaceId/conflicts?connectionId&recordId&status&limit&cursor */
export function getConflicts(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { limit, cursor, ...filter } = parseInput(getConflictsContract.query, req.query);
    const page = await services.conflicts.list(param(req, 'workspaceId'), filter, {
      limit,
      cursor,
    });
    // A Viewer sees that a sensitive field conflicts, never its values.
    const hidden = await hiddenAttributesFor(req, services);
    res.json({
      data: page.conflicts.map((conflict) =>
        conflictView({ ...conflict, fields: hideFieldEntries(conflict.fields, hidden) }),
      ),
      nextCursor: page.nextCursor,
    });
  });
}
