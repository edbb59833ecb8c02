import type { RequestHandler } from 'express';
import type { WorkspaceService } from '../../workspaces/workspace-service.ts';
import { ApiError } from '../errors/api-error.ts';
import { setPrincipal } from './principal.ts';

/**
 * Every `/api` request carries `Authorization: Bearer <token>`: the admin token from the
 * configuration or a workspace API key (revoked keys are refused).
 */
export function authenticate(workspaces: WorkspaceService): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="pryzm"');
      throw new ApiError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
    }
    const caller = await workspaces.authenticate(match[1]);
    if (!caller) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="pryzm", error="invalid_token"');
      throw new ApiError(401, 'invalid_token', 'The API key is unknown or revoked');
    }
    setPrincipal(
      req,
      caller.kind === 'admin'
        ? { kind: 'admin' }
        : { kind: 'workspace', workspaceId: caller.apiKey.workspaceId, apiKeyId: caller.apiKey.id },
    );
    next();
  };
}
