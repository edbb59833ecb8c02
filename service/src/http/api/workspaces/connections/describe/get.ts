import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { connectionOf } from '../active-connection.ts';
import { defineContract } from '../../../../contract/route-contract.ts';

export const refreshQuery = z
  .object({ refresh: z.enum(['true', 'false']).default('false') })
  .strict();

export const getGlobalDescribeContract = defineContract({
  summary: "The org's objects (a Salesforce describe, cached)",
  query: refreshQuery,
  responses: {
    200: z.object({
      fetchedAt: z.string(),
      sobjects: z.array(
        z.object({
          name: z.string(),
          label: z.string(),
          custom: z.boolean(),
          queryable: z.boolean(),
        }),
      ),
    }),
  },
});

/** GET /api/workspaces/:workspaceId/connections/:connectionId/describe?refresh=true */
export function getGlobalDescribe(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { refresh } = parseInput(getGlobalDescribeContract.query, req.query);
    const connection = await connectionOf(req, services);
    const result = unwrap(await services.describes.global(connection, refresh === 'true'));
    res.json({
      fetchedAt: result.fetchedAt,
      sobjects: result.describe.sobjects.map((s) => ({
        name: s.name,
        label: s.label,
        custom: s.custom,
        queryable: s.queryable,
      })),
    });
  });
}
