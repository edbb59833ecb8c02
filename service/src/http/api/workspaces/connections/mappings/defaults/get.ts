import type { RequestHandler } from 'express';
import type { Services } from '../../../../../../services.ts';
import { asyncHandler } from '../../../../../async-handler.ts';
import { unwrap } from '../../../../../outcome.ts';
import { param } from '../../../../params.ts';
import { defineContract } from '../../../../../contract/route-contract.ts';
import { z } from 'zod';
import { objectMappingSchema } from '../../../../../../mapping/object-mapping.ts';
import { attributeDefinitionSchema } from '../../../../../../mapping/attribute-types.ts';

export const getDefaultMappingsContract = defineContract({
  summary: 'Proposes default mappings for the org',
  responses: {
    200: z.object({
      mappings: z.array(objectMappingSchema),
      pipeline: z
        .object({
          key: z.string(),
          name: z.string(),
          pluralName: z.string(),
          kind: z.string(),
          attributes: z.array(attributeDefinitionSchema),
        })
        .nullable()
        .describe(
          'The pipeline record type built from the Opportunity stages, if the org has them',
        ),
    }),
  },
});

/**
 * GET /api/workspaces/:workspaceId/connections/:connectionId/mappings/defaults
 * The default mappings fitted to this org, not saved.
 */
export function getDefaultMappings(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const proposal = unwrap(
      await services.mappings.proposeDefaults(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
      ),
    );
    res.json({ mappings: proposal.mappings, pipeline: proposal.pipeline });
  });
}
