import type { QueryRecord } from '../soql/index.ts';
import { base62, to18 } from '../org/ids.ts';

/**
 * Open query cursors of one org: the rest of a result set beyond the first batch, fetched
 * through `nextRecordsUrl` (`/query/01g...-2000`). Old cursors are dropped first when too
 * many are open, as Salesforce limits open cursors per user.
 */

const MAX_OPEN = 100;

export interface QueryCursor {
  id: string;
  totalSize: number;
  records: QueryRecord[];
  batchSize: number;
}

export class QueryCursors {
  private readonly open = new Map<string, QueryCursor>();
  private counter = 0;

  constructor(private readonly pod: string) {}

  create(records: QueryRecord[], totalSize: number, batchSize: number): QueryCursor {
    this.counter++;
    const cursor: QueryCursor = {
      id: to18(`01g${this.pod}${base62(this.counter, 10)}`),
      totalSize,
      records,
      batchSize,
    };
    this.open.set(cursor.id, cursor);
    if (this.open.size > MAX_OPEN) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
    return cursor;
  }

  /** `01g...-2000` → the cursor and the offset of the next batch. */
  resolve(locator: string): { cursor: QueryCursor; offset: number } | undefined {
    const m = /^(01g[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)-(\d+)$/.exec(locator);
    if (!m) return undefined;
    const id = m[1] ?? '';
    const cursor =
      this.open.get(id) ??
      [...this.open.values()].find((c) => c.id.slice(0, 15) === id.slice(0, 15));
    return cursor ? { cursor, offset: Number(m[2]) } : undefined;
  }

  close(id: string): void {
    this.open.delete(id);
  }
}
