import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { memberView } from '../../../views-access.ts';
import { param } from '../../params.ts';

/** GET /api/workspaces/:workspaceId/members */
export function getMembers(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const members = await services.members.list(param(req, 'workspaceId'));
    res.json({ data: members.map(memberView) });
  });
}
