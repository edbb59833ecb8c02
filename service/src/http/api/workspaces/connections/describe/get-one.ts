import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { param } from '../../../params.ts';
import { connectionOf } from '../active-connection.ts';
import { refreshQuery } from './get.ts';

/**
 * GET /api/workspaces/:workspaceId/connections/:connectionId/describe/:objectName?refresh=true
 * The name resolves with or without the `pryzm__` namespace.
 */
export function getObjectDescribe(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { refresh } = parseInput(refreshQuery, req.query);
    const connection = await connectionOf(req, services);
    const result = unwrap(
      await services.describes.object(connection, param(req, 'objectName'), refresh === 'true'),
    );
    res.json({ fetchedAt: result.fetchedAt, describe: result.describe });
  });
}
