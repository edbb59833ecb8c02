import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/store/migrations/apply-migrations.ts';
import { readMigrations } from '../../src/store/migrations/migration-files.ts';
import type { SqlConnection } from '../../src/store/migrations/sql-connection.ts';
import { openConnection } from '../support/connections.ts';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';

const QUEUE_MIGRATION = /_id_write_back_queue$/;

/**
 * The migration that moved the `Pryzm_ID__c` write-back's state from a `Link` column to its own
 * queue keeps every link that still awaited its write-back, in the order the write-back read
 * them (`createdAt`, then `id`), and nothing else.
 */
describe.each(PROVIDERS)('the id write-back queue migration on %s', (provider) => {
  let db: SqlConnection | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('should queue the links awaiting their write-back, oldest first, and drop the column', async () => {
    db = await openConnection(await freshDatabaseUrl(provider));
    const migrations = readMigrations(provider);
    const at = migrations.findIndex((migration) => QUEUE_MIGRATION.test(migration.name));
    expect(at, 'the queue migration is committed').toBeGreaterThan(0);
    await applyMigrations(db, migrations.slice(0, at));

    // Links alone, without the rows their foreign keys name: only the links matter here.
    await db.execute(
      provider === 'sqlite'
        ? 'PRAGMA foreign_keys = OFF'
        : 'SET session_replication_role = replica',
    );
    const connectionId = randomUUID();
    const links = [
      { salesforceId: '001A', createdAt: '2026-12-06 10:00:02', written: null },
      { salesforceId: '001B', createdAt: '2026-12-06 10:00:01', written: null },
      { salesforceId: '001C', createdAt: '2026-12-06 10:00:00', written: '2026-12-06 10:05:00' },
      { salesforceId: '001D', createdAt: '2026-12-06 10:00:03', written: null },
    ];
    for (const link of links) {
      await db.query(
        'INSERT INTO "Link" ("id", "connectionId", "recordId", "salesforceObject", ' +
          '"salesforceId", "baseValues", "lastSyncedAt", "createdAt", "updatedAt", ' +
          `"pryzmIdWrittenAt") VALUES ($1, $2, $3, 'Account', $4, '{}', $5, $6, $7, $8)`,
        [
          randomUUID(),
          connectionId,
          randomUUID(),
          link.salesforceId,
          ...[link.createdAt, link.createdAt, link.createdAt],
          link.written,
        ],
      );
    }

    await applyMigrations(db, migrations.slice(0, at + 1));

    const queued = await db.query<{ salesforceId: string; connectionId: string }>(
      'SELECT l."salesforceId", q."connectionId" FROM "PendingIdWriteBack" q ' +
        'JOIN "Link" l ON l."id" = q."linkId" ORDER BY q."seq"',
    );
    expect(queued).toEqual(
      ['001B', '001A', '001D'].map((salesforceId) => ({ salesforceId, connectionId })),
    );
    const columns =
      provider === 'sqlite'
        ? await db.query<{ name: string }>('SELECT "name" FROM pragma_table_info(\'Link\')')
        : await db.query<{ name: string }>(
            "SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'Link'",
          );
    expect(columns.map((column) => column.name)).not.toContain('pryzmIdWrittenAt');
    expect(await db.query('SELECT "id" FROM "Link"')).toHaveLength(4);
  });
});
