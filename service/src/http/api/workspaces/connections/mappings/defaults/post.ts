import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { unwrap } from '../../../../../outcome.ts';
import { parseInput } from '../../../../../validation.ts';
import { mappingView } from '../../../../../views.ts';
import { param } from '../../../../params.ts';
import { pipelineOptions } from './pipeline-options.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { mappingAnswer } from '../../../../../contract/answers.ts';

const body = z.object({ pipeline: pipelineOptions.optional() }).strict();

export const postDefaultMappingsContract = defineContract({
  summary: 'Saves the default mappings',
  body,
  responses: {
    201: z.object({
      saved: z.array(mappingAnswer),
      skipped: z.array(z.object({ salesforceObject: z.string(), reason: z.string() })),
    }),
  },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/mappings/defaults
 * Saves Account → Organization, Contact → Person and Opportunity → pipeline for objects that
 * are not mapped yet; the pipeline record type is created from the org's stages if missing.
 */
export function postDefaultMappings(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const input = parseInput(postDefaultMappingsContract.body, req.body);
    const result = unwrap(
      await services.mappings.saveDefaults(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        input.pipeline,
      ),
    );
    res.status(201).json({ saved: result.saved.map(mappingView), skipped: result.skipped });
  });
}
