import type { RequestHandler } from 'express';
import { PERMISSIONS, roleAllows, type Permission } from '../../access/roles.ts';
import { ApiError } from '../errors/api-error.ts';
import { principalOf } from './principal.ts';

/**
 * What a route requires, declared beside it in API_ROUTES:
 * - a workspace permission (`read`, `integrations:push`, `integrations:manage`), checked against
 *   the caller's role after the workspace access check;
 * - `operator`: the admin token or a console session only;
 * - `signed-in`: any authenticated caller (the route scopes what it shows);
 * - `public`: no authentication at all (exchanging a one-time sign-in link).
 */
export type RouteRule = Permission | 'operator' | 'signed-in' | 'public';

export const ROUTE_RULES: readonly RouteRule[] = [
  ...PERMISSIONS,
  'operator',
  'signed-in',
  'public',
];

export function isPermission(rule: RouteRule): rule is Permission {
  return (PERMISSIONS as readonly string[]).includes(rule);
}

/** Refuses a caller the route's rule does not admit with 403, before the handler reads anything. */
export function authorize(rule: RouteRule): RequestHandler {
  return (req, _res, next) => {
    if (rule === 'public' || rule === 'signed-in') {
      next();
      return;
    }
    const principal = principalOf(req);
    if (principal.kind === 'admin') {
      next();
      return;
    }
    if (rule === 'operator') {
      throw new ApiError(403, 'forbidden', 'This operation needs the admin token');
    }
    if (!roleAllows(principal.role, rule)) {
      throw new ApiError(
        403,
        'forbidden',
        `The ${principal.role} role does not have the ${rule} permission`,
        { requiredPermission: rule, role: principal.role },
      );
    }
    next();
  };
}
