import type { RequestHandler } from 'express';
import type { Services } from '../../../services.ts';
import { principalOf } from '../../auth/principal.ts';
import { asyncHandler } from '../../async-handler.ts';
import { workspaceView } from '../../views.ts';
import { parseInput } from '../../validation.ts';
import { defineContract } from '../../contract/route-contract.ts';
import { pageAnswer, pageOfList, pageQuery } from '../../contract/paging.ts';
import { workspaceAnswer } from '../../contract/answers.ts';
import { z } from 'zod';

export const getWorkspacesContract = defineContract({
  summary: 'Workspaces: every one for the operator, its own for a workspace key',
  query: z.object(pageQuery).strict(),
  responses: { 200: pageAnswer(workspaceAnswer) },
});

/** GET /api/workspaces: every workspace for the admin, its own for a workspace key. */
export function getWorkspaces(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pageRequest = parseInput(getWorkspacesContract.query, req.query);
    const principal = principalOf(req);
    const all = await services.workspaces.list();
    const visible =
      principal.kind === 'admin' ? all : all.filter((w) => w.id === principal.workspaceId);
    const page = pageOfList(visible, (w) => w.id, pageRequest);
    res.json({ data: page.data.map(workspaceView), nextCursor: page.nextCursor });
  });
}
