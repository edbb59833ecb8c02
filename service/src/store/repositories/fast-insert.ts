import { sqliteConnectionOf, type PrismaClient } from '../database.ts';
import type { SqliteConnection } from '../sqlite-adapter.ts';
import { timeOrderedId } from '../time-ordered-id.ts';
import { inTransaction, preparedOn, sqliteDateTime } from './sqlite-statements.ts';
import type { TransactionClient } from './transaction.ts';

// The write-back's statements live in a module of their own; callers import them from here too.
export { idWriteBack } from './id-write-back-links.ts';

/**
 * Bulk inserts for the sync engine's hot path: multi-row `INSERT ... VALUES (...),(...)` of a few
 * hundred rows per statement, with bound parameters, through the caller's interactive transaction
 * (so a page stays atomic). Prisma's `createMany` spends most of its time compiling and
 * interpreting the query, not in the database; this writes the same rows at the driver's pace.
 *
 * Rows written here read back through Prisma exactly as rows Prisma wrote (fast-insert.test.ts):
 * what Prisma fills in itself (`@default(now())`, `@updatedAt`, defaults) is filled in here the
 * same way, and values are stored as Prisma stores them:
 * - Json: SQLite keeps the JSON text (`JSON.stringify`); PostgreSQL gets `jsonb`.
 * - DateTime: SQLite keeps ISO 8601 text as the better-sqlite3 adapter writes it
 *   (`2026-12-06T10:00:00.000+00:00`); PostgreSQL gets UTC in `timestamp(3)`.
 * Ids left out are time-ordered UUIDs (version 7, time-ordered-id.ts) rather than
 * `@default(uuid())`'s random ones: rows written in bulk append to their primary key's index
 * instead of landing on random pages of it (at a million rows, most of them out of the cache).
 */

export type SqlDialect = 'sqlite' | 'postgresql';

/**
 * The SQL dialect of a client the store opened (database.ts): the generated client's provider.
 * (Both generated clients are built by the same runtime class, so `instanceof` cannot tell.)
 */
export function sqlDialect(prisma: PrismaClient): SqlDialect {
  const provider = (prisma as unknown as { _activeProvider?: string })._activeProvider;
  if (provider === 'postgresql' || provider === 'sqlite') return provider;
  throw new Error(`fast inserts do not support the ${String(provider)} provider`);
}

/**
 * Where inserts go: a dialect alone writes multi-row statements through the Prisma client given
 * to each call; on SQLite, with the connection that client runs on (sqlite-adapter.ts), rows go
 * one by one through prepared statements kept per connection, as better-sqlite3 is fastest:
 * no statement of thousands of placeholders to compile for every 500 rows, and no copy of the
 * parameters through Prisma. Statements run inside whatever transaction the connection has open
 * (the caller's interactive transaction); without one, each call is a transaction of its own.
 */
export type InsertTarget = SqlDialect | { dialect: 'sqlite'; connection: SqliteConnection };

/** The fastest target for a client's database (see InsertTarget). */
export function insertTarget(prisma: PrismaClient): InsertTarget {
  const dialect = sqlDialect(prisma);
  const connection = dialect === 'sqlite' ? sqliteConnectionOf(prisma) : null;
  return connection ? { dialect: 'sqlite', connection } : dialect;
}

type ColumnKind = 'text' | 'int' | 'json' | 'datetime';

/** SQLite's bound-parameter limit (SQLITE_MAX_VARIABLE_NUMBER) and PostgreSQL's (int16 count). */
const MAX_PARAMETERS: Record<SqlDialect, number> = { sqlite: 32_766, postgresql: 65_535 };
/** Rows per statement: past a few hundred, longer statements stop paying on either database. */
export const ROWS_PER_STATEMENT = 500;

const POSTGRES_CASTS: Record<ColumnKind, string> = {
  text: '',
  int: '::integer',
  json: '::jsonb',
  datetime: '::timestamp(3)',
};

interface Table<Row> {
  name: string;
  columns: readonly (readonly [column: string, kind: ColumnKind])[];
  /** The row's values in column order (before encoding). */
  values(row: Row, now: Date): unknown[];
}

/**
 * `ON CONFLICT (<target>) DO UPDATE SET <column> = excluded.<column>, ...`: the row's unique
 * key, and the columns a conflicting row takes from the new one (the others, its id and
 * `createdAt` among them, stay). Both SQLite (3.24+) and PostgreSQL read the same syntax.
 */
interface Upsert {
  target: readonly string[];
  update: readonly string[];
  /** Columns a conflicting row takes from the new one only where the new one is not null. */
  updateUnlessNull?: readonly string[];
}

