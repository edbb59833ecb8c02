import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { connectionView } from '../../../views.ts';
import { param } from '../../params.ts';
import { parseInput } from '../../../validation.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { pageAnswer, pageOfList, pageQuery } from '../../../contract/paging.ts';
import { connectionAnswer } from '../../../contract/answers.ts';
import { z } from 'zod';

export const getConnectionsContract = defineContract({
  summary: 'Connections of the workspace',
  query: z.object(pageQuery).strict(),
  responses: { 200: pageAnswer(connectionAnswer) },
});

/** GET /api/workspaces/:workspaceId/connections */
export function getConnections(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pageRequest = parseInput(getConnectionsContract.query, req.query);
    const rows = await services.connections.list(param(req, 'workspaceId'));
    const page = pageOfList(rows, (row) => row.id, pageRequest);
    res.json({ data: page.data.map(connectionView), nextCursor: page.nextCursor });
  });
}
