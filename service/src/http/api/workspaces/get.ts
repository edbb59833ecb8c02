import type { RequestHandler } from 'express';
import type { Services } from '../../../services.ts';
import { principalOf } from '../../auth/principal.ts';
import { asyncHandler } from '../../async-handler.ts';
import { workspaceView } from '../../views.ts';

/** GET /api/workspaces: every workspace for the admin, its own for a workspace key. */
export function getWorkspaces(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const principal = principalOf(req);
    const all = await services.workspaces.list();
    const visible =
      principal.kind === 'admin' ? all : all.filter((w) => w.id === principal.workspaceId);
    res.json({ data: visible.map(workspaceView) });
  });
}
