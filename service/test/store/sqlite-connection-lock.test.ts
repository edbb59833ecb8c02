import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/env.ts';
import { openDatabase, outsideTransactions, sqliteConnectionOf } from '../../src/store/database.ts';
import type { Database } from '../../src/store/database.ts';
import { freshDatabaseUrl } from '../support/databases.ts';

/**
 * Prisma's better-sqlite3 adapter runs every query on one connection; without the connection
 * lock, a plain write sent while another caller's transaction is open would run inside it and
 * be undone by its rollback (src/store/sqlite-connection-lock.ts).
 */
describe('the SQLite connection taken in turns', () => {
  let database: Database;

  beforeAll(async () => {
    const url = await freshDatabaseUrl('sqlite');
    database = await openDatabase(parseDatabaseUrl(url, { serviceDir: process.cwd() }));
    await database.migrate();
  });

  afterAll(async () => {
    await database?.close();
  });

  it('should keep a plain write sent during another transaction when that transaction rolls back', async () => {
    await database.prisma.workspace.create({ data: { name: 'before', slug: 'lock-kept' } });
    let written!: Promise<unknown>;
    const rolledBack = database.prisma.$transaction(async (tx) => {
      await tx.workspace.create({ data: { name: 'undone', slug: 'lock-undone' } });
      // One statement of its own, sent while the transaction is open (`then` sends a Prisma
      // query): it waits for the transaction's end instead of joining it.
      written = database.prisma.workspace
        .updateMany({ where: { slug: 'lock-kept' }, data: { name: 'after' } })
        .then((answer) => answer.count);
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('rolled back on purpose');
    });
    await expect(rolledBack).rejects.toThrow('rolled back on purpose');
    await written;
    const rows = await database.prisma.workspace.findMany({
      where: { slug: { startsWith: 'lock-' } },
      select: { slug: true, name: true },
    });
    expect(rows).toEqual([{ slug: 'lock-kept', name: 'after' }]);
  });

  it('should run statements on the raw connection outside any open transaction', async () => {
    const connection = sqliteConnectionOf(database.prisma);
    expect(connection, 'Prisma has connected, so its connection is known').not.toBeNull();
    let seenInTransaction: boolean | undefined;
    let raw!: Promise<unknown>;
    await database.prisma.$transaction(async (tx) => {
      await tx.workspace.create({ data: { name: 'committed', slug: 'lock-committed' } });
      raw = outsideTransactions(database.prisma, () => {
        seenInTransaction = connection?.inTransaction;
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seenInTransaction, 'the raw statement waits for the transaction').toBeUndefined();
    });
    await raw;
    expect(seenInTransaction, 'it runs once the transaction has committed').toBe(false);
  });
});
