import { createHash } from 'node:crypto';

/** One cookie per authorisation, so flows started in parallel in one browser do not clash. */
export function bindingCookieName(state: string): string {
  return `pryzm_oauth_${createHash('sha256').update(state).digest('hex').slice(0, 16)}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    // A malformed escape is no binding at all: the flow answers invalid_state, not 500.
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}
