import type { Request, RequestHandler } from 'express';
import type { ConsoleSessions } from '../../access/console-sessions.ts';
import type { WorkspaceService } from '../../workspaces/workspace-service.ts';
import { ApiError } from '../errors/api-error.ts';
import { readCookie } from '../oauth/binding-cookie.ts';
import { setPrincipal } from './principal.ts';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './session-cookies.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every `/api` request carries `Authorization: Bearer <token>` (the admin token from the
 * configuration, or a workspace key or personal token; revoked and expired ones are refused) or
 * the console's session cookie. A cookie-authenticated write must also repeat the CSRF token.
 */
export function authenticate(
  workspaces: WorkspaceService,
  consoleSessions: ConsoleSessions,
): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const sessionSecret =
      header === undefined ? readCookie(req.headers.cookie, SESSION_COOKIE) : undefined;
    if (sessionSecret) {
      await authenticateSession(req, sessionSecret, consoleSessions);
      next();
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!match?.[1]) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="pryzm"');
      throw new ApiError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
    }
    const caller = await workspaces.authenticate(match[1]);
    if (!caller) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="pryzm", error="invalid_token"');
      throw new ApiError(401, 'invalid_token', 'The API key is unknown, revoked or expired');
    }
    setPrincipal(
      req,
      caller.kind === 'admin'
        ? { kind: 'admin', sessionId: null }
        : {
            kind: 'workspace',
            workspaceId: caller.apiKey.workspaceId,
            apiKeyId: caller.apiKey.id,
            sessionId: null,
            role: caller.role,
            expiresAt: caller.apiKey.expiresAt,
            memberId: caller.apiKey.memberId,
          },
    );
    next();
  };
}

async function authenticateSession(
  req: Request,
  secret: string,
  consoleSessions: ConsoleSessions,
): Promise<void> {
  const session = await consoleSessions.authenticate(secret);
  if (!session) {
    throw new ApiError(401, 'invalid_session', 'The console session is unknown, ended or expired');
  }
  if (!SAFE_METHODS.has(req.method)) {
    // Double submit: the header must equal the cookie (a cross-site page can set neither) and
    // be this session's token (a cookie planted by a sibling host does not pass).
    const headerToken = req.headers[CSRF_HEADER];
    const cookieToken = readCookie(req.headers.cookie, CSRF_COOKIE);
    if (
      typeof headerToken !== 'string' ||
      headerToken !== cookieToken ||
      !session.csrfMatches(headerToken)
    ) {
      throw new ApiError(
        403,
        'csrf_failed',
        'A write with the session cookie must repeat the pryzm_csrf cookie in X-CSRF-Token',
      );
    }
  }
  setPrincipal(
    req,
    session.member
      ? {
          kind: 'workspace',
          workspaceId: session.member.workspaceId,
          apiKeyId: null,
          sessionId: session.id,
          role: session.member.role,
          expiresAt: session.expiresAt,
          memberId: session.member.id,
        }
      : { kind: 'admin', sessionId: session.id },
  );
}
