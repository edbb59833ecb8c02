import type { InsertTarget, SqlDialect } from './fast-insert.ts';
import { inTransaction, preparedOn, sqliteDateTime } from './sqlite-statements.ts';
import type { TransactionClient } from './transaction.ts';

/**
 * Bulk updates for the sync engine's hot path, the counterpart of fast-insert.ts: the records a
 * page changes (each only if its version is still the one read) and their links' base values,
 * through the caller's interactive transaction, so a page stays atomic. Prisma's `updateMany`
 * costs a compiled and interpreted query per record, two or three per updated record a page;
 * here:
 * - SQLite with the connection Prisma runs on: one prepared statement per row, run on that
 *   connection inside the transaction it has open (better-sqlite3 runs a prepared UPDATE in a
 *   few microseconds; the statement is compiled once per connection).
 * - Otherwise: multi-row `UPDATE … FROM (VALUES …)` statements sent through the transaction's
 *   Prisma client, `RETURNING` the ids of the records written. PostgreSQL names the VALUES
 *   columns (`AS v(id, …)`); SQLite (3.33+ for `UPDATE … FROM`, 3.35+ for `RETURNING`) calls
 *   them `column1`, `column2`, … (https://www.sqlite.org/lang_update.html,
 *   https://www.postgresql.org/docs/current/sql-update.html).
 *
 * Values are stored the way Prisma stores them (as fast-insert.ts writes them): Json as JSON
 * text on SQLite and `jsonb` on PostgreSQL; DateTime as ISO 8601 text with `+00:00` on SQLite and
 * UTC `timestamp(3)` on PostgreSQL. `updatedAt` is set to the call's time, as Prisma's
 * `@updatedAt` would.
 */

/** New values for a record, written only while its version is still `expectedVersion`. */
export interface RecordVersionedUpdate {
  id: string;
  expectedVersion: number;
  values: unknown;
}

/** A link's new base values after a sync; sync time and Salesforce stamp kept when left out. */
export interface LinkBaseUpdate {
  salesforceId: string;
  baseValues: unknown;
  /** Left out: the link keeps its last sync time (a change still to push). */
  lastSyncedAt?: Date;
  /** Left out: the link keeps the Salesforce stamp it has. */
  salesforceModstamp?: Date;
}

/** Rows per multi-row statement: 4 parameters a row stays far below either database's limit. */
const ROWS_PER_STATEMENT = 500;

const dateParameter = (date: Date | undefined, dialect: SqlDialect) =>
  date === undefined ? null : dialect === 'sqlite' ? sqliteDateTime(date) : date.toISOString();

/**
 * `rows` cut into runs of at most ROWS_PER_STATEMENT in which no key repeats: a multi-row UPDATE
 * writes a row at most once however often it is named, while rows applied one after another
 * would see the first write (a record named twice at the same version: the second is stale).
 */
function* statementRuns<Row>(rows: readonly Row[], key: (row: Row) => string): Generator<Row[]> {
  let run: Row[] = [];
  let keys = new Set<string>();
  for (const row of rows) {
    const k = key(row);
    if (run.length === ROWS_PER_STATEMENT || keys.has(k)) {
      yield run;
      run = [];
      keys = new Set();
    }
    run.push(row);
    keys.add(k);
  }
  if (run.length > 0) yield run;
}

const RECORD_ROW_SQL =
  'UPDATE "PryzmRecord" SET "values" = ?, "version" = "version" + 1, "updatedAt" = ? ' +
  'WHERE "id" = ? AND "version" = ?';

const LINK_ROW_SQL =
  'UPDATE "Link" SET "baseValues" = ?, "lastSyncedAt" = COALESCE(?, "lastSyncedAt"), ' +
  '"salesforceModstamp" = COALESCE(?, "salesforceModstamp"), "updatedAt" = ? ' +
  'WHERE "connectionId" = ? AND "salesforceId" = ?';

/** `(…),(…)` of `rows` tuples with the given PostgreSQL casts (or SQLite's bare `?`). */
function valuesList(dialect: SqlDialect, rows: number, casts: readonly string[], from = 1): string {
  const tuples: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    const placeholders = casts.map((cast, column) =>
      dialect === 'sqlite' ? '?' : `$${from + row * casts.length + column}${cast}`,
    );
    tuples.push(`(${placeholders.join(',')})`);
  }
  return tuples.join(',');
}

function recordsSql(dialect: SqlDialect, rows: number): string {
  const values = valuesList(dialect, rows, ['::text', '::integer', '::jsonb'], 2);
  if (dialect === 'sqlite') {
    return (
      `UPDATE "PryzmRecord" SET "values" = v.column3, "version" = "PryzmRecord"."version" + 1, ` +
      `"updatedAt" = ? FROM (VALUES ${values}) AS v ` +
      `WHERE "PryzmRecord"."id" = v.column1 AND "PryzmRecord"."version" = v.column2 ` +
      `RETURNING "PryzmRecord"."id" AS id`
    );
  }
  return (
    `UPDATE "PryzmRecord" AS r SET "values" = v.vals, "version" = r."version" + 1, ` +
    `"updatedAt" = $1::timestamp(3) FROM (VALUES ${values}) AS v(id, version, vals) ` +
    `WHERE r."id" = v.id AND r."version" = v.version RETURNING r."id" AS id`
  );
}

