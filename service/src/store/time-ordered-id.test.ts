import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedId } from './time-ordered-id.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit Unix time in milliseconds at the front of a version 7 UUID. */
const timeOf = (id: string) => parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('timeOrderedId', () => {
  it('makes version 7 UUIDs that carry the time and pass the API’s UUID checks', () => {
    const now = Date.UTC(2026, 11, 6, 12, 0, 0, 123);
    const id = timeOrderedId(now + 10_000);
    expect(id).toMatch(UUID_V7);
    expect(timeOf(id)).toBe(now + 10_000);
    expect(z.string().uuid().safeParse(id).success).toBe(true);
  });

  it('keeps ids made in one millisecond, and across milliseconds, in the order they were made', () => {
    const start = Date.now() + 60_000;
    const ids: string[] = [];
    for (let index = 0; index < 5_000; index += 1) {
      ids.push(timeOrderedId(start + Math.floor(index / 1_000)));
    }
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never goes backwards when the clock steps back', () => {
    const later = Date.now() + 120_000;
    const first = timeOrderedId(later);
    const second = timeOrderedId(later - 5_000);
    expect(second > first).toBe(true);
    expect(timeOf(second)).toBe(later);
  });
});
