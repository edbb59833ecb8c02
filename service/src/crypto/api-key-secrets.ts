import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Workspace API keys look like `pryzm_live_<43 base64url chars>`; the prefix is safe to show. */
export const API_KEY_PREFIX = 'pryzm_live_';

export interface NewApiKeySecret {
  secret: string;
  /** The first characters, shown in listings so a person can tell keys apart. */
  prefix: string;
  secretHash: string;
}

export function generateApiKeySecret(): NewApiKeySecret {
  const secret = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, API_KEY_PREFIX.length + 6), secretHash: sha256(secret) };
}

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares two secrets in constant time (by their digests, so lengths do not leak). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  );
}