/**
 * A Json column's value already written as JSON text, taken as it is: a value two rows hold (a
 * new record's values are its link's base values) is stringified once for both.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

function encode(value: unknown, kind: ColumnKind, dialect: SqlDialect): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'json':
      return value instanceof JsonText ? value.text : JSON.stringify(value);
    case 'datetime':
      return dialect === 'sqlite' ? sqliteDateTime(value as Date) : (value as Date).toISOString();
    default:
      return value;
  }
}

/** `INSERT` text for `rows` rows, cached per table, dialect and row count. */
const statements = new Map<string, string>();
function insertSql(
  table: Table<never>,
  dialect: SqlDialect,
  rows: number,
  upsert?: Upsert,
): string {
  const key = `${dialect}:${table.name}:${rows}:${upsert ? upsert.target.join(',') : ''}`;
  const cached = statements.get(key);
  if (cached) return cached;
  const width = table.columns.length;
  const tuples: string[] = [];
  for (let row = 0; row < rows; row += 1) {
    const placeholders = table.columns.map(([, kind], column) =>
      dialect === 'sqlite' ? '?' : `$${row * width + column + 1}${POSTGRES_CASTS[kind]}`,
    );
    tuples.push(`(${placeholders.join(',')})`);
  }
  const columns = table.columns.map(([column]) => `"${column}"`).join(',');
  let sql = `INSERT INTO "${table.name}" (${columns}) VALUES ${tuples.join(',')}`;
  if (upsert) {
    const target = upsert.target.map((column) => `"${column}"`).join(',');
    const set = [
      ...upsert.update.map((column) => `"${column}" = excluded."${column}"`),
      ...(upsert.updateUnlessNull ?? []).map(
        (column) => `"${column}" = COALESCE(excluded."${column}", "${table.name}"."${column}")`,
      ),
    ].join(',');
    sql += ` ON CONFLICT (${target}) DO UPDATE SET ${set}`;
  }
  if (rows === ROWS_PER_STATEMENT || rows === 1) statements.set(key, sql);
  return sql;
}

function insertOnConnection<Row>(
  connection: SqliteConnection,
  table: Table<Row>,
  rows: readonly Row[],
  now: Date,
  upsert?: Upsert,
): number {
  if (rows.length === 0) return 0;
  const insert = preparedOn(connection, insertSql(table as Table<never>, 'sqlite', 1, upsert));
  const kinds = table.columns.map(([, kind]) => kind);
  const write = () => {
    let inserted = 0;
    for (const row of rows) {
      const values = table.values(row, now);
      for (let column = 0; column < values.length; column += 1) {
        values[column] = encode(values[column], kinds[column]!, 'sqlite');
      }
      inserted += insert.run(values).changes;
    }
    return inserted;
  };
  return inTransaction(connection, write);
}

async function insertRows<Row>(
  tx: TransactionClient,
  target: InsertTarget,
  table: Table<Row>,
  rows: readonly Row[],
  now: Date,
  upsert?: Upsert,
): Promise<number> {
  if (typeof target !== 'string') {
    return insertOnConnection(target.connection, table, rows, now, upsert);
  }
  const dialect = target;
  const width = table.columns.length;
  const perStatement = Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS[dialect] / width));
  let inserted = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    const end = Math.min(rows.length, start + perStatement);
    const parameters: unknown[] = new Array((end - start) * width);
    let at = 0;
    for (let index = start; index < end; index += 1) {
      const values = table.values(rows[index]!, now);
      for (let column = 0; column < width; column += 1) {
        parameters[at++] = encode(values[column], table.columns[column]![1], dialect);
      }
    }
    inserted += await tx.$executeRawUnsafe(
      insertSql(table as Table<never>, dialect, end - start, upsert),
      ...parameters,
    );
  }
  return inserted;
}

/** A new Pryzm record (`PryzmRecord`), as `prisma.pryzmRecord.createMany` takes it. */
export interface RecordInsert {
  id?: string;
  workspaceId: string;
  recordTypeId: string;
  values: unknown;
  version?: number;
  createdAt?: Date;
  updatedAt?: Date;
  deletedAt?: Date | null;
}

const RECORDS: Table<RecordInsert> = {
  name: 'PryzmRecord',
  columns: [
    ['id', 'text'],
    ['workspaceId', 'text'],
    ['recordTypeId', 'text'],
    ['values', 'json'],
    ['version', 'int'],
    ['createdAt', 'datetime'],
    ['updatedAt', 'datetime'],
    ['deletedAt', 'datetime'],
  ],
  values: (row, now) => [
    row.id ?? timeOrderedId(),
    row.workspaceId,
    row.recordTypeId,
    row.values,
    row.version ?? 1,
    row.createdAt ?? now,
    row.updatedAt ?? now,
    row.deletedAt ?? null,
  ],
};

/** A new link (`Link`), as `prisma.link.createMany` takes it. */
export interface LinkInsert {
  id?: string;
  connectionId: string;
  recordId: string;
  salesforceObject: string;
  salesforceId: string;
  baseValues: unknown;
  lastSyncedAt?: Date;
  createdAt?: Date;
  updatedAt?: Date;
  /** The Salesforce `SystemModstamp` of the values linked (null: not known). */
  salesforceModstamp?: Date | null;
}

