import type { Request } from 'express';
import type { AuditActor } from '../../access/audit-log.ts';
import type { MintingKey, Role } from '../../access/roles.ts';
import { ApiError } from '../errors/api-error.ts';

/**
 * Who is calling: the operator (the admin token, or a console session opened with a sign-in
 * link) or one workspace's key, personal token or member's console session, with the role it
 * acts with.
 */
export type Principal =
  | { kind: 'admin'; sessionId: string | null }
  | {
      kind: 'workspace';
      workspaceId: string;
      /** The key or token used; null for a member's console session. */
      apiKeyId: string | null;
      /** The member's console session; null for a key or token. */
      sessionId: string | null;
      role: Role;
      expiresAt: Date | null;
      memberId: string | null;
    };

const principals = new WeakMap<Request, Principal>();

export function setPrincipal(req: Request, principal: Principal): void {
  principals.set(req, principal);
}

/** The authenticated caller; routes only run after `authenticate`, so one is always there. */
export function principalOf(req: Request): Principal {
  const principal = principals.get(req);
  if (!principal) throw new ApiError(401, 'unauthorized', 'Authentication required');
  return principal;
}

/** The authenticated caller if there is one (public routes have none). */
export function maybePrincipalOf(req: Request): Principal | undefined {
  return principals.get(req);
}

export function requireAdmin(req: Request): void {
  if (principalOf(req).kind !== 'admin') {
    throw new ApiError(403, 'forbidden', 'This operation needs the admin token');
  }
}

/** The API key id behind a request, recorded as the initiator of connections. */
export function actorOf(req: Request): string | null {
  const principal = principalOf(req);
  return principal.kind === 'workspace' ? principal.apiKeyId : null;
}

/**
 * Who started a job, as jobs record it: `api_key:<id>`, `console_session:<id>` (a member signed
 * in to the console) or `admin` (the operator).
 */
export function initiatorOf(req: Request): string {
  const principal = principalOf(req);
  if (principal.kind !== 'workspace') return 'admin';
  return principal.sessionId
    ? `console_session:${principal.sessionId}`
    : `api_key:${principal.apiKeyId ?? ''}`;
}

/** The caller's role in its workspace; null for the operator, who may do everything. */
export function roleOfCaller(req: Request): Role | null {
  const principal = principalOf(req);
  return principal.kind === 'workspace' ? principal.role : null;
}

/**
 * What bounds a key minted by this request (null when the operator mints it): the key it
 * descends from, or for a member's console session the member's role and the session's expiry.
 */
export function mintingKeyOf(req: Request): MintingKey | null {
  const principal = principalOf(req);
  return principal.kind === 'workspace'
    ? { id: principal.apiKeyId, role: principal.role, expiresAt: principal.expiresAt }
    : null;
}

/** Who acted, as the audit trail names them. */
export function auditActorOf(req: Request): AuditActor {
  const principal = maybePrincipalOf(req);
  if (!principal) return { kind: 'operator', id: null };
  if (principal.kind === 'workspace' && !principal.sessionId) {
    return { kind: 'api_key', id: principal.apiKeyId };
  }
  return principal.sessionId
    ? { kind: 'console_session', id: principal.sessionId }
    : { kind: 'operator', id: null };
}
