import type { RequestHandler } from 'express';
import type { ApiKeyRepository } from '../../store/repositories/api-keys.ts';
import { secretsEqual, sha256 } from '../../workspaces/api-key-secrets.ts';
import { ApiError } from '../errors/api-error.ts';
import { setPrincipal } from './principal.ts';

/** `lastUsedAt` is written at most this often per key, so reads stay reads. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Every `/api` request carries `Authorization: Bearer <token>`: the admin token from the
 * configuration or a workspace API key (looked up by its SHA-256; revoked keys are refused).
 */
export function authenticate(adminToken: string, apiKeys: ApiKeyRepository): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="pryzm"');
      throw new ApiError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
    }
    const token = match[1];
    if (secretsEqual(token, adminToken)) {
      setPrincipal(req, { kind: 'admin' });
      next();
      return;
    }
    const key = await apiKeys.findActiveByHash(sha256(token));
    if (!key) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="pryzm", error="invalid_token"');
      throw new ApiError(401, 'invalid_token', 'The API key is unknown or revoked');
    }
    if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await apiKeys.touch(key.id);
    }
    setPrincipal(req, { kind: 'workspace', workspaceId: key.workspaceId, apiKeyId: key.id });
    next();
  };
}
