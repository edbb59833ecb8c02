import type { RequestParamHandler } from 'express';
import type { Services } from '../../../services.ts';
import { principalOf } from '../../auth/principal.ts';
import { ApiError } from '../../errors/api-error.ts';

/**
 * Runs for every route under `/api/workspaces/:workspaceId`: a workspace key reaches only its
 * own workspace. Another workspace answers 404 exactly like a missing one, so keys cannot probe
 * which workspaces exist.
 */
export function workspaceAccess(services: Services): RequestParamHandler {
  return (req, _res, next, workspaceId: string) => {
    const principal = principalOf(req);
    const notFound = new ApiError(404, 'workspace_not_found', 'No such workspace');
    if (principal.kind === 'workspace') {
      next(principal.workspaceId === workspaceId ? undefined : notFound);
      return;
    }
    services.workspaces.find(workspaceId).then(
      (workspace) => next(workspace ? undefined : notFound),
      (error: unknown) => next(error),
    );
  };
}
