import { createPublicKey, createVerify } from 'node:crypto';

/**
 * Checks a JWT bearer assertion (RFC 7523) as Salesforce does: RS256 signed with the key of
 * the certificate registered on the connected app, `iss` the consumer key, `sub` the username,
 * `aud` the login host, `exp` in the future.
 */

export interface JwtClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
}

export type JwtCheck = { ok: true; claims: JwtClaims } | { ok: false; description: string };

function decodePart(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

/** Reads the claims without verifying (to find the connected app by `iss`). */
export function peekClaims(assertion: string): JwtClaims | undefined {
  const parts = assertion.split('.');
  if (parts.length !== 3) return undefined;
  try {
    return decodePart(parts[1] ?? '') as JwtClaims;
  } catch {
    return undefined;
  }
}

export function verifyAssertion(
  assertion: string,
  certificatePem: string | undefined,
  audiences: string[],
  nowMs: number,
): JwtCheck {
  const parts = assertion.split('.');
  if (parts.length !== 3 || !certificatePem) return { ok: false, description: 'invalid assertion' };
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: JwtClaims;
  try {
    header = decodePart(h) as { alg?: string };
    claims = decodePart(p) as JwtClaims;
  } catch {
    return { ok: false, description: 'invalid assertion' };
  }
  if (header.alg !== 'RS256') return { ok: false, description: 'invalid assertion' };
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${h}.${p}`);
  let valid = false;
  try {
    valid = verifier.verify(createPublicKey(certificatePem), Buffer.from(s, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, description: 'invalid assertion' };
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const normalized = audiences.map((a) => a.replace(/\/$/, ''));
  if (!aud.some((a) => normalized.includes(String(a).replace(/\/$/, '')))) {
    return { ok: false, description: 'audience is invalid' };
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < nowMs) {
    return { ok: false, description: 'expired authorization code' };
  }
  return { ok: true, claims };
}
