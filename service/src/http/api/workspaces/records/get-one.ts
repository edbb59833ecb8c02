import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { recordView } from '../../../views.ts';
import { param } from '../../params.ts';
import { roleOfCaller } from '../../../auth/principal.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { recordAnswer } from '../../../contract/answers.ts';

export const getRecordContract = defineContract({
  summary: 'One record (deleted ones too, with deletedAt)',
  responses: { 200: recordAnswer },
});

/** GET /api/workspaces/:workspaceId/records/:recordId (deleted records too, with deletedAt). */
export function getRecord(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const record = unwrap(
      await services.records.get(param(req, 'workspaceId'), param(req, 'recordId')),
    );
    // Attributes an Admin marked sensitive never reach a Viewer.
    const values = await services.fieldHiding.forReader(
      param(req, 'workspaceId'),
      record.recordType,
      record.values,
      roleOfCaller(req),
    );
    res.setHeader('ETag', `"${record.version}"`);
    res.json(recordView({ ...record, values }));
  });
}
