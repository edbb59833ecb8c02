import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { connectionOf } from '../active-connection.ts';

export const refreshQuery = z
  .object({ refresh: z.enum(['true', 'false']).default('false') })
  .strict();

/** GET /api/workspaces/:workspaceId/connections/:connectionId/describe?refresh=true */
export function getGlobalDescribe(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { refresh } = parseInput(refreshQuery, req.query);
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