const LINKS: Table<LinkInsert> = {
  name: 'Link',
  columns: [
    ['id', 'text'],
    ['connectionId', 'text'],
    ['recordId', 'text'],
    ['salesforceObject', 'text'],
    ['salesforceId', 'text'],
    ['baseValues', 'json'],
    ['lastSyncedAt', 'datetime'],
    ['createdAt', 'datetime'],
    ['updatedAt', 'datetime'],
    ['salesforceModstamp', 'datetime'],
  ],
  values: (row, now) => [
    row.id ?? timeOrderedId(),
    row.connectionId,
    row.recordId,
    row.salesforceObject,
    row.salesforceId,
    row.baseValues,
    row.lastSyncedAt ?? now,
    row.createdAt ?? now,
    row.updatedAt ?? now,
    row.salesforceModstamp ?? null,
  ],
};

/**
 * A link keyed by its record and object on the connection: an existing one takes the new
 * Salesforce Id, base values and sync times (as `prisma.link.upsert` on that key would update
 * them) and the new `salesforceModstamp` when there is one; `id` and `createdAt` stay.
 */
const LINK_BY_RECORD: Upsert = {
  target: ['connectionId', 'salesforceObject', 'recordId'],
  update: ['salesforceId', 'baseValues', 'lastSyncedAt', 'updatedAt'],
  // A push that could not read back the record's stamp keeps the one the link had.
  updateUnlessNull: ['salesforceModstamp'],
};

/**
 * A link put on the `Pryzm_ID__c` write-back's queue (`PendingIdWriteBack`); its `seq` comes from
 * the table's own sequence, in insert order.
 */
export interface PendingIdWriteBackInsert {
  linkId: string;
  connectionId: string;
  salesforceObject: string;
}

const PENDING_ID_WRITE_BACKS: Table<PendingIdWriteBackInsert> = {
  name: 'PendingIdWriteBack',
  columns: [
    ['linkId', 'text'],
    ['connectionId', 'text'],
    ['salesforceObject', 'text'],
  ],
  values: (row) => [row.linkId, row.connectionId, row.salesforceObject],
};

/** The last row of each key (a statement may not update the same row twice on PostgreSQL). */
function lastPerKey<Row>(rows: readonly Row[], key: (row: Row) => string): Row[] {
  const byKey = new Map<string, Row>();
  for (const row of rows) {
    const k = key(row);
    byKey.delete(k);
    byKey.set(k, row);
  }
  return [...byKey.values()];
}

/** What a job did to one record (`SyncRecordResult`), as `createMany` takes it. */
export interface RecordResultInsert {
  id?: string;
  jobId: string;
  salesforceObject: string;
  salesforceId?: string | null;
  recordId?: string | null;
  action: string;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** Left out, undefined or null: SQL NULL (as Prisma's `undefined`). */
  fields?: unknown;
  createdAt?: Date;
}

const RECORD_RESULTS: Table<RecordResultInsert> = {
  name: 'SyncRecordResult',
  columns: [
    ['id', 'text'],
    ['jobId', 'text'],
    ['salesforceObject', 'text'],
    ['salesforceId', 'text'],
    ['recordId', 'text'],
    ['action', 'text'],
    ['errorCode', 'text'],
    ['errorMessage', 'text'],
    ['fields', 'json'],
    ['createdAt', 'datetime'],
  ],
  values: (row, now) => [
    row.id ?? timeOrderedId(),
    row.jobId,
    row.salesforceObject,
    row.salesforceId ?? null,
    row.recordId ?? null,
    row.action,
    row.errorCode ?? null,
    row.errorMessage ?? null,
    row.fields ?? null,
    row.createdAt ?? now,
  ],
};

/**
 * Inserts rows in batches through `tx` (an interactive transaction's client, or the client
 * itself); answers the number of rows inserted. Unique and foreign-key violations fail the
 * statement, and with it the transaction, as `createMany` would.
 */
export const fastInsert = {
  records: (tx: TransactionClient, target: InsertTarget, rows: readonly RecordInsert[]) =>
    insertRows(tx, target, RECORDS, rows, new Date()),
  links: (tx: TransactionClient, target: InsertTarget, rows: readonly LinkInsert[]) =>
    insertRows(tx, target, LINKS, rows, new Date()),
  /**
   * Creates links, or updates those the connection already has for the record and object
   * (multi-row `INSERT ... ON CONFLICT DO UPDATE`); answers the rows written. A row whose
   * Salesforce Id another link holds violates that key and fails the transaction, as Prisma's
   * `upsert` would.
   */
  upsertLinksByRecord: (tx: TransactionClient, target: InsertTarget, rows: readonly LinkInsert[]) =>
    insertRows(
      tx,
      target,
      LINKS,
      lastPerKey(
        rows,
        (row) => `${row.connectionId}\u0000${row.salesforceObject}\u0000${row.recordId}`,
      ),
      new Date(),
      LINK_BY_RECORD,
    ),
  pendingIdWriteBacks: (
    tx: TransactionClient,
    target: InsertTarget,
    rows: readonly PendingIdWriteBackInsert[],
  ) => insertRows(tx, target, PENDING_ID_WRITE_BACKS, rows, new Date()),
  recordResults: (
    tx: TransactionClient,
    target: InsertTarget,
    rows: readonly RecordResultInsert[],
  ) => insertRows(tx, target, RECORD_RESULTS, rows, new Date()),
};
