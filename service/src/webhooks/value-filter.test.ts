import { describe, expect, it } from 'vitest';
import { matchesFilter, valueFilterSchema, type ValueFilter } from './value-filter.ts';

const wonAndLarge: ValueFilter = {
  all: [
    { attribute: 'stage', op: 'eq', value: 'Closed Won' },
    { attribute: 'amount', op: 'gt', value: 50000 },
  ],
};

describe('webhook value filters', () => {
  it('passes won deals above the amount only', () => {
    expect(matchesFilter(wonAndLarge, { stage: 'Closed Won', amount: 75000 })).toBe(true);
    expect(matchesFilter(wonAndLarge, { stage: 'Closed Won', amount: 50000 })).toBe(false);
    expect(matchesFilter(wonAndLarge, { stage: 'Prospecting', amount: 90000 })).toBe(false);
    expect(matchesFilter(wonAndLarge, { stage: 'Closed Won', amount: '90000' })).toBe(false);
    expect(matchesFilter(wonAndLarge, { stage: 'Closed Won' })).toBe(false);
  });

  it('combines with any, and knows in, ne, contains, exists and string order', () => {
    const filter: ValueFilter = {
      any: [
        { attribute: 'stage', op: 'in', value: ['Closed Won', 'Closed Lost'] },
        { attribute: 'tags', op: 'contains', value: 'vip' },
        { attribute: 'close_date', op: 'lte', value: '2026-01-31' },
      ],
    };
    expect(matchesFilter(filter, { stage: 'Closed Lost' })).toBe(true);
    expect(matchesFilter(filter, { stage: 'Open', tags: ['vip'] })).toBe(true);
    expect(matchesFilter(filter, { stage: 'Open', close_date: '2026-01-15' })).toBe(true);
    expect(matchesFilter(filter, { stage: 'Open', close_date: '2026-02-01' })).toBe(false);
    expect(matchesFilter({ all: [{ attribute: 'email', op: 'exists' }] }, { email: '' })).toBe(
      false,
    );
    expect(matchesFilter({ all: [{ attribute: 'stage', op: 'ne', value: null }] }, {})).toBe(false);
    expect(matchesFilter(null, {})).toBe(true);
  });

  it('reads own values only, never Object.prototype', () => {
    const filter: ValueFilter = { all: [{ attribute: 'constructor', op: 'exists' }] };
    expect(matchesFilter(filter, {})).toBe(false);
  });

  it('refuses malformed filters', () => {
    for (const bad of [
      {},
      { all: [] },
      { all: [{ attribute: 'a', op: 'gt', value: [1] }] },
      { all: [{ attribute: 'a', op: 'regex', value: '.*' }] },
      { all: [{ attribute: 'a', op: 'eq', value: 1, extra: true }] },
      { all: [], any: [] },
    ]) {
      expect(valueFilterSchema.safeParse(bad).success).toBe(false);
    }
  });
});
