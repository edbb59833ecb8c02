import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import {
  insertTarget,
  sqlDialect,
  type InsertTarget,
} from '../../src/store/repositories/fast-insert.ts';
import { fastUpdate } from '../../src/store/repositories/fast-update.ts';
import { createRepositories } from '../../src/store/repositories/index.ts';
import { emptyCounts } from '../../src/store/repositories/sync-jobs.ts';
import {
  BULK_WRITE_PATHS,
  openMigratedDatabase,
  runningJob,
  seedWorkspace,
} from '../support/databases.ts';

/** JSON that tends to break hand-made SQL: quotes, placeholders, unicode, nesting, nulls. */
const awkward = (index: number) => ({
  name: `O'Brien "${index}" ? $1 :name \\ ; --`,
  website: index % 3 === 0 ? null : `https://example.com/${index}`,
  employees: index,
  tags: ['a', { nested: ['ü', '日本', '😀'] }],
});

/** More rows than one multi-row statement holds (fast-update.ts), so two statements run. */
const COUNT = 537;
const WIDE_TIMEOUT = { timeout: 60_000 };

describe.each(BULK_WRITE_PATHS)('fast updates on %s through %s', (provider, path) => {
  let database: Database;
  let target: InsertTarget;
  let workspaceId: string;
  let recordTypeId: string;
  let connectionId: string;
  const at = new Date('2026-12-06T10:11:12.345Z');
  const now = new Date('2026-12-06T12:00:00.007Z');
  const stamp = new Date('2026-12-06T11:59:58.000Z');

  beforeAll(async () => {
    database = await openMigratedDatabase(provider);
    ({
      workspaceId,
      organizationTypeId: recordTypeId,
      connectionId,
    } = await seedWorkspace(database, 'U'));
    // Prisma has connected by now: the connection it runs on is known.
    target = path === 'connection' ? insertTarget(database.prisma) : sqlDialect(database.prisma);
    if (path === 'connection' && typeof target !== 'object') {
      throw new Error('no SQLite connection found');
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  /** `n` records at version 1, each linked to `<prefix><index>`. */
  async function seed(n: number, prefix: string): Promise<string[]> {
    const ids = Array.from({ length: n }, () => randomUUID());
    await database.prisma.$transaction(async (tx) => {
      await tx.pryzmRecord.createMany({
        data: ids.map((id, index) => ({
          id,
          workspaceId,
          recordTypeId,
          values: { name: `Old ${index}` },
          createdAt: at,
          updatedAt: at,
        })),
      });
      await tx.link.createMany({
        data: ids.map((id, index) => ({
          connectionId,
          recordId: id,
          salesforceObject: 'Account',
          salesforceId: `${prefix}${index}`,
          baseValues: { name: `Old ${index}` },
          lastSyncedAt: at,
          createdAt: at,
          updatedAt: at,
        })),
      });
    }, WIDE_TIMEOUT);
    return ids;
  }

  it('should write records and links that read back as Prisma updateMany leaves them', async () => {
    const prismaIds = await seed(COUNT, 'P');
    const rawIds = await seed(COUNT, 'R');
    await database.prisma.$transaction(async (tx) => {
      for (const [index, id] of prismaIds.entries()) {
        await tx.pryzmRecord.updateMany({
          where: { id, version: 1 },
          data: { values: awkward(index), version: { increment: 1 }, updatedAt: now },
        });
        await tx.link.updateMany({
          where: { connectionId, salesforceId: `P${index}` },
          data: {
            baseValues: awkward(index),
            updatedAt: now,
            ...(index % 2 === 0 ? { lastSyncedAt: now } : {}),
            ...(index % 3 === 0 ? { salesforceModstamp: stamp } : {}),
          },
        });
      }
    }, WIDE_TIMEOUT);
    await database.prisma.$transaction(async (tx) => {
      const written = await fastUpdate.records(
        tx,
        target,
        rawIds.map((id, index) => ({ id, expectedVersion: 1, values: awkward(index) })),
        now,
      );
      expect(written).toEqual(rawIds.map(() => true));
      const linked = await fastUpdate.links(
        tx,
        target,
        connectionId,
        rawIds.map((_, index) => ({
          salesforceId: `R${index}`,
          baseValues: awkward(index),
          ...(index % 2 === 0 ? { lastSyncedAt: now } : {}),
          ...(index % 3 === 0 ? { salesforceModstamp: stamp } : {}),
        })),
        now,
      );
      expect(linked).toBe(COUNT);
    }, WIDE_TIMEOUT);

    const records = async (ids: string[]) => {
      const rows = await database.prisma.pryzmRecord.findMany({ where: { id: { in: ids } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => {
        const { id: _id, ...rest } = byId.get(id)!;
        return rest;
      });
    };
    const rawRecords = await records(rawIds);
    expect(rawRecords).toEqual(await records(prismaIds));
    expect(rawRecords[0]).toMatchObject({ version: 2, updatedAt: now, values: awkward(0) });
    const links = async (ids: string[]) => {
      const rows = await database.prisma.link.findMany({ where: { recordId: { in: ids } } });
      const byRecord = new Map(rows.map((row) => [row.recordId, row]));
      return ids.map((id) => {
        const { id: _id, recordId: _recordId, salesforceId, ...rest } = byRecord.get(id)!;
        return { ...rest, salesforceId: salesforceId.slice(1) };
      });
    };
    const rawLinks = await links(rawIds);
    expect(rawLinks).toEqual(await links(prismaIds));
    // Left out, the sync time and the stamp stay as they were.
    expect(rawLinks[1]).toMatchObject({ lastSyncedAt: at, salesforceModstamp: null });
    expect(rawLinks[0]).toMatchObject({ lastSyncedAt: now, salesforceModstamp: stamp });
  });

  it('should leave a record whose version changed meanwhile and answer the others', async () => {
    const ids = await seed(6, `S${path}`);
    // Someone else wrote records 1 and 4 after the page read them at version 1.
    for (const id of [ids[1]!, ids[4]!]) {
      await database.prisma.pryzmRecord.update({
        where: { id },
        data: { values: { name: 'Theirs' }, version: { increment: 1 } },
      });
    }
    const written = await database.prisma.$transaction((tx) =>
      fastUpdate.records(
        tx,
        target,
        ids.map((id) => ({ id, expectedVersion: 1, values: { name: 'Ours' } })),
        now,
      ),
    );
    expect(written).toEqual([true, false, true, true, false, true]);
    const rows = await database.prisma.pryzmRecord.findMany({ where: { id: { in: ids } } });
    for (const row of rows) {
      const theirs = row.id === ids[1] || row.id === ids[4];
      expect(row.values).toEqual({ name: theirs ? 'Theirs' : 'Ours' });
      expect(row.version).toBe(2);
    }
  });

  it('should treat a record named twice at one version as written once, the second stale', async () => {
    const [id] = await seed(1, `D${path}`);
    const written = await database.prisma.$transaction((tx) =>
      fastUpdate.records(
        tx,
        target,
        [
          { id: id!, expectedVersion: 1, values: { name: 'First' } },
          { id: id!, expectedVersion: 1, values: { name: 'Second' } },
        ],
        now,
      ),
    );
    expect(written).toEqual([true, false]);
    const row = await database.prisma.pryzmRecord.findUniqueOrThrow({ where: { id: id! } });
    expect(row).toMatchObject({ version: 2, values: { name: 'First' } });
  });

  it('should roll back with the transaction it runs in', async () => {
    const [id] = await seed(1, `T${path}`);
    await expect(
      database.prisma.$transaction(async (tx) => {
        await fastUpdate.records(tx, target, [{ id: id!, expectedVersion: 1, values: {} }], now);
        await fastUpdate.links(tx, target, connectionId, [
          { salesforceId: `T${path}0`, baseValues: {}, lastSyncedAt: now },
        ]);
        throw new Error('the page failed');
      }),
    ).rejects.toThrow('the page failed');
    const row = await database.prisma.pryzmRecord.findUniqueOrThrow({
      where: { id: id! },
      include: { links: true },
    });
    expect(row).toMatchObject({ version: 1, values: { name: 'Old 0' } });
    expect(row.links[0]).toMatchObject({ baseValues: { name: 'Old 0' }, lastSyncedAt: at });
  });
  // The page commit picks its own path (prepared statements on SQLite): once per database.
  it.skipIf(provider === 'sqlite' && path === 'statements')(
    'should commit a page leaving a record changed meanwhile stale and reported so',
    async () => {
      const ids = await seed(3, `C${path}`);
      const jobId = await runningJob(database, { workspaceId, connectionId }, 'realtime');
      // Written by someone else after the page read it at version 1.
      await database.prisma.pryzmRecord.update({
        where: { id: ids[1]! },
        data: { values: { name: 'Theirs' }, version: { increment: 1 } },
      });
      const update = (index: number) => ({
        recordId: ids[index]!,
        salesforceId: `C${path}${index}`,
        expectedVersion: 1,
        values: { name: `New ${index}` },
        baseValues: { name: `New ${index}` },
        newLink: false,
      });
      const { stale } = await createRepositories(database.prisma).syncPages.commit({
        jobId,
        workspaceId,
        connectionId,
        recordTypeId,
        salesforceObject: 'Account',
        creates: [],
        updates: [update(0), update(1), update(2)],
        results: [0, 1, 2].map((index) => ({
          salesforceId: `C${path}${index}`,
          recordId: ids[index]!,
          action: 'updated',
        })),
        conflicts: [],
        settled: [],
        checkpoint: {
          bulkJobId: null,
          nextLocator: null,
          done: false,
          processed: 3,
          total: null,
          maxModstamp: null,
        },
        job: { progress: [], counts: emptyCounts(), apiCalls: 0, workerId: null },
      });
      expect(stale).toEqual([ids[1]]);
      const records = await database.prisma.pryzmRecord.findMany({
        where: { id: { in: ids } },
        include: { links: true },
      });
      const byId = new Map(records.map((record) => [record.id, record]));
      expect(byId.get(ids[0]!)).toMatchObject({ version: 2, values: { name: 'New 0' } });
      expect(byId.get(ids[2]!)!.links[0]!.baseValues).toEqual({ name: 'New 2' });
      // The stale one keeps what the other writer left, and its link its old base.
      expect(byId.get(ids[1]!)).toMatchObject({ version: 2, values: { name: 'Theirs' } });
      expect(byId.get(ids[1]!)!.links[0]!.baseValues).toEqual({ name: 'Old 1' });
      const results = await database.prisma.syncRecordResult.findMany({
        where: { jobId },
        orderBy: { salesforceId: 'asc' },
      });
      expect(results.map((r) => [r.action, r.errorCode])).toEqual([
        ['updated', null],
        ['skipped', 'changed_during_sync'],
        ['updated', null],
      ]);
    },
  );
});
