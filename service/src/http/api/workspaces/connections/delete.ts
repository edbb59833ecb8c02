import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { connectionView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { connectionAnswer } from '../../../contract/answers.ts';
import { z } from 'zod';

export const deleteConnectionContract = defineContract({
  summary: 'Disconnects: revokes the token and clears every secret',
  responses: { 200: connectionAnswer.extend({ tokenRevoked: z.boolean() }) },
});

/**
 * DELETE /api/workspaces/:workspaceId/connections/:connectionId: disconnects. The token is
 * revoked and syncing stops; records, links and mappings stay.
 */
export function deleteConnection(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { connection, revoked } = unwrap(
      await services.sync.disconnect(param(req, 'workspaceId'), param(req, 'connectionId')),
    );
    res.json({ ...connectionView(connection), tokenRevoked: revoked });
  });
}
