import { describe, expect, it } from 'vitest';
import { sqliteDateTime } from '../../src/store/repositories/sqlite-statements.ts';

describe('sqliteDateTime', () => {
  it('should write a time as the better-sqlite3 adapter stores it', () => {
    expect(sqliteDateTime(new Date('2026-12-06T10:00:00.123Z'))).toBe(
      '2026-12-06T10:00:00.123+00:00',
    );
  });

  it('should answer each time’s own text whatever the order times come in', () => {
    const times = [0, 1, 0, 2, 2, 0, 1, 3, 0].map(
      (offset) => new Date(Date.UTC(2026, 11, 6, 10, 0, offset)),
    );
    expect(times.map(sqliteDateTime)).toEqual(
      times.map((time) => time.toISOString().replace('Z', '+00:00')),
    );
  });
});
