/**
 * Browser sessions of the local org's Lightning pages. As on Salesforce, a UI session is a
 * session id in the `sid` cookie of the org's My Domain: the login page issues one, and
 * `/secur/frontdoor.jsp?sid=<access token>&retURL=<path>` turns an API session into one
 * ("Use of frontdoor.jsp to Log in to Salesforce",
 * https://help.salesforce.com/s/articleView?id=000386254&type=1). The session is the org's
 * own access token, so it expires and is revoked with it.
 *
 * Requests that change something (Apex calls) carry `X-CSRF-Token`, an HMAC of the session id
 * written into the page, so another site cannot make the browser call Apex with the cookie.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Org } from '../org/org.ts';
import type { AccessSession, SessionRegistry } from '../org/sessions.ts';

export const SESSION_COOKIE = 'sid';

/** Per process: a restarted local org has no sessions left to protect either. */
const csrfSecret = randomBytes(32);

export function cookies(req: Request): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    try {
      found.set(name, decodeURIComponent(value));
    } catch {
      found.set(name, value);
    }
  }
  return found;
}

/** The live UI session of `org` the request's cookie names, if any. */
export function uiSession(
  sessions: SessionRegistry,
  org: Org,
  req: Request,
): AccessSession | undefined {
  const sid = cookies(req).get(SESSION_COOKIE);
  const session = sid ? sessions.validate(sid) : undefined;
  return session && session.org === org ? session : undefined;
}

export function setSessionCookie(res: Response, req: Request, session: AccessSession): void {
  res.cookie(SESSION_COOKIE, session.accessToken, {
    httpOnly: true,
    sameSite: 'lax',
    secure: req.secure,
    path: '/',
  });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}

export function csrfToken(session: AccessSession): string {
  return createHmac('sha256', csrfSecret).update(session.accessToken).digest('base64url');
}

export function csrfMatches(session: AccessSession, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfToken(session));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A path on this host to go to after login; anything else (another host, `//x`) is refused. */
export function safeReturnPath(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//')) {
    return fallback;
  }
  return value.includes('\\') ? fallback : value;
}
