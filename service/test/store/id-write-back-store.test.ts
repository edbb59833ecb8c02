import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import {
  fastInsert,
  idWriteBack,
  insertTarget,
  sqlDialect,
  type InsertTarget,
} from '../../src/store/repositories/fast-insert.ts';
import { SyncIngestJobStore } from '../../src/store/repositories/sync-ingest-jobs.ts';
import {
  BULK_WRITE_PATHS,
  PROVIDERS,
  openMigratedDatabase,
  runningJob,
  seedWorkspace,
} from '../support/databases.ts';

/**
 * The `Pryzm_ID__c` write-back's store calls answer and write what Prisma's own queries do, on
 * every path the bulk writers take.
 */
describe.each(BULK_WRITE_PATHS)('the id write-back store on %s through %s', (provider, path) => {
  let database: Database;
  let target: InsertTarget;
  let connectionId: string;
  const ids = Array.from({ length: 5 }, (_, index) => `001WB${index}`);

  beforeAll(async () => {
    database = await openMigratedDatabase(provider);
    const seeded = await seedWorkspace(database, 'W');
    const { workspaceId, organizationTypeId: recordTypeId } = seeded;
    connectionId = seeded.connectionId;
    const records = ids.map(() => ({ id: randomUUID(), workspaceId, recordTypeId, values: {} }));
    await fastInsert.records(database.prisma, insertTarget(database.prisma), records);
    // Created a second apart, newest first in the list: the answer must sort them.
    const links = ids.map((salesforceId, index) => ({
      connectionId,
      recordId: records[index]!.id,
      salesforceObject: 'Account',
      salesforceId,
      baseValues: {},
      createdAt: new Date(Date.UTC(2026, 11, 6, 10, 0, 59 - index)),
      updatedAt: new Date(Date.UTC(2026, 11, 6, 10, 0, 0)),
    }));
    await fastInsert.links(database.prisma, insertTarget(database.prisma), links);
    await database.prisma.link.create({
      data: {
        connectionId,
        recordId: records[0]!.id,
        salesforceObject: 'Contact',
        salesforceId: '003WB0',
        baseValues: {},
      },
    });
    target = path === 'connection' ? insertTarget(database.prisma) : sqlDialect(database.prisma);
    if (path === 'connection' && typeof target === 'string') {
      throw new Error('no SQLite connection found');
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('should answer the object’s links not written back yet, oldest first, up to the limit', async () => {
    const awaiting = await idWriteBack.awaiting(database.prisma, target, {
      connectionId,
      salesforceObject: 'Account',
      limit: 3,
    });
    expect(awaiting.map((link) => link.salesforceId)).toEqual(['001WB4', '001WB3', '001WB2']);
    const byPrisma = await database.prisma.link.findMany({
      where: { connectionId, salesforceObject: 'Account', pryzmIdWrittenAt: null },
      select: { salesforceId: true, recordId: true },
      orderBy: { createdAt: 'asc' },
      take: 3,
    });
    expect(awaiting).toEqual(byPrisma);
  });

  it('should mark links written, with their update time, as Prisma’s updateMany does', async () => {
    const at = new Date('2026-12-06T12:34:56.789Z');
    expect(
      await idWriteBack.mark(database.prisma, target, connectionId, ['001WB4', '001WB2'], at),
    ).toBe(2);
    const written = await database.prisma.link.findMany({
      where: { connectionId, salesforceId: { in: ['001WB4', '001WB2'] } },
    });
    for (const link of written) {
      expect(link.pryzmIdWrittenAt).toEqual(at);
      expect(link.updatedAt.getTime()).toBeGreaterThan(Date.UTC(2026, 11, 6, 10, 0, 0));
    }
    // Prisma's own filters read the stored time back.
    expect(await database.prisma.link.count({ where: { pryzmIdWrittenAt: { gte: at } } })).toBe(2);
    const awaiting = await idWriteBack.awaiting(database.prisma, target, {
      connectionId,
      salesforceObject: 'Account',
      limit: 10,
    });
    expect(awaiting.map((link) => link.salesforceId)).toEqual(['001WB3', '001WB1', '001WB0']);
  });

  it('should mark inside the caller’s transaction, rolled back with it', async () => {
    await expect(
      database.prisma.$transaction(async (tx) => {
        await idWriteBack.mark(tx, target, connectionId, ['001WB3'], new Date());
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(
      (await database.prisma.link.findFirstOrThrow({ where: { salesforceId: '001WB3' } }))
        .pryzmIdWrittenAt,
    ).toBeNull();
  });

  it('should change nothing for no ids or ids of no link', async () => {
    expect(await idWriteBack.mark(database.prisma, target, connectionId, [], new Date())).toBe(0);
    expect(
      await idWriteBack.mark(database.prisma, target, connectionId, ['001NONE'], new Date()),
    ).toBe(0);
  });

  it('should read on from the last link answered, in (createdAt, id) order, each link once', async () => {
    // Four more links committed at one time, as a page's are: their ids order them.
    const { workspaceId, recordTypeId } = await database.prisma.pryzmRecord.findFirstOrThrow({
      select: { workspaceId: true, recordTypeId: true },
    });
    const page = ['001WP0', '001WP1', '001WP2', '001WP3'];
    const records = page.map(() => ({ id: randomUUID(), workspaceId, recordTypeId, values: {} }));
    await fastInsert.records(database.prisma, insertTarget(database.prisma), records);
    const committedAt = new Date(Date.UTC(2026, 11, 6, 11, 0, 0));
    await fastInsert.links(
      database.prisma,
      insertTarget(database.prisma),
      page.map((salesforceId, index) => ({
        id: randomUUID(),
        connectionId,
        recordId: records[index]!.id,
        salesforceObject: 'Account',
        salesforceId,
        baseValues: {},
        createdAt: committedAt,
        updatedAt: committedAt,
      })),
    );
    const read: string[] = [];
    let after = null;
    for (;;) {
      const links = await idWriteBack.awaitingFrom(database.prisma, target, {
        connectionId,
        salesforceObject: 'Account',
        limit: 2,
        after,
      });
      if (links.length === 0) break;
      read.push(...links.map((link) => link.salesforceId));
      after = links.at(-1)!.position;
    }
    const byPrisma = await database.prisma.link.findMany({
      where: { connectionId, salesforceObject: 'Account', pryzmIdWrittenAt: null },
      select: { salesforceId: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(read).toEqual(byPrisma.map((link) => link.salesforceId));
    expect(read).toHaveLength(3 + page.length);
  });
});

/**
 * An ingest job's results commit in slices of a few thousand links (the event loop is let go in
 * between), the job's row with the last one: every link is marked, the row is gone.
 */
describe.each(PROVIDERS)('committing an id write-back ingest job on %s', (provider) => {
  let database: Database;

  afterAll(async () => {
    await database?.close();
  });

  it('should mark every link of a job larger than one slice and forget the job with the last', async () => {
    database = await openMigratedDatabase(provider);
    const {
      workspaceId,
      organizationTypeId: recordTypeId,
      connectionId,
    } = await seedWorkspace(database, 'J');
    const target = insertTarget(database.prisma);
    const count = 12_001;
    const records = Array.from({ length: count }, () => ({
      id: randomUUID(),
      workspaceId,
      recordTypeId,
      values: {},
    }));
    await fastInsert.records(database.prisma, target, records);
    const salesforceIds = records.map((_, index) => `001J${String(index).padStart(11, '0')}`);
    await fastInsert.links(
      database.prisma,
      target,
      records.map((record, index) => ({
        connectionId,
        recordId: record.id,
        salesforceObject: 'Account',
        salesforceId: salesforceIds[index]!,
        baseValues: {},
      })),
    );
    const jobId = await runningJob(database, { workspaceId, connectionId });
    const ingestJobs = new SyncIngestJobStore(database.prisma);
    const save = () =>
      ingestJobs.save({
        jobId,
        salesforceObject: 'Account',
        purpose: 'id_write_back',
        bulkJobId: '750J',
        batch: {},
      });

    await ingestJobs.commitIdWriteBack(connectionId, salesforceIds, await save());
    expect(await database.prisma.link.count({ where: { pryzmIdWrittenAt: null } })).toBe(0);
    expect(await database.prisma.syncIngestJob.count()).toBe(0);

    // A job whose results named no link is forgotten all the same.
    await ingestJobs.commitIdWriteBack(connectionId, [], await save());
    expect(await database.prisma.syncIngestJob.count()).toBe(0);
  });
});
