import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { recordTypeView } from '../../../views.ts';
import { param } from '../../params.ts';
import { parseInput } from '../../../validation.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { pageAnswer, pageOfList, pageQuery } from '../../../contract/paging.ts';
import { recordTypeAnswer } from '../../../contract/answers.ts';
import { z } from 'zod';

export const getRecordTypesContract = defineContract({
  summary: 'Record types of the workspace',
  query: z.object(pageQuery).strict(),
  responses: { 200: pageAnswer(recordTypeAnswer) },
});

/** GET /api/workspaces/:workspaceId/record-types */
export function getRecordTypes(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pageRequest = parseInput(getRecordTypesContract.query, req.query);
    const rows = await services.recordTypes.list(param(req, 'workspaceId'));
    const page = pageOfList(rows, (row) => row.key, pageRequest);
    res.json({ data: page.data.map(recordTypeView), nextCursor: page.nextCursor });
  });
}
