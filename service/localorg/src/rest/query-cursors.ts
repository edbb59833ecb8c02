import type { QueryRecord } from '../soql/index.ts';
import { base62, to18 } from '../core/ids.ts';

/**
 * Open query cursors of one org: the rest of a result set beyond the first batch, fetched
 * through `nextRecordsUrl` (`/query/0r8...-2000`; query locators carry the 0r8 prefix). As on
 * Salesforce since API 56.0 a cursor lives two days; to bound memory the oldest are released
 * beyond a thousand open ones.
 */

const MAX_OPEN = 1000;
const LIFETIME_MS = 2 * 24 * 3600_000;

export interface QueryCursor {
  id: string;
  totalSize: number;
  records: QueryRecord[];
  batchSize: number;
  createdAt: number;
}

export class QueryCursors {
  private readonly open = new Map<string, QueryCursor>();
  private counter = 0;

  constructor(private readonly pod: string) {}

  create(records: QueryRecord[], totalSize: number, batchSize: number, now: number): QueryCursor {
    this.counter++;
    const cursor: QueryCursor = {
      id: to18(`0r8${this.pod}${base62(this.counter, 10)}`),
      totalSize,
      records,
      batchSize,
      createdAt: now,
    };
    this.open.set(cursor.id, cursor);
    if (this.open.size > MAX_OPEN) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
    return cursor;
  }

  /** `0r8...-2000` → the cursor and the offset of the next batch. */
  resolve(locator: string, now: number): { cursor: QueryCursor; offset: number } | undefined {
    const m = /^(0r8[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)-(\d+)$/.exec(locator);
    if (!m) return undefined;
    const id = m[1] ?? '';
    const cursor =
      this.open.get(id) ??
      [...this.open.values()].find((c) => c.id.slice(0, 15) === id.slice(0, 15));
    if (cursor && now - cursor.createdAt > LIFETIME_MS) {
      this.open.delete(cursor.id);
      return undefined;
    }
    return cursor ? { cursor, offset: Number(m[2]) } : undefined;
  }
}
