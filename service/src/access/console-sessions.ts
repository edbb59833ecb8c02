import { randomBytes } from 'node:crypto';
import { sha256, secretsEqual } from '../crypto/api-key-secrets.ts';
import type {
  ConsoleSessionRepository,
  SessionMember,
} from '../store/repositories/console-sessions.ts';
import type { Role } from './roles.ts';

/** How long a printed sign-in link stays usable, and how long a console session lasts. */
export const SIGN_IN_LINK_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * How long a member's sign-in link stays usable: an Admin hands it over at once (chat, mail),
 * and a link that leaks later must already be dead.
 */
export const MEMBER_SIGN_IN_LINK_TTL_MS = 15 * 60 * 1000;
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** `lastUsedAt` is written at most this often per session. */
const LAST_USED_RESOLUTION_MS = 60_000;

const LINK_PREFIX = 'pryzm_link_';
const SESSION_PREFIX = 'pryzm_session_';

/** A member's session acts in the member's workspace with the member's role (read each time). */
export interface SignedInMember {
  id: string;
  workspaceId: string;
  role: Role;
}

const memberOf = (member: SessionMember | null): SignedInMember | null =>
  member ? { id: member.id, workspaceId: member.workspaceId, role: member.role as Role } : null;

export interface OpenedSession {
  id: string;
  /** The member signed in; null for the operator. */
  member: SignedInMember | null;
  /** The cookie value; only its SHA-256 is stored. */
  secret: string;
  /** The double-submit CSRF token every cookie-authenticated write repeats in a header. */
  csrfToken: string;
  expiresAt: Date;
}

export interface LiveSession {
  id: string;
  expiresAt: Date;
  /** The member signed in, with the role the member has now; null for the operator. */
  member: SignedInMember | null;
  /** Whether `candidate` is this session's CSRF token (constant time). */
  csrfMatches(candidate: string): boolean;
}

/**
 * Console sign-in: a one-time link (the operator's printed by the first start or minted with the
 * admin token; a member's minted by an Admin of the member's workspace) is exchanged once for a
 * session whose secret lives in an httpOnly cookie.
 */
export class ConsoleSessions {
  constructor(private readonly repository: ConsoleSessionRepository) {}

  /** A new one-time link secret; only its hash is stored. */
  async createSignInLink(now = new Date()): Promise<{ secret: string; expiresAt: Date }> {
    const secret = `${LINK_PREFIX}${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_TTL_MS);
    await this.repository.createLink(sha256(secret), expiresAt);
    return { secret, expiresAt };
  }

  /** A one-time link that signs a member in (short-lived); only its hash is stored. */
  async createMemberSignInLink(
    memberId: string,
    now = new Date(),
  ): Promise<{ secret: string; expiresAt: Date }> {
    const secret = `${LINK_PREFIX}${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + MEMBER_SIGN_IN_LINK_TTL_MS);
    await this.repository.createLink(sha256(secret), expiresAt, memberId);
    return { secret, expiresAt };
  }

  /** Whether the console was ever signed in to (the first start prints a link until it was). */
  hasAnySession(): Promise<boolean> {
    return this.repository.hasAnySession();
  }

  /** Exchanges a link for a session; null when the link is unknown, used or expired. */
  async exchange(linkSecret: string, now = new Date()): Promise<OpenedSession | null> {
    if (!linkSecret.startsWith(LINK_PREFIX)) return null;
    const link = await this.repository.consumeLink(sha256(linkSecret), now);
    if (!link) return null;
    const secret = `${SESSION_PREFIX}${randomBytes(32).toString('base64url')}`;
    const csrfToken = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    const row = await this.repository.createSession({
      secretHash: sha256(secret),
      csrfHash: sha256(csrfToken),
      expiresAt,
      memberId: link.member?.id ?? null,
    });
    return { id: row.id, member: memberOf(row.member), secret, csrfToken, expiresAt };
  }

  /** The live session a cookie value names, or null. */
  async authenticate(secret: string, now = new Date()): Promise<LiveSession | null> {
    if (!secret.startsWith(SESSION_PREFIX)) return null;
    const row = await this.repository.findLiveSession(sha256(secret), now);
    if (!row) return null;
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.repository.touchSession(row.id, now);
    }
    return {
      id: row.id,
      expiresAt: row.expiresAt,
      member: memberOf(row.member),
      csrfMatches: (candidate) =>
        candidate.length > 0 && secretsEqual(sha256(candidate), row.csrfHash),
    };
  }

  async signOut(id: string, now = new Date()): Promise<void> {
    await this.repository.revokeSession(id, now);
  }
}
