import { randomUUID } from 'node:crypto';
import { readMigrations, type MigrationFile } from './migration-files.ts';
import type { SqlConnection } from './sql-connection.ts';

/**
 * Prisma Migrate's bookkeeping table, created exactly as Prisma creates it, so that
 * `prisma migrate status` on a machine with the schema engine agrees with what we applied.
 */
const HISTORY_TABLE = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" TEXT PRIMARY KEY NOT NULL,
    "checksum" TEXT NOT NULL,
    "finished_at" DATETIME,
    "migration_name" TEXT NOT NULL,
    "logs" TEXT,
    "rolled_back_at" DATETIME,
    "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`,
  postgresql: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`,
};

export class MigrationError extends Error {
  override name = 'MigrationError';
}

interface AppliedRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
}

/**
 * Applies every committed migration the database has not recorded yet, each in its own
 * transaction together with its `_prisma_migrations` row: a crash leaves either both or neither.
 * Refuses to continue when an applied migration's file was edited afterwards (checksum differs)
 * or a migration failed earlier, as Prisma Migrate does.
 */
export async function applyMigrations(
  connection: SqlConnection,
  migrations: MigrationFile[] = readMigrations(connection.provider),
): Promise<MigrationStatus> {
  // Under the migration lock: two processes starting together on one PostgreSQL database would
  // otherwise both run CREATE TABLE IF NOT EXISTS, and the second can fail on the catalog's
  // unique index (pg_type_typname_nsp_index) instead of finding the table.
  await connection.exclusive(() => connection.execute(HISTORY_TABLE[connection.provider]));
  const appliedNow: string[] = [];
  for (const migration of migrations) {
    const applied = await connection.exclusive(async () => {
      const rows = await appliedRows(connection);
      const existing = rows.find((row) => row.migration_name === migration.name);
      if (existing) {
        checkRecorded(existing, migration);
        return false;
      }
      await connection.execute(migration.sql);
      const now = new Date().toISOString();
      await connection.query(
        `INSERT INTO "_prisma_migrations" ("id", "checksum", "finished_at", "migration_name", "logs", "started_at", "applied_steps_count")
         VALUES ($1, $2, $3, $4, NULL, $5, 1)`,
        [randomUUID(), migration.checksum, now, migration.name, now],
      );
      return true;
    });
    if (applied) appliedNow.push(migration.name);
  }
  return { applied: appliedNow, pending: [] };
}

/** What is applied and what is pending, without changing anything; `/readyz` asks this. */
export async function migrationStatus(
  connection: SqlConnection,
  migrations: MigrationFile[] = readMigrations(connection.provider),
): Promise<MigrationStatus> {
  const exists = await historyTableExists(connection);
  const rows = exists ? await appliedRows(connection) : [];
  const done = new Set(
    rows
      .filter((row) => row.finished_at != null && row.rolled_back_at == null)
      .map((row) => row.migration_name),
  );
  return {
    applied: migrations.filter((m) => done.has(m.name)).map((m) => m.name),
    pending: migrations.filter((m) => !done.has(m.name)).map((m) => m.name),
  };
}

function checkRecorded(row: AppliedRow, migration: MigrationFile): void {
  if (row.finished_at == null && row.rolled_back_at == null) {
    throw new MigrationError(
      `Migration ${migration.name} failed earlier and needs manual repair before the service can start`,
    );
  }
  if (row.checksum !== migration.checksum) {
    throw new MigrationError(
      `Migration ${migration.name} was modified after it was applied; restore the committed file and author a new migration instead`,
    );
  }
}

async function appliedRows(connection: SqlConnection): Promise<AppliedRow[]> {
  return connection.query<AppliedRow>(
    `SELECT "migration_name", "checksum", "finished_at", "rolled_back_at" FROM "_prisma_migrations" ORDER BY "started_at"`,
  );
}

async function historyTableExists(connection: SqlConnection): Promise<boolean> {
  const sql =
    connection.provider === 'sqlite'
      ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`
      : `SELECT tablename AS name FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = '_prisma_migrations'`;
  return (await connection.query(sql)).length > 0;
}
