import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { recordTypeView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { recordTypeAnswer } from '../../../contract/answers.ts';

export const getRecordTypeContract = defineContract({
  summary: 'One record type',
  responses: { 200: recordTypeAnswer },
});

/** GET /api/workspaces/:workspaceId/record-types/:recordTypeKey */
export function getRecordType(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const row = unwrap(
      await services.recordTypes.get(param(req, 'workspaceId'), param(req, 'recordTypeKey')),
    );
    res.json(recordTypeView(row));
  });
}
