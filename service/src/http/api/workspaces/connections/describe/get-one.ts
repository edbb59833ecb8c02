import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { param } from '../../../params.ts';
import { connectionOf } from '../active-connection.ts';
import { refreshQuery } from './get.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { z } from 'zod';
import { sObjectDescribeSchema } from '../../../../../mapping/describe-types.ts';

export const getObjectDescribeContract = defineContract({
  summary: "One object's describe (with or without the pryzm__ namespace)",
  query: refreshQuery,
  responses: {
    200: z.object({
      fetchedAt: z.string(),
      describe: sObjectDescribeSchema.describe(
        "Salesforce's describe of the object, reduced to what mapping reads",
      ),
    }),
  },
});

/**
 * GET /api/workspaces/:workspaceId/connections/:connectionId/describe/:objectName?refresh=true
 * The name resolves with or without the `pryzm__` namespace.
 */
export function getObjectDescribe(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { refresh } = parseInput(getObjectDescribeContract.query, req.query);
    const connection = await connectionOf(req, services);
    const result = unwrap(
      await services.describes.object(connection, param(req, 'objectName'), refresh === 'true'),
    );
    res.json({ fetchedAt: result.fetchedAt, describe: result.describe });
  });
}
