import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { recordTypeView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { pipelineOptions } from '../../connections/mappings/defaults/pipeline-options.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { recordTypeAnswer } from '../../../../contract/answers.ts';

const body = pipelineOptions.extend({ connectionId: z.string().min(1) }).strict();

export const postPipelineFromStagesContract = defineContract({
  summary: "Creates a pipeline record type from the org's Opportunity stages",
  body,
  responses: { 201: recordTypeAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/record-types/from-salesforce-stages
 * A pipeline whose stages are the connected org's Opportunity StageName picklist values.
 */
export function postPipelineFromStages(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { connectionId, ...options } = parseInput(postPipelineFromStagesContract.body, req.body);
    const row = unwrap(
      await services.mappings.createPipelineFromStages(
        param(req, 'workspaceId'),
        connectionId,
        options,
      ),
    );
    res.status(201).json(recordTypeView(row));
  });
}
