import type { RequestHandler } from 'express';
import type { Services } from '../../../services.ts';
import { asyncHandler } from '../../async-handler.ts';
import { ApiError } from '../../errors/api-error.ts';
import { workspaceView } from '../../views.ts';
import { param } from '../params.ts';
import { defineContract } from '../../contract/route-contract.ts';
import { workspaceAnswer } from '../../contract/answers.ts';

export const getWorkspaceContract = defineContract({
  summary: 'One workspace',
  responses: { 200: workspaceAnswer },
});

/** GET /api/workspaces/:workspaceId */
export function getWorkspace(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const workspace = await services.workspaces.find(param(req, 'workspaceId'));
    if (!workspace) throw new ApiError(404, 'workspace_not_found', 'No such workspace');
    res.json(workspaceView(workspace));
  });
}
