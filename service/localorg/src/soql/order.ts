/**
 * ORDER BY as a comparator over pre-computed sort keys: ASC by default, nulls first unless
 * NULLS LAST is given, text compared case-insensitively.
 */
import type { Comparable } from './values.ts';
import { compareKeys } from './values.ts';

export interface SortCriterion<T> {
  key: (row: T) => Comparable | null;
  descending: boolean;
  nullsLast: boolean;
}

export function sortRows<T>(rows: T[], criteria: SortCriterion<T>[]): T[] {
  if (criteria.length === 0 || rows.length < 2) return rows;
  const decorated = rows.map((row) => ({ row, keys: criteria.map((c) => c.key(row)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < criteria.length; i++) {
      const c = criteria[i] as SortCriterion<T>;
      const x = a.keys[i] ?? null;
      const y = b.keys[i] ?? null;
      if (x === y) continue;
      if (x === null) return c.nullsLast ? 1 : -1;
      if (y === null) return c.nullsLast ? -1 : 1;
      const order = compareKeys(x, y);
      if (order !== 0) return c.descending ? -order : order;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}
