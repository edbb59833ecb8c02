import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, migrationStatus } from '../../src/store/migrations/apply-migrations.ts';
import { readMigrations } from '../../src/store/migrations/migration-files.ts';
import type { SqlConnection } from '../../src/store/migrations/sql-connection.ts';
import { openConnection } from '../support/connections.ts';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';

describe.each(PROVIDERS)('migrations on %s', (provider) => {
  let connection: SqlConnection | undefined;
  afterEach(async () => {
    await connection?.close();
    connection = undefined;
  });

  async function fresh(): Promise<SqlConnection> {
    connection = await openConnection(await freshDatabaseUrl(provider));
    return connection;
  }

  it('applies every committed migration once and records it as Prisma Migrate does', async () => {
    const db = await fresh();
    const committed = readMigrations(provider).map((m) => m.name);
    expect(committed.length).toBeGreaterThan(0);

    expect((await migrationStatus(db)).pending).toEqual(committed);
    expect((await applyMigrations(db)).applied).toEqual(committed);
    expect(await migrationStatus(db)).toEqual({ applied: committed, pending: [] });

    const rows = await db.query<{
      migration_name: string;
      checksum: string;
      applied_steps_count: number;
    }>(
      `SELECT migration_name, checksum, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(committed);
    expect(rows.map((r) => r.checksum)).toEqual(readMigrations(provider).map((m) => m.checksum));
    expect(rows.every((r) => Number(r.applied_steps_count) === 1)).toBe(true);
  });

  it('is idempotent: a second start applies nothing', async () => {
    const db = await fresh();
    await applyMigrations(db);
    expect((await applyMigrations(db)).applied).toEqual([]);
  });

  it('refuses to continue when an applied migration file was edited', async () => {
    const db = await fresh();
    await applyMigrations(db);
    const edited = readMigrations(provider).map((m, i) =>
      i === 0 ? { ...m, checksum: 'edited' } : m,
    );
    await expect(applyMigrations(db, edited)).rejects.toThrow(/was modified after it was applied/);
  });

  it('leaves nothing behind when a migration fails', async () => {
    const db = await fresh();
    await applyMigrations(db);
    const broken = {
      name: '99999999999999_broken',
      sql: 'CREATE TABLE "Half" ("id" TEXT PRIMARY KEY);\nTHIS IS NOT SQL;',
      checksum: 'x',
    };
    await expect(applyMigrations(db, [...readMigrations(provider), broken])).rejects.toThrow();
    const status = await migrationStatus(db, [...readMigrations(provider), broken]);
    expect(status.pending).toEqual(['99999999999999_broken']);
    const half = await db.query(
      provider === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE name = 'Half'`
        : `SELECT tablename FROM pg_tables WHERE tablename = 'Half'`,
    );
    expect(half).toEqual([]);
  });
});