function linksSql(dialect: SqlDialect, rows: number): string {
  const casts = ['::text', '::jsonb', '::timestamp(3)', '::timestamp(3)'];
  const values = valuesList(dialect, rows, casts, 3);
  if (dialect === 'sqlite') {
    return (
      `UPDATE "Link" SET "baseValues" = v.column2, ` +
      `"lastSyncedAt" = COALESCE(v.column3, "Link"."lastSyncedAt"), ` +
      `"salesforceModstamp" = COALESCE(v.column4, "Link"."salesforceModstamp"), ` +
      `"updatedAt" = ? FROM (VALUES ${values}) AS v ` +
      `WHERE "Link"."connectionId" = ? AND "Link"."salesforceId" = v.column1`
    );
  }
  return (
    `UPDATE "Link" AS l SET "baseValues" = v.base, ` +
    `"lastSyncedAt" = COALESCE(v.synced, l."lastSyncedAt"), ` +
    `"salesforceModstamp" = COALESCE(v.stamp, l."salesforceModstamp"), ` +
    `"updatedAt" = $1::timestamp(3) FROM (VALUES ${values}) AS v(sfid, base, synced, stamp) ` +
    `WHERE l."connectionId" = $2 AND l."salesforceId" = v.sfid`
  );
}

async function updateRecords(
  tx: TransactionClient,
  target: InsertTarget,
  rows: readonly RecordVersionedUpdate[],
  now: Date,
): Promise<boolean[]> {
  if (rows.length === 0) return [];
  if (typeof target !== 'string') {
    const statement = preparedOn(target.connection, RECORD_ROW_SQL);
    const at = sqliteDateTime(now);
    return inTransaction(target.connection, () =>
      rows.map(
        (row) =>
          statement.run([JSON.stringify(row.values), at, row.id, row.expectedVersion]).changes > 0,
      ),
    );
  }
  const dialect = target;
  const written: boolean[] = [];
  for (const run of statementRuns(rows, (row) => row.id)) {
    const parameters: unknown[] = [];
    for (const row of run) parameters.push(row.id, row.expectedVersion, JSON.stringify(row.values));
    // SQLite numbers its `?` in text order: the time in SET comes before the VALUES.
    const returned = await tx.$queryRawUnsafe<{ id: string }[]>(
      recordsSql(dialect, run.length),
      dateParameter(now, dialect),
      ...parameters,
    );
    // No id repeats within a run: an id returned is that row's write.
    const ids = new Set(returned.map((row) => row.id));
    for (const row of run) written.push(ids.has(row.id));
  }
  return written;
}

async function updateLinks(
  tx: TransactionClient,
  target: InsertTarget,
  connectionId: string,
  rows: readonly LinkBaseUpdate[],
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  if (typeof target !== 'string') {
    const statement = preparedOn(target.connection, LINK_ROW_SQL);
    const at = sqliteDateTime(now);
    return inTransaction(target.connection, () => {
      let changed = 0;
      for (const row of rows) {
        changed += statement.run([
          JSON.stringify(row.baseValues),
          dateParameter(row.lastSyncedAt, 'sqlite'),
          dateParameter(row.salesforceModstamp, 'sqlite'),
          at,
          connectionId,
          row.salesforceId,
        ]).changes;
      }
      return changed;
    });
  }
  const dialect = target;
  let changed = 0;
  for (const run of statementRuns(rows, (row) => row.salesforceId)) {
    const parameters: unknown[] = [];
    for (const row of run) {
      parameters.push(
        row.salesforceId,
        JSON.stringify(row.baseValues),
        dateParameter(row.lastSyncedAt, dialect),
        dateParameter(row.salesforceModstamp, dialect),
      );
    }
    const at = dateParameter(now, dialect);
    const sql = linksSql(dialect, run.length);
    // SQLite numbers its `?` in text order: SET's time, the VALUES, then the connection.
    changed +=
      dialect === 'sqlite'
        ? await tx.$executeRawUnsafe(sql, at, ...parameters, connectionId)
        : await tx.$executeRawUnsafe(sql, at, connectionId, ...parameters);
  }
  return changed;
}

export const fastUpdate = {
  /**
   * Writes each record's new values and bumps its version, only where the version is still the
   * one expected (as `updateMany({ where: { id, version } })` one by one would); answers, row by
   * row, whether it was written. A row not written names a record that changed meanwhile (or is
   * gone): the caller reports it stale.
   */
  records: (
    tx: TransactionClient,
    target: InsertTarget,
    rows: readonly RecordVersionedUpdate[],
    now: Date = new Date(),
  ) => updateRecords(tx, target, rows, now),
  /** Sets the links' base values (and sync times, stamps) by Salesforce Id; answers the count. */
  links: (
    tx: TransactionClient,
    target: InsertTarget,
    connectionId: string,
    rows: readonly LinkBaseUpdate[],
    now: Date = new Date(),
  ) => updateLinks(tx, target, connectionId, rows, now),
};
