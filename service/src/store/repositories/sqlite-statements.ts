import type { SqliteConnection } from '../sqlite-adapter.ts';

/**
 * What the bulk writers (fast-insert.ts, fast-update.ts) and readers (page-state-reads.ts) share
 * to run their own statements on the SQLite connection Prisma runs on (sqlite-adapter.ts).
 */

type SqliteStatement = ReturnType<SqliteConnection['prepare']>;

/** Prepared statements, per connection and statement text. */
const prepared = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

/**
 * `sql` prepared once per connection: better-sqlite3 compiles a statement when it is prepared,
 * and Prisma's adapter prepares every query again each time it runs.
 */
export function preparedOn(connection: SqliteConnection, sql: string): SqliteStatement {
  let statements = prepared.get(connection);
  if (!statements) prepared.set(connection, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
  return statement;
}

/**
 * Runs `work` in the connection's open transaction (the caller's: the connection lock keeps
 * everyone else's out, database.ts `outsideTransactions`), or in one of its own.
 */
export function inTransaction<T>(connection: SqliteConnection, work: () => T): T {
  return connection.inTransaction ? work() : connection.transaction(work)();
}

/**
 * A DateTime as the better-sqlite3 adapter stores it: `2026-12-06T10:00:00.000+00:00`. A page's
 * rows carry the same few times (the commit's `now`, three columns a row) between times of their
 * own (a link's `SystemModstamp`): the last two texts are kept, so that a row's own time does not
 * push the commit's out, instead of formatting them again for every column of every row.
 */
let recent = { time: Number.NaN, text: '' };
let previous = { time: Number.NaN, text: '' };
export function sqliteDateTime(value: Date): string {
  const time = value.getTime();
  if (time === recent.time) return recent.text;
  if (time === previous.time) {
    [recent, previous] = [previous, recent];
    return recent.text;
  }
  previous = recent;
  recent = { time, text: value.toISOString().replace('Z', '+00:00') };
  return recent.text;
}

/** A DateTime column as better-sqlite3 answers it on the adapter's connection. */
export type StoredDate = string | number | bigint | null;

/** SQLite's own `CURRENT_TIMESTAMP` text (`2026-12-06 10:00:00`): UTC without a zone. */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * A DateTime column's stored value as a Date, the reverse of `sqliteDateTime`: the adapter's
 * text (`...T10:00:00.000+00:00`), a zoneless SQLite timestamp (UTC), or milliseconds since the
 * epoch (the adapter's `unixepoch-ms` format); null stays null.
 */
export function sqliteDate(value: StoredDate | undefined): Date | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return new Date(Number(value));
  return new Date(ZONELESS.test(value) ? `${value.replace(' ', 'T')}Z` : value);
}
