import { z } from 'zod';
import { ApiError } from '../errors/api-error.ts';

/**
 * Every list answers `{ data, nextCursor }`: `nextCursor` is null on the last page, otherwise the
 * value to send back as `?cursor=` for the next one (the id of the page's last item).
 */
export const pageAnswer = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

/** `?limit=&cursor=` of a list whose items are few (keys, types, connections, mappings). */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(100),
  cursor: z.string().min(1).max(255).optional(),
};

/**
 * One page of a short list already read whole (a workspace has tens of these, not thousands), in
 * the order the use case gives. The cursor names the last item of the previous page; an unknown
 * one is refused rather than silently restarting the list.
 */
export function pageOfList<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  { limit, cursor }: { limit: number; cursor?: string },
): { data: T[]; nextCursor: string | null } {
  let start = 0;
  if (cursor !== undefined) {
    const index = items.findIndex((item) => idOf(item) === cursor);
    if (index < 0)
      throw new ApiError(400, 'invalid_cursor', 'The cursor does not belong to this list');
    start = index + 1;
  }
  const data = items.slice(start, start + limit);
  const last = data.at(-1);
  const more = start + limit < items.length;
  return { data, nextCursor: more && last !== undefined ? idOf(last) : null };
}
