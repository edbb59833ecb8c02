import { describe, expect, it } from 'vitest';
import { apiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { startProcessStack } from '../support/process-stack.ts';
import {
  expectBothSidesMatch,
  finished,
  openServiceDatabase,
  pollJob,
  type JobView,
} from '../support/pull-state.ts';

const ACCOUNTS = 60;
const PRYZM_ID = 'pryzm__Pryzm_ID__c';
/** Created and not finished. */
const UNDER_WAY = ['Open', 'UploadComplete', 'InProgress'];
/** Its data uploaded, Salesforce working on it. */
const PROCESSING = ['UploadComplete', 'InProgress'];

interface IngestJob {
  id: string;
  operation: string;
  object: string;
  state: string;
  numberRecordsProcessed?: number;
}

/**
 * The pull's `Pryzm_ID__c` write-back runs beside its pages: page N's ingest job is processed by
 * the org while page N+1 is read and committed, never more than two at once. Ten-record pages
 * with an ingest job from five links, and ingest jobs the org keeps InProgress for 1.5 s, so
 * that two are seen under way together; the service is killed with SIGKILL right then, restarted
 * on the same database, and both sides are compared record by record: the two jobs' rows were
 * stored before their data went up, the restarted run reads their results instead of sending the
 * records again (the org's completed jobs processed each record once), and nothing is missing.
 */
describe('a pull whose write-backs overlap its pages', () => {
  it.concurrent.each(PROVIDERS)(
    'should keep two ingest jobs under way at most and survive a kill among them, on %s',
    async (provider) => {
      const stack = await startProcessStack(provider, {
        seed: { accounts: ACCOUNTS, contacts: 0, opportunities: 0 },
        bulkJobMilliseconds: 1_500,
        env: {
          PRYZM_SYNC_PAGE_SIZE: '10',
          PRYZM_SYNC_POLL_MS: '20',
          PRYZM_BULK_INGEST_THRESHOLD: '5',
        },
      });
      const database = await openServiceDatabase(stack.databaseUrl);
      let service = await stack.startService();
      const ingestJobs = async () =>
        (await stack.salesforce.get<{ records: IngestJob[] }>('jobs/ingest')).records.filter(
          (job) => job.object === 'Account' && job.operation === 'update',
        );
      let mostUnderWay = 0;
      /** How many are processing; also notes the most ever under way at once. */
      const processing = async () => {
        const jobs = await ingestJobs();
        const underWay = jobs.filter((job) => UNDER_WAY.includes(job.state)).length;
        mostUnderWay = Math.max(mostUnderWay, underWay);
        return jobs.filter((job) => PROCESSING.includes(job.state)).length;
      };
      try {
        const { ws, connectionId } = await stack.connect(service);
        const { prisma } = database;
        const started = await ws.client.post<JobView>(
          `/api/workspaces/${ws.id}/connections/${connectionId}/jobs`,
          { kind: 'pull', mode: 'full' },
        );
        expect(started.status, JSON.stringify(started.body)).toBe(202);
        const jobId = started.body.id;

        await expect.poll(processing, { interval: 20, timeout: 60_000 }).toBe(2);
        await service.kill();
        expect(
          await prisma.syncIngestJob.count({ where: { jobId, purpose: 'id_write_back' } }),
          'each ingest job processing was stored before its data went up',
        ).toBeGreaterThanOrEqual(2);
        const checkpoint = await prisma.syncCheckpoint.findUnique({
          where: { jobId_salesforceObject: { jobId, salesforceObject: 'Account' } },
        });
        expect(
          checkpoint?.processed,
          'the second page committed while the first ingest job ran',
        ).toBeGreaterThanOrEqual(20);

        service = await stack.startService();
        const client = apiClient(service.url, ws.key);
        // Watches the org's ingest jobs until the pull is done.
        let watching = true;
        const watched = (async () => {
          while (watching) {
            await processing();
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        })();
        const done = await pollJob(client, ws.id, jobId, finished, 120_000).finally(() => {
          watching = false;
        });
        await watched;
        expect(done.status, done.error ?? '').toBe('succeeded');
        expect(done.counts).toMatchObject({ created: ACCOUNTS, failed: 0, skipped: 0 });
        expect(mostUnderWay, 'never more than two write-backs under way').toBe(2);
        expect(await prisma.syncIngestJob.count({ where: { jobId } })).toBe(0);
        expect(
          await expectBothSidesMatch({
            database,
            salesforce: stack.salesforce,
            workspaceId: ws.id,
            connectionId,
            objects: ['Account'],
            pryzmIdField: PRYZM_ID,
          }),
        ).toBe(ACCOUNTS);
        // Each record went through one completed job: none was sent a second time.
        let processed = 0;
        for (const job of await ingestJobs()) {
          if (job.state !== 'JobComplete') continue;
          const info = await stack.salesforce.get<IngestJob>(`jobs/ingest/${job.id}`);
          processed += info.numberRecordsProcessed ?? 0;
        }
        expect(processed).toBe(ACCOUNTS);
      } finally {
        await database.close();
        await stack.close();
      }
    },
    240_000,
  );
});

/**
 * The write-back never holds a page back: with ingest jobs the org keeps waiting 6 s before it
 * processes them, every page is committed while the first two jobs still wait, the job stays
 * running until the write-back drained, and the links that piled up meanwhile go in one larger
 * job instead of one job a page (at most three jobs for six pages), each record written back once.
 */
describe('a pull whose write-back lags behind its pages', () => {
  it.concurrent.each(PROVIDERS)(
    'should commit every page while the write-back waits and then send what piled up in one job, on %s',
    async (provider) => {
      const stack = await startProcessStack(provider, {
        seed: { accounts: ACCOUNTS, contacts: 0, opportunities: 0 },
        // Long enough for six page commits on a loaded machine (one run at a load of 11 took
        // longer than 3 s for them).
        bulkJobMilliseconds: 6_000,
        env: {
          PRYZM_SYNC_PAGE_SIZE: '10',
          PRYZM_SYNC_POLL_MS: '20',
          PRYZM_BULK_INGEST_THRESHOLD: '5',
        },
      });
      const database = await openServiceDatabase(stack.databaseUrl);
      const service = await stack.startService();
      const ingestJobs = async () =>
        (await stack.salesforce.get<{ records: IngestJob[] }>('jobs/ingest')).records.filter(
          (job) => job.object === 'Account' && job.operation === 'update',
        );
      try {
        const { ws, connectionId } = await stack.connect(service);
        const { prisma } = database;
        const client = apiClient(service.url, ws.key);
        const started = await client.post<JobView>(
          `/api/workspaces/${ws.id}/connections/${connectionId}/jobs`,
          { kind: 'pull', mode: 'full' },
        );
        expect(started.status, JSON.stringify(started.body)).toBe(202);
        const jobId = started.body.id;

        const allCommitted = async () =>
          (
            await prisma.syncCheckpoint.findUnique({
              where: { jobId_salesforceObject: { jobId, salesforceObject: 'Account' } },
            })
          )?.done ?? false;
        await expect.poll(allCommitted, { interval: 20, timeout: 60_000 }).toBe(true);
        const whenCommitted = await ingestJobs();
        expect(
          whenCommitted.filter((job) => job.state === 'JobComplete'),
          'every page committed before any write-back finished',
        ).toEqual([]);
        expect(whenCommitted.length).toBeLessThanOrEqual(2);
        const running = await client.get<JobView>(`/api/workspaces/${ws.id}/jobs/${jobId}`);
        expect(running.body.status, 'the job waits for its write-back').toBe('running');

        const done = await pollJob(client, ws.id, jobId, finished, 120_000);
        expect(done.status, done.error ?? '').toBe('succeeded');
        expect(done.counts).toMatchObject({ created: ACCOUNTS, failed: 0, skipped: 0 });
        expect(await prisma.syncIngestJob.count({ where: { jobId } })).toBe(0);
        const jobs = await ingestJobs();
        // One job a page would make six; what piled up behind the first two goes in one.
        expect(jobs.length, 'the links that piled up went in one job').toBeLessThanOrEqual(3);
        let processed = 0;
        for (const job of jobs) {
          const info = await stack.salesforce.get<IngestJob>(`jobs/ingest/${job.id}`);
          expect(info.state).toBe('JobComplete');
          processed += info.numberRecordsProcessed ?? 0;
        }
        expect(processed, 'each record written back once').toBe(ACCOUNTS);
        expect(
          await expectBothSidesMatch({
            database,
            salesforce: stack.salesforce,
            workspaceId: ws.id,
            connectionId,
            objects: ['Account'],
            pryzmIdField: PRYZM_ID,
          }),
        ).toBe(ACCOUNTS);
      } finally {
        await database.close();
        await stack.close();
      }
    },
    240_000,
  );
});
