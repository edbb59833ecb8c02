import { z } from 'zod';

/** Filters every access list takes (each list fills the columns its records have). */
export const listFilters = {
  /** The user a record is about: an assignee, a member, a token's owner. */
  userId: z.string().max(18).optional(),
  /** What it links to: a permission set (group), licence, group, profile, parent role. */
  targetId: z.string().max(18).optional(),
  active: z.enum(['true', 'false']).optional(),
  /** Names starting with this. */
  name: z.string().max(255).optional(),
};

export function recordFilter(query: {
  userId?: string;
  targetId?: string;
  active?: 'true' | 'false';
  name?: string;
}) {
  return {
    userId: query.userId,
    targetId: query.targetId,
    active: query.active === undefined ? undefined : query.active === 'true',
    name: query.name,
  };
}
