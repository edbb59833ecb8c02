/**
 * The console session's cookies. `pryzm_session` (httpOnly) carries the session secret;
 * `pryzm_csrf` (readable by the console's script) carries the CSRF token that every
 * cookie-authenticated write repeats in the `X-CSRF-Token` header (double submit, checked
 * against the session's stored hash too). Both are SameSite=Strict. The session cookie is
 * scoped to Path=/api, the only place it is needed; the CSRF cookie is Path=/ because the
 * console's page (under /console) must read it from `document.cookie` after a reload, and a
 * browser shows a script only the cookies whose path matches the page's own path.
 */
export const SESSION_COOKIE = 'pryzm_session';
export const CSRF_COOKIE = 'pryzm_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function sessionCookies(
  session: { secret: string; csrfToken: string; expiresAt: Date },
  secure: boolean,
): string[] {
  const common = `SameSite=Strict; Expires=${session.expiresAt.toUTCString()}${secure ? '; Secure' : ''}`;
  return [
    `${SESSION_COOKIE}=${session.secret}; Path=/api; ${common}; HttpOnly`,
    `${CSRF_COOKIE}=${session.csrfToken}; Path=/; ${common}`,
  ];
}

export function clearedSessionCookies(secure: boolean): string[] {
  const common = `SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
  // Each is cleared on the path it was set with, else the browser keeps the original.
  return [
    `${SESSION_COOKIE}=; Path=/api; ${common}; HttpOnly`,
    `${CSRF_COOKIE}=; Path=/; ${common}`,
  ];
}
