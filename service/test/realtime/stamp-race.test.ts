import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import { createRepositories } from '../../src/store/repositories/index.ts';
import type { PlannedUpdate, PulledPage } from '../../src/store/repositories/sync-pages.ts';
import { emptyCounts } from '../../src/store/repositories/sync-jobs.ts';
import {
  PROVIDERS,
  openMigratedDatabase,
  runningJob,
  seedWorkspace,
} from '../support/databases.ts';

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

  const job = (kind: 'pull' | 'realtime') =>
    runningJob(database, { workspaceId, connectionId }, kind);

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

  /**
   * The race both cases share: a record at A, linked to `salesforceId` with stamp t0; a pull's
   * older snapshot (B at t1) and a real-time read back (`newer`, at t2) both planned from that
   * state at version 1. The read back commits first; the pull's page, committed second, must
   * leave the record alone and report it unchanged as older than what was applied. Answers the
   * record and its link as both commits left them.
   */
  async function commitNewerThenOlder(
    salesforceId: string,
    newer: { update: Pick<PlannedUpdate, 'values' | 'changed' | 'baseValues'>; action: string },
  ) {
    const recordId = await seedLinked(salesforceId);
    const store = createRepositories(database.prisma).syncPages;
    const planned = { recordId, salesforceId, expectedVersion: 1, newLink: false };
    const older = page(
      await job('pull'),
      {
        ...planned,
        values: { name: 'B' },
        changed: ['name'],
        baseValues: { name: 'B' },
        salesforceModstamp: t1,
      },
      'updated',
    );
    const newerPage = page(
      await job('realtime'),
      { ...planned, ...newer.update, salesforceModstamp: t2 },
      newer.action,
    );
    expect(await store.commit(newerPage)).toEqual({ stale: [], olderThanApplied: [] });
    // Its stamp is older than the link's now: reported as left alone, not as to read again.
    expect(await store.commit(older), 'left out: its link took a newer version').toEqual({
      stale: [],
      olderThanApplied: [recordId],
    });
    expect(await resultOf(older.jobId, recordId)).toMatchObject({
      action: 'unchanged',
      errorCode: 'older_than_applied',
    });
    return database.prisma.pryzmRecord.findUniqueOrThrow({
      where: { id: recordId },
      include: { links: true },
    });
  }

  it('should leave the older snapshot unapplied when the newer one wrote the record', async () => {
    // Salesforce's record is C when read back in real time.
    const row = await commitNewerThenOlder('001RACE000000001', {
      update: { values: { name: 'C' }, changed: ['name'], baseValues: { name: 'C' } },
      action: 'updated',
    });
    expect(row).toMatchObject({ version: 2, values: { name: 'C' } });
    expect(row.links[0]).toMatchObject({ baseValues: { name: 'C' }, salesforceModstamp: t2 });
  });

  it('should leave the older snapshot unapplied when the newer one only moved the stamp', async () => {
    // Salesforce went A → B (t1, the pull's snapshot) → A (t2, read back in real time): the
    // newer row equals the record, so its page writes only the link's base and stamp.
    const row = await commitNewerThenOlder('001RACE000000002', {
      update: { baseValues: { name: 'A' } },
      action: 'unchanged',
    });
    expect(row).toMatchObject({ version: 1, values: { name: 'A' } });
    expect(row.links[0]).toMatchObject({ baseValues: { name: 'A' }, salesforceModstamp: t2 });
  });
});
