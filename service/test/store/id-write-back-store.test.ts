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

/** Puts links on the write-back's queue, in the order given, as a page commit does. */
async function enqueue(
  database: Database,
  links: readonly { id: string; connectionId: string; salesforceObject: string }[],
): Promise<void> {
  await fastInsert.pendingIdWriteBacks(
    database.prisma,
    insertTarget(database.prisma),
    links.map((link) => ({
      linkId: link.id,
      connectionId: link.connectionId,
      salesforceObject: link.salesforceObject,
    })),
  );
}

/**
 * The `Pryzm_ID__c` write-back's store calls over its queue answer and write what Prisma's own
 * queries do, on every path the bulk writers take.
 */
describe.each(BULK_WRITE_PATHS)('the id write-back store on %s through %s', (provider, path) => {
  let database: Database;
  let target: InsertTarget;
  let connectionId: string;
  const ids = Array.from({ length: 5 }, (_, index) => `001WB${index}`);

  /** The object's queued links as Prisma reads them, in queue order. */
  const queuedByPrisma = async () =>
    (
      await database.prisma.pendingIdWriteBack.findMany({
        where: { connectionId, salesforceObject: 'Account' },
        select: { link: { select: { salesforceId: true, recordId: true } } },
        orderBy: { seq: 'asc' },
      })
    ).map((row) => row.link);

  beforeAll(async () => {
    database = await openMigratedDatabase(provider);
    const seeded = await seedWorkspace(database, 'W');
    const { workspaceId, organizationTypeId: recordTypeId } = seeded;
    connectionId = seeded.connectionId;
    const records = ids.map(() => ({ id: randomUUID(), workspaceId, recordTypeId, values: {} }));
    await fastInsert.records(database.prisma, insertTarget(database.prisma), records);
    const links = ids.map((salesforceId, index) => ({
      id: randomUUID(),
      connectionId,
      recordId: records[index]!.id,
      salesforceObject: 'Account',
      salesforceId,
    }));
    await fastInsert.links(
      database.prisma,
      insertTarget(database.prisma),
      links.map((link) => ({ ...link, baseValues: {} })),
    );
    // Queued newest first: the queue's order is the order links joined it, not their ids'.
    await enqueue(database, [...links].reverse());
    const contact = await database.prisma.link.create({
      data: {
        connectionId,
        recordId: records[0]!.id,
        salesforceObject: 'Contact',
        salesforceId: '003WB0',
        baseValues: {},
      },
    });
    await enqueue(database, [contact]);
    target = path === 'connection' ? insertTarget(database.prisma) : sqlDialect(database.prisma);
    if (path === 'connection' && typeof target === 'string') {
      throw new Error('no SQLite connection found');
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  it('should answer the object’s links not written back yet, in queue order, up to the limit', async () => {
    const awaiting = await idWriteBack.awaiting(database.prisma, target, {
      connectionId,
      salesforceObject: 'Account',
      limit: 3,
    });
    expect(awaiting.map((link) => link.salesforceId)).toEqual(['001WB4', '001WB3', '001WB2']);
    expect(awaiting).toEqual((await queuedByPrisma()).slice(0, 3));
  });

  it('should mark links written by their place in the queue, and leave the links', async () => {
    const read = await idWriteBack.awaitingFrom(database.prisma, target, {
      connectionId,
      salesforceObject: 'Account',
      limit: 10,
    });
    const chosen = read.filter((link) => ['001WB4', '001WB2'].includes(link.salesforceId));
    expect(await idWriteBack.mark(database.prisma, target, connectionId, chosen)).toBe(2);
    expect((await queuedByPrisma()).map((link) => link.salesforceId)).toEqual([
      '001WB3',
      '001WB1',
      '001WB0',
    ]);
    expect(
      await database.prisma.link.count({ where: { salesforceId: { in: ['001WB4', '001WB2'] } } }),
    ).toBe(2);
  });

  it('should mark links written by Salesforce Id when the batch has no places', async () => {
    expect(
      await idWriteBack.mark(database.prisma, target, connectionId, [{ salesforceId: '001WB1' }]),
    ).toBe(1);
    expect((await queuedByPrisma()).map((link) => link.salesforceId)).toEqual(['001WB3', '001WB0']);
  });

  it('should mark inside the caller’s transaction, rolled back with it', async () => {
    await expect(
      database.prisma.$transaction(async (tx) => {
        await idWriteBack.mark(tx, target, connectionId, [{ salesforceId: '001WB3' }]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await queuedByPrisma()).map((link) => link.salesforceId)).toContain('001WB3');
  });

  it('should change nothing for no links, links of no queue row, or another connection', async () => {
    expect(await idWriteBack.mark(database.prisma, target, connectionId, [])).toBe(0);
    expect(
      await idWriteBack.mark(database.prisma, target, connectionId, [{ salesforceId: '001NONE' }]),
    ).toBe(0);
    const [first] = await idWriteBack.awaitingFrom(database.prisma, target, {
      connectionId,
      salesforceObject: 'Account',
      limit: 1,
    });
    expect(
      await idWriteBack.mark(database.prisma, target, randomUUID(), [
        { salesforceId: first!.salesforceId, position: first!.position },
      ]),
    ).toBe(0);
    expect(await queuedByPrisma()).toHaveLength(2);
  });

  it('should read on from the last link answered, each queued link once', async () => {
    const { workspaceId, recordTypeId } = await database.prisma.pryzmRecord.findFirstOrThrow({
      select: { workspaceId: true, recordTypeId: true },
    });
    const page = ['001WP0', '001WP1', '001WP2', '001WP3'];
    const records = page.map(() => ({ id: randomUUID(), workspaceId, recordTypeId, values: {} }));
    await fastInsert.records(database.prisma, insertTarget(database.prisma), records);
    const links = page.map((salesforceId, index) => ({
      id: randomUUID(),
      connectionId,
      recordId: records[index]!.id,
      salesforceObject: 'Account',
      salesforceId,
    }));
    await fastInsert.links(
      database.prisma,
      insertTarget(database.prisma),
      links.map((link) => ({ ...link, baseValues: {} })),
    );
    await enqueue(database, links);
    const read: string[] = [];
    let after = null;
    for (;;) {
      const answered = await idWriteBack.awaitingFrom(database.prisma, target, {
        connectionId,
        salesforceObject: 'Account',
        limit: 2,
        after,
      });
      if (answered.length === 0) break;
      read.push(...answered.map((link) => link.salesforceId));
      after = answered.at(-1)!.position;
    }
    expect(read).toEqual((await queuedByPrisma()).map((link) => link.salesforceId));
    expect(read).toEqual(['001WB3', '001WB0', ...page]);
  });

  it('should read the links still queued at given places, leaving out those written', async () => {
    const queued = await idWriteBack.awaitingFrom(database.prisma, target, {
      connectionId,
      salesforceObject: 'Account',
      limit: 10,
    });
    const positions = queued.map((link) => link.position);
    await idWriteBack.mark(database.prisma, target, connectionId, [queued[1]!]);
    expect(await idWriteBack.atPositions(database.prisma, connectionId, positions)).toEqual(
      queued.filter((_, index) => index !== 1),
    );
    expect(await idWriteBack.atPositions(database.prisma, randomUUID(), positions)).toEqual([]);
  });

  it('should take a deleted link off the queue with it', async () => {
    await database.prisma.link.delete({
      where: { connectionId_salesforceId: { connectionId, salesforceId: '001WP0' } },
    });
    expect((await queuedByPrisma()).map((link) => link.salesforceId)).not.toContain('001WP0');
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
    const links = records.map((record, index) => ({
      id: randomUUID(),
      connectionId,
      recordId: record.id,
      salesforceObject: 'Account',
      salesforceId: `001J${String(index).padStart(11, '0')}`,
    }));
    await fastInsert.links(
      database.prisma,
      target,
      links.map((link) => ({ ...link, baseValues: {} })),
    );
    await enqueue(database, links);
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
    const queued = await idWriteBack.awaitingFrom(database.prisma, target, {
      connectionId,
      salesforceObject: 'Account',
      limit: count,
    });
    expect(queued).toHaveLength(count);

    await ingestJobs.commitIdWriteBack(connectionId, queued, await save());
    expect(await database.prisma.pendingIdWriteBack.count()).toBe(0);
    expect(await database.prisma.syncIngestJob.count()).toBe(0);

    // A job whose results named no link is forgotten all the same.
    await ingestJobs.commitIdWriteBack(connectionId, [], await save());
    expect(await database.prisma.syncIngestJob.count()).toBe(0);
  });
});
