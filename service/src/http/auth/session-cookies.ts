/**
 * The console session's cookies. `pryzm_session` (httpOnly) carries the session secret;
 * `pryzm_csrf` (readable by the console's script) carries the CSRF token that every
 * cookie-authenticated write repeats in the `X-CSRF-Token` header (double submit, checked
 * against the session's stored hash too). Both are SameSite=Strict and Path=/api.
 */
export const SESSION_COOKIE = 'pryzm_session';
export const CSRF_COOKIE = 'pryzm_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function sessionCookies(
  session: { secret: string; csrfToken: string; expiresAt: Date },
  secure: boolean,
): string[] {
  const common = `Path=/api; SameSite=Strict; Expires=${session.expiresAt.toUTCString()}${secure ? '; Secure' : ''}`;
  return [
    `${SESSION_COOKIE}=${session.secret}; ${common}; HttpOnly`,
    `${CSRF_COOKIE}=${session.csrfToken}; ${common}`,
  ];
}

export function clearedSessionCookies(secure: boolean): string[] {
  const common = `Path=/api; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
  return [`${SESSION_COOKIE}=; ${common}; HttpOnly`, `${CSRF_COOKIE}=; ${common}`];
}
