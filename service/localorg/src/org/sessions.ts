import { randomBytes } from 'node:crypto';
import type { Org } from './org.ts';

/**
 * Access tokens, refresh tokens and authorization codes of every org. Access tokens carry the
 * org id before a `!` as Salesforce's do; they expire after the org's session timeout (on the
 * org's clock) and can be revoked one by one or all at once.
 */

export interface AccessSession {
  accessToken: string;
  org: Org;
  userId: string;
  clientId: string;
  scope: string;
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
}

export interface RefreshGrant {
  refreshToken: string;
  org: Org;
  userId: string;
  clientId: string;
  scope: string;
  revoked: boolean;
}

export interface AuthorizationCode {
  code: string;
  org: Org;
  userId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  expiresAt: number;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += TOKEN_ALPHABET[b % TOKEN_ALPHABET.length];
  return out;
}

export class SessionRegistry {
  private readonly access = new Map<string, AccessSession>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly codes = new Map<string, AuthorizationCode>();

  issueAccess(org: Org, userId: string, clientId: string, scope: string): AccessSession {
    const now = org.now();
    const session: AccessSession = {
      accessToken: `${org.id.slice(0, 15)}!AQ${randomToken(4)}.${randomToken(94)}`,
      org,
      userId,
      clientId,
      scope,
      issuedAt: now,
      expiresAt: now + org.sessionSeconds * 1000,
      revoked: false,
    };
    this.access.set(session.accessToken, session);
    return session;
  }

  issueRefresh(org: Org, userId: string, clientId: string, scope: string): RefreshGrant {
    const grant: RefreshGrant = {
      refreshToken: `5Aep861${randomToken(80)}`,
      org,
      userId,
      clientId,
      scope,
      revoked: false,
    };
    this.refresh.set(grant.refreshToken, grant);
    return grant;
  }

  /** The live session of a token, or undefined when unknown, expired or revoked. */
  validate(token: string): AccessSession | undefined {
    const session = this.access.get(token);
    if (!session || session.revoked) return undefined;
    if (session.org.now() >= session.expiresAt) return undefined;
    return session;
  }

  refreshGrant(token: string): RefreshGrant | undefined {
    const grant = this.refresh.get(token);
    return grant && !grant.revoked ? grant : undefined;
  }

  /** Revokes an access or refresh token; revoking a refresh token ends its access tokens too. */
  revoke(token: string): boolean {
    const session = this.access.get(token);
    if (session) {
      session.revoked = true;
      return true;
    }
    const grant = this.refresh.get(token);
    if (grant) {
      grant.revoked = true;
      for (const s of this.access.values()) if (s.refreshToken === token) s.revoked = true;
      return true;
    }
    return false;
  }

  /** Fault: every access token of the org stops working (refresh tokens still work). */
  expireAll(org: Org): void {
    for (const s of this.access.values()) if (s.org === org) s.expiresAt = 0;
  }

  /** Fault: every access and refresh token of the org is revoked. */
  revokeAll(org: Org): void {
    for (const s of this.access.values()) if (s.org === org) s.revoked = true;
    for (const g of this.refresh.values()) if (g.org === org) g.revoked = true;
  }

  saveCode(code: Omit<AuthorizationCode, 'code'>): string {
    const value = `aPrx${randomToken(60)}==`;
    this.codes.set(value, { ...code, code: value });
    return value;
  }

  /** Authorization codes are single use. */
  takeCode(code: string): AuthorizationCode | undefined {
    const found = this.codes.get(code);
    this.codes.delete(code);
    return found && found.org.now() < found.expiresAt ? found : undefined;
  }
}
