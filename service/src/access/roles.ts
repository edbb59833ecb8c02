/**
 * Roles of a workspace and what each may do. The permissions are the ones the Pryzm product
 * defines: `integrations:manage` (connect, disconnect, configure mappings, bulk jobs, conflicts,
 * keys, members, audit, sensitive fields) for Admins; `integrations:push` (push a record, write
 * records) for Admins and Editors; `read` for everyone in the workspace.
 */
export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['read', 'integrations:push', 'integrations:manage'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  editor: new Set(['read', 'integrations:push']),
  viewer: new Set(['read']),
};

/** Ordered from least to most: a key never mints one above its own role. */
const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** A role read from the store; anything unknown counts as the least privileged role. */
export function roleOf(value: string): Role {
  return isRole(value) ? value : 'viewer';
}

export function roleAllows(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

/** Whether `role` grants nothing that `ceiling` does not. */
export function roleWithin(role: Role, ceiling: Role): boolean {
  return RANK[role] <= RANK[ceiling];
}

/** The lesser of two roles. */
export function lesserRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

/** The key a new key is minted with: the new key stays within its role and expiry. */
export interface MintingKey {
  /** The key it descends from; null for a member's console session (no key behind it). */
  id: string | null;
  role: Role;
  expiresAt: Date | null;
}
