/**
 * The pull benchmark's floor: the rows a pull wrote (records, links and per-record results,
 * same ids, same JSON, same order) written again into a fresh, migrated database of the same
 * provider by the plainest fast path each driver offers, 10,000 rows of each table per
 * transaction, as a page commits them. Only the writes are timed; reading the rows back from
 * the pulled database is not.
 *
 * - SQLite: better-sqlite3, one prepared INSERT run per row, WAL (as the service's database).
 * - PostgreSQL: `pg`, multi-row `INSERT ... VALUES (...),(...)` of 1,000 rows per statement.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { parseDatabaseUrl } from '../../src/config/env.ts';
import { openDatabase } from '../../src/store/database.ts';
import { serviceDir } from '../../src/store/migrations/migration-files.ts';

/** The tables a pull fills, in the order their foreign keys need. */
export const PULLED_TABLES = ['PryzmRecord', 'Link', 'SyncRecordResult'] as const;
/** The small tables those rows point at, copied untimed before the timed part. */
const PARENT_TABLES = ['Workspace', 'RecordType', 'Connection', 'SyncJob'];
const CHUNK = 10_000;
const PG_ROWS_PER_STATEMENT = 1_000;

export interface FloorResult {
  seconds: number;
  rows: Record<(typeof PULLED_TABLES)[number], number>;
}

async function migrateFresh(url: string): Promise<void> {
  const database = await openDatabase(parseDatabaseUrl(url, { serviceDir }));
  try {
    await database.migrate();
  } finally {
    await database.close();
  }
}

const sqliteFile = (url: string) => parseDatabaseUrl(url, { serviceDir });

export async function sqliteFloor(sourceUrl: string, targetUrl: string): Promise<FloorResult> {
  await migrateFresh(targetUrl);
  const source = sqliteFile(sourceUrl);
  const target = sqliteFile(targetUrl);
  if (source.provider !== 'sqlite' || target.provider !== 'sqlite') throw new Error('not SQLite');
  const db = new Database(target.file);
  db.pragma('journal_mode = WAL');
  db.prepare('ATTACH DATABASE ? AS src').run(source.file);
  for (const table of PARENT_TABLES) {
    db.exec(`INSERT INTO main."${table}" SELECT * FROM src."${table}"`);
  }
  const tables = PULLED_TABLES.map((table) => {
    const columns = (db.pragma(`main.table_info("${table}")`) as { name: string }[]).map(
      (column) => `"${column.name}"`,
    );
    return {
      table,
      read: db
        .prepare(
          `SELECT rowid, ${columns.join(', ')} FROM src."${table}" WHERE rowid > ? ORDER BY rowid LIMIT ${CHUNK}`,
        )
        .raw(),
      insert: db.prepare(
        `INSERT INTO main."${table}" (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      ),
      after: 0,
      count: 0,
    };
  });
  let seconds = 0;
  for (;;) {
    const chunks = tables.map((t) => {
      const rows = t.read.all(t.after) as unknown[][];
      if (rows.length > 0) t.after = rows[rows.length - 1]![0] as number;
      return rows.map((row) => row.slice(1));
    });
    if (chunks.every((rows) => rows.length === 0)) break;
    const started = performance.now();
    db.exec('BEGIN');
    chunks.forEach((rows, index) => {
      const { insert } = tables[index]!;
      for (const row of rows) insert.run(row);
    });
    db.exec('COMMIT');
    seconds += (performance.now() - started) / 1000;
    chunks.forEach((rows, index) => (tables[index]!.count += rows.length));
  }
  db.close();
  return { seconds, rows: rowCounts(tables) };
}

function rowCounts(tables: { table: (typeof PULLED_TABLES)[number]; count: number }[]) {
  return Object.fromEntries(tables.map((t) => [t.table, t.count])) as FloorResult['rows'];
}

/** A `pg` client that hands every value back as the text PostgreSQL sent. */
async function textClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    types: { getTypeParser: () => (value: string) => value },
  });
  await client.connect();
  return client;
}

export async function postgresFloor(sourceUrl: string, targetUrl: string): Promise<FloorResult> {
  await migrateFresh(targetUrl);
  const source = await textClient(sourceUrl);
  const target = await textClient(targetUrl);
  try {
    type Column = { column_name: string; udt_name: string };
    const columnsOf = async (table: string) =>
      (
        await target.query<{ column_name: string; udt_name: string }>(
          `SELECT column_name, udt_name FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
          [table],
        )
      ).rows;
    const insertSql = (
      table: string,
      columns: { column_name: string; udt_name: string }[],
      rows: number,
    ) => {
      const tuples: string[] = [];
      for (let row = 0; row < rows; row += 1) {
        const base = row * columns.length;
        tuples.push(
          `(${columns.map((column, index) => `$${base + index + 1}::${column.udt_name}`).join(', ')})`,
        );
      }
      return `INSERT INTO "${table}" (${columns.map((c) => `"${c.column_name}"`).join(', ')}) VALUES ${tuples.join(', ')}`;
    };
    const write = async (
      table: string,
      columns: { column_name: string; udt_name: string }[],
      rows: unknown[][],
    ) => {
      for (let start = 0; start < rows.length; start += PG_ROWS_PER_STATEMENT) {
        const slice = rows.slice(start, start + PG_ROWS_PER_STATEMENT);
        await target.query(insertSql(table, columns, slice.length), slice.flat());
      }
    };
    for (const table of PARENT_TABLES) {
      const columns = await columnsOf(table);
      const rows = await source.query<unknown[]>({
        text: `SELECT ${columns.map((c) => `"${c.column_name}"`).join(', ')} FROM "${table}"`,
        rowMode: 'array',
      });
      await write(table, columns, rows.rows);
    }
    // Read page by page as the pull wrote them: every row of a page has the page's `createdAt`
    // (the write-back's updates move links in the heap, so ctid alone is not that order).
    const tables: { table: (typeof PULLED_TABLES)[number]; columns: Column[]; count: number }[] =
      [];
    for (const table of PULLED_TABLES) {
      tables.push({ table, columns: await columnsOf(table), count: 0 });
    }
    await source.query('BEGIN');
    for (const t of tables) {
      await source.query(
        `DECLARE "c_${t.table}" NO SCROLL CURSOR FOR SELECT ${t.columns.map((c) => `"${c.column_name}"`).join(', ')} FROM "${t.table}" ORDER BY "createdAt", ctid`,
      );
    }
    let seconds = 0;
    for (;;) {
      const chunks: unknown[][][] = [];
      for (const t of tables) {
        const { rows } = await source.query<unknown[]>({
          text: `FETCH ${CHUNK} FROM "c_${t.table}"`,
          rowMode: 'array',
        });
        chunks.push(rows);
      }
      if (chunks.every((rows) => rows.length === 0)) break;
      const started = performance.now();
      await target.query('BEGIN');
      for (const [index, rows] of chunks.entries()) {
        await write(tables[index]!.table, tables[index]!.columns, rows);
      }
      await target.query('COMMIT');
      seconds += (performance.now() - started) / 1000;
      chunks.forEach((rows, index) => (tables[index]!.count += rows.length));
    }
    await source.query('COMMIT');
    return { seconds, rows: rowCounts(tables) };
  } finally {
    await source.end();
    await target.end();
  }
}
