import type { Request } from 'express';
import { ApiError } from '../errors/api-error.ts';

/** Who is calling: the operator (admin token) or one workspace's API key. */
export type Principal =
  { kind: 'admin' } | { kind: 'workspace'; workspaceId: string; apiKeyId: string };

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
