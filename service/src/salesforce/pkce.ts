import { createHash, randomBytes } from 'node:crypto';

/** A PKCE code verifier: 64 random bytes, base64url (86 characters, within RFC 7636's 43-128). */
export function createCodeVerifier(): string {
  return randomBytes(64).toString('base64url');
}

/** The S256 code challenge of a verifier. */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
