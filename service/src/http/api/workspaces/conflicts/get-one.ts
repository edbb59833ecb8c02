import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { conflictView } from '../../../views.ts';
import { param } from '../../params.ts';
import { hideFieldEntries } from '../../../../access/field-hiding.ts';
import { hiddenAttributesFor } from '../../field-visibility.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { conflictAnswer } from '../../../contract/answers.ts';

export const getConflictContract = defineContract({
  summary: 'One conflict: base, Pryzm and Salesforce values',
  responses: { 200: conflictAnswer },
});

/** GET /api/workspaces/:workspaceId/conflicts/:conflictId: base, Pryzm and Salesforce values. */
export function getConflict(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const conflict = unwrap(
      await services.conflicts.get(param(req, 'workspaceId'), param(req, 'conflictId')),
    );
    // A Viewer sees that a sensitive field conflicts, never its values.
    const hidden = await hiddenAttributesFor(req, services);
    res.json(conflictView({ ...conflict, fields: hideFieldEntries(conflict.fields, hidden) }));
  });
}
