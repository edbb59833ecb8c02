import { describe, expect, it } from 'vitest';
import { sortRows, type SortCriterion } from './order.ts';

interface Row {
  n: number;
  group: number | null;
  name: string | null;
}

const rows: Row[] = Array.from({ length: 500 }, (_, n) => ({
  n,
  group: n % 7 === 0 ? null : (n * 31) % 5,
  name: n % 11 === 0 ? null : `name ${(n * 17) % 23}`,
}));

const criteria: SortCriterion<Row>[][] = [
  [{ key: (r) => r.group, descending: false, nullsLast: false }],
  [{ key: (r) => r.group, descending: true, nullsLast: true }],
  [
    { key: (r) => r.name, descending: true, nullsLast: false },
    { key: (r) => r.group, descending: false, nullsLast: true },
  ],
];

describe('sortRows', () => {
  it.each(criteria.map((c, i) => [i, c] as const))(
    'keeps the first k rows exactly as a full stable sort would (criteria %i)',
    (_i, c) => {
      const full = sortRows(rows, c);
      for (const k of [1, 5, 20, 61]) {
        expect(sortRows(rows, c, k)).toEqual(full.slice(0, k));
      }
    },
  );

  it('puts nulls first by default and last with NULLS LAST', () => {
    const asc = sortRows(rows, [{ key: (r) => r.group, descending: false, nullsLast: false }]);
    expect(asc[0]?.group).toBeNull();
    const last = sortRows(rows, [{ key: (r) => r.group, descending: false, nullsLast: true }]);
    expect(last[last.length - 1]?.group).toBeNull();
    expect(last[0]?.group).toBe(0);
  });
});
