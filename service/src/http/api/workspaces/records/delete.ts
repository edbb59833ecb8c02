import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { recordView } from '../../../views.ts';
import { param } from '../../params.ts';
import { expectedVersion } from './expected-version.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { recordAnswer } from '../../../contract/answers.ts';

export const deleteRecordContract = defineContract({
  summary: 'Soft-deletes a record (links are kept)',
  responses: { 200: recordAnswer },
});

/** DELETE /api/workspaces/:workspaceId/records/:recordId: soft deletion, links are kept. */
export function deleteRecord(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const record = unwrap(
      await services.records.delete(
        param(req, 'workspaceId'),
        param(req, 'recordId'),
        expectedVersion(req, undefined),
      ),
    );
    res.json(recordView(record));
  });
}
