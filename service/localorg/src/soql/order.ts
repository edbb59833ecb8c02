/**
 * ORDER BY as a comparator over pre-computed sort keys: ASC by default, nulls first unless
 * NULLS LAST is given. When only the first k rows are wanted (LIMIT, OFFSET), a bounded
 * sorted buffer keeps them without sorting the whole result.
 */
import type { Comparable } from './values.ts';
import { compareKeys } from './values.ts';

export interface SortCriterion<T> {
  key: (row: T) => Comparable | null;
  descending: boolean;
  nullsLast: boolean;
}

interface Decorated<T> {
  row: T;
  keys: (Comparable | null)[];
}

function keyComparator<T>(
  criteria: SortCriterion<T>[],
): (a: (Comparable | null)[], b: (Comparable | null)[]) => number {
  return (a, b) => {
    for (let i = 0; i < criteria.length; i++) {
      const c = criteria[i] as SortCriterion<T>;
      const x = a[i] ?? null;
      const y = b[i] ?? null;
      if (x === y) continue;
      if (x === null) return c.nullsLast ? 1 : -1;
      if (y === null) return c.nullsLast ? -1 : 1;
      const order = compareKeys(x, y);
      if (order !== 0) return c.descending ? -order : order;
    }
    return 0;
  };
}

/** Rows in ORDER BY order; with `first`, only the first `first` rows (stable for ties). */
export function sortRows<T>(rows: T[], criteria: SortCriterion<T>[], first = Infinity): T[] {
  if (criteria.length === 0 || rows.length < 2) return rows.slice(0, first);
  const compareKeyLists = keyComparator(criteria);
  const compare = (a: Decorated<T>, b: Decorated<T>) => compareKeyLists(a.keys, b.keys);
  if (first * 8 >= rows.length) {
    return rows
      .map((row) => ({ row, keys: criteria.map((c) => c.key(row)) }))
      .sort(compare)
      .slice(0, first)
      .map((d) => d.row);
  }
  const best: Decorated<T>[] = [];
  const scratch: (Comparable | null)[] = new Array<Comparable | null>(criteria.length);
  for (const row of rows) {
    for (let i = 0; i < criteria.length; i++)
      scratch[i] = (criteria[i] as SortCriterion<T>).key(row);
    const worst = best[best.length - 1];
    if (best.length >= first && worst && compareKeyLists(scratch, worst.keys) >= 0) continue;
    const item: Decorated<T> = { row, keys: scratch.slice() };
    // Insert after equal keys, so earlier rows stay ahead of later ties.
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(best[mid] as Decorated<T>, item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    if (best.length > first) best.pop();
  }
  return best.map((d) => d.row);
}
