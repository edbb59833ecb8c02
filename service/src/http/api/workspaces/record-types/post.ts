import type { RequestHandler } from 'express';
import { recordTypeDefinitionSchema } from '../../../../mapping/record-types.ts';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { parseInput } from '../../../validation.ts';
import { recordTypeView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { recordTypeAnswer } from '../../../contract/answers.ts';

export const postRecordTypeContract = defineContract({
  summary: 'Creates a pipeline or custom record type',
  body: recordTypeDefinitionSchema,
  responses: { 201: recordTypeAnswer },
});

/** POST /api/workspaces/:workspaceId/record-types: a pipeline or custom record type. */
export function postRecordType(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const definition = parseInput(postRecordTypeContract.body, req.body);
    const row = unwrap(await services.recordTypes.create(param(req, 'workspaceId'), definition));
    res.status(201).json(recordTypeView(row));
  });
}
