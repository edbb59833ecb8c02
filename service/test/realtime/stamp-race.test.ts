import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import { createRepositories } from '../../src/store/repositories/index.ts';
import type { PlannedUpdate, PulledPage } from '../../src/store/repositories/sync-pages.ts';
import { emptyCounts } from '../../src/store/repositories/sync-jobs.ts';
import { PROVIDERS, openMigratedDatabase, seedWorkspace } from '../support/databases.ts';

/**
 * The stale-snapshot guard (sync/pull/salesforce-stamp.ts) compares a row's stamp with its
 * link's when a page is planned. Two paths can plan the same record from the same state: a pull
 * holding an older snapshot and a real-time read back holding a newer one. Whichever commits
 * second must not undo the other: these commit the newer page between the older page's plan
 * and its commit, as the two would race, on both databases.
 */
describe.each(PROVIDERS)('a newer version committed between plan and commit on %s', (provider) => {
  let database: Database;
  let workspaceId: string;
  let recordTypeId: string;
  let connectionId: string;
  const at = new Date('2026-12-06T10:00:00.000Z');
  /** The link's stamp when both pages were planned; the older snapshot's; the newer row's. */
  const [t0, t1, t2] = ['10:00:00', '10:00:05', '10:00:09'].map(
    (time) => new Date(`2026-12-06T${time}.000Z`),
  );

  beforeAll(async () => {
    database = await openMigratedDatabase(provider);
    ({
      workspaceId,
      organizationTypeId: recordTypeId,
      connectionId,
    } = await seedWorkspace(database, 'Race'));
  });
  afterAll(async () => {
    await database?.close();
  });

  /** A record named `A` at version 1, linked to `salesforceId` with stamp t0. */
  async function seedLinked(salesforceId: string): Promise<string> {
    const recordId = randomUUID();
    await database.prisma.pryzmRecord.create({
      data: { id: recordId, workspaceId, recordTypeId, values: { name: 'A' } },
    });
    await database.prisma.link.create({
      data: {
        connectionId,
        recordId,
        salesforceObject: 'Account',
        salesforceId,
        baseValues: { name: 'A' },
        lastSyncedAt: at,
        salesforceModstamp: t0,
      },
    });
    return recordId;
  }

  async function job(kind: 'pull' | 'realtime'): Promise<string> {
    const row = await database.prisma.syncJob.create({
      data: {
        workspaceId,
        connectionId,
        kind,
        mode: kind === 'pull' ? 'full' : 'window',
        status: 'running',
        scope: {},
        progress: [],
        counts: {},
        startedBy: 'test',
      },
    });
    return row.id;
  }

  /** A page of one update, as the planner makes it from the state read at version 1. */
  function page(jobId: string, update: PlannedUpdate, action: string): PulledPage {
    return {
      jobId,
      workspaceId,
      connectionId,
      recordTypeId,
      salesforceObject: 'Account',
      creates: [],
      updates: [update],
      results: [{ salesforceId: update.salesforceId, recordId: update.recordId, action }],
      conflicts: [],
      settled: [update.salesforceId],
      checkpoint: {
        bulkJobId: null,
        nextLocator: null,
        done: false,
        processed: 1,
        total: null,
        maxModstamp: null,
      },
      job: { progress: [], counts: emptyCounts(), apiCalls: 0, workerId: null },
    };
  }

  const resultOf = (jobId: string, recordId: string) =>
    database.prisma.syncRecordResult.findFirstOrThrow({ where: { jobId, recordId } });

  const state = async (recordId: string) =>
    database.prisma.pryzmRecord.findUniqueOrThrow({
      where: { id: recordId },
      include: { links: true },
    });

  it('should leave the older snapshot unapplied when the newer one wrote the record', async () => {
    const recordId = await seedLinked('001RACE000000001');
    const store = createRepositories(database.prisma).syncPages;
    const older = page(
      await job('pull'),
      {
        recordId,
        salesforceId: '001RACE000000001',
        expectedVersion: 1,
        values: { name: 'B' },
        changed: ['name'],
        baseValues: { name: 'B' },
        newLink: false,
        salesforceModstamp: t1,
      },
      'updated',
    );
    // The real-time read back commits first: Salesforce's record is now C.
    const newer = page(
      await job('realtime'),
      {
        recordId,
        salesforceId: '001RACE000000001',
        expectedVersion: 1,
        values: { name: 'C' },
        changed: ['name'],
        baseValues: { name: 'C' },
        newLink: false,
        salesforceModstamp: t2,
      },
      'updated',
    );
    expect(await store.commit(newer)).toEqual({ stale: [], olderThanApplied: [] });
    // Its stamp is older than the link's now: reported as left alone, not as to read again.
    expect(await store.commit(older), 'left out: its link took a newer version').toEqual({
      stale: [],
      olderThanApplied: [recordId],
    });
    expect(await resultOf(older.jobId, recordId)).toMatchObject({
      action: 'unchanged',
      errorCode: 'older_than_applied',
    });
    const row = await state(recordId);
    expect(row).toMatchObject({ version: 2, values: { name: 'C' } });
    expect(row.links[0]).toMatchObject({ baseValues: { name: 'C' }, salesforceModstamp: t2 });
  });

  it('should leave the older snapshot unapplied when the newer one only moved the stamp', async () => {
    // Salesforce went A → B (t1, the pull's snapshot) → A (t2, read back in real time): the
    // newer row equals the record, so its page writes only the link's base and stamp.
    const recordId = await seedLinked('001RACE000000002');
    const store = createRepositories(database.prisma).syncPages;
    const older = page(
      await job('pull'),
      {
        recordId,
        salesforceId: '001RACE000000002',
        expectedVersion: 1,
        values: { name: 'B' },
        changed: ['name'],
        baseValues: { name: 'B' },
        newLink: false,
        salesforceModstamp: t1,
      },
      'updated',
    );
    const newer = page(
      await job('realtime'),
      {
        recordId,
        salesforceId: '001RACE000000002',
        expectedVersion: 1,
        baseValues: { name: 'A' },
        newLink: false,
        salesforceModstamp: t2,
      },
      'unchanged',
    );
    expect(await store.commit(newer)).toEqual({ stale: [], olderThanApplied: [] });
    expect(await store.commit(older), 'left out: its link took a newer version').toEqual({
      stale: [],
      olderThanApplied: [recordId],
    });
    expect(await resultOf(older.jobId, recordId)).toMatchObject({
      action: 'unchanged',
      errorCode: 'older_than_applied',
    });
    const row = await state(recordId);
    expect(row).toMatchObject({ version: 1, values: { name: 'A' } });
    expect(row.links[0]).toMatchObject({ baseValues: { name: 'A' }, salesforceModstamp: t2 });
  });
});
