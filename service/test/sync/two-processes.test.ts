import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import { apiClient, type ApiClient } from '../support/api.ts';
import { startProcessStack, type ProcessStack } from '../support/process-stack.ts';
import {
  expectBothSidesMatch,
  finished,
  openServiceDatabase,
  pollJob,
  type JobView,
} from '../support/pull-state.ts';
import type { ServiceProcess } from '../support/service-process.ts';

const SEED = { accounts: 2000, contacts: 100, opportunities: 50 };
const TOTAL = SEED.accounts + SEED.contacts + SEED.opportunities;
const OBJECTS = ['Account', 'Contact', 'Opportunity'];
const PRYZM_ID = 'pryzm__Pryzm_ID__c';

/**
 * Two service processes (A and B) on one PostgreSQL database share the sync jobs through pg-boss:
 * a job whose process is killed (SIGKILL) is failed over by its heartbeat and finished by the other;
 * one whose process stops gracefully (SIGTERM) is handed over at once. SQLite has a single
 * process by design, so this runs on PostgreSQL only.
 */
describe('two service processes on postgresql', () => {
  let stack: ProcessStack;
  let database: Database;
  let a: ServiceProcess;
  let b: ServiceProcess;
  let c: ServiceProcess;
  let ws: Awaited<ReturnType<ProcessStack['connect']>>['ws'];
  let connectionId: string;

  const clientOf = (service: ServiceProcess): ApiClient => apiClient(service.url, ws.key);
  const startJob = async (service: ServiceProcess, mode: 'full' | 'incremental') => {
    const started = await clientOf(service).post<JobView>(
      `/api/workspaces/${ws.id}/connections/${connectionId}/jobs`,
      { kind: 'pull', mode },
    );
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return started.body.id;
  };
  /** The `host:pid` of the process running a job, once one has claimed it. */
  const holderOf = async (jobId: string) => {
    await expect
      .poll(
        async () =>
          (await database.prisma.syncJob.findUniqueOrThrow({ where: { id: jobId } })).workerId,
        { interval: 20, timeout: 60_000 },
      )
      .toBeTruthy();
    return (await database.prisma.syncJob.findUniqueOrThrow({ where: { id: jobId } })).workerId!;
  };
  const pidOf = (workerId: string) => Number(workerId.slice(workerId.lastIndexOf(':') + 1));

  beforeAll(async () => {
    stack = await startProcessStack('postgresql', {
      seed: SEED,
      env: { PRYZM_SYNC_PAGE_SIZE: '100', PRYZM_SYNC_POLL_MS: '20' },
    });
    // Both at once: the migrations and pg-boss's schema are applied under advisory locks.
    [a, b] = await Promise.all([stack.startService(), stack.startService()]);
    database = await openServiceDatabase(stack.databaseUrl);
    ({ ws, connectionId } = await stack.connect(a));
  }, 180_000);
  afterAll(async () => {
    await database?.close();
    await stack?.close();
  });

  it('should finish on the other process a job whose process was killed mid-run, linking every record once', async () => {
    const faults = stack.local.faults(stack.org.id);
    // Salesforce answers 30 ms slower, so the 20 Account pages cannot all pass between polls.
    faults.delayRequests(1_000_000, 30);
    const jobId = await startJob(a, 'full');
    const running = await pollJob(clientOf(a), ws.id, jobId, (job) => {
      const [accounts] = job.objects;
      return !!accounts && accounts.processed > 0 && accounts.processed < SEED.accounts;
    });
    expect(running.status).toBe('running');
    // One process runs it (A, which the job was started on, unless B's poll came first): its
    // delivery is active in pg-boss, so the other cannot take the connection's job.
    const holder = pidOf(await holderOf(jobId));
    const [killed, survivor] = holder === a.child.pid ? [a, b] : [b, a];
    expect(killed.child.pid).toBe(holder);
    await killed.kill();
    const killedAt = Date.now();
    faults.reset();

    const job = await pollJob(clientOf(survivor), ws.id, jobId, finished, 90_000);
    expect(job.status, job.error ?? '').toBe('succeeded');
    // Failed over by the heartbeat (10 s) and the supervisor (every 5 s), in seconds (a
    // minute at most on a loaded machine), not hours.
    expect(Date.now() - killedAt).toBeLessThan(60_000);
    expect(survivor.output()).toContain(jobId);
    expect(job.counts).toMatchObject({ created: TOTAL, linked: 0, failed: 0, skipped: 0 });
    const row = await database.prisma.syncJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(row.attempts, 'claimed by the killed process, then by the survivor').toBe(2);
    expect(
      await expectBothSidesMatch({
        database,
        salesforce: stack.salesforce,
        workspaceId: ws.id,
        connectionId,
        objects: OBJECTS,
        pryzmIdField: PRYZM_ID,
      }),
    ).toBe(TOTAL);

    // pg-boss's view: one delivery, its first attempt failed by the lost heartbeat, then done.
    const boss = new pg.Client({ connectionString: stack.databaseUrl });
    await boss.connect();
    try {
      const { rows } = await boss.query<{ state: string; retry_count: number }>(
        `SELECT state, retry_count FROM pgboss.job WHERE name = 'pryzm-sync-jobs' AND data->>'jobId' = $1`,
        [jobId],
      );
      expect(rows).toEqual([{ state: 'completed', retry_count: 1 }]);
    } finally {
      await boss.end();
    }
    b = survivor;
  }, 180_000);

  let orphanId: string;

  it('should send again, on start, a queued job pg-boss never received', async () => {
    // A row queued while pg-boss could not be reached: in our table, not in pg-boss. A copy of
    // the finished job, back to queued with nothing done.
    const { prisma } = database;
    const done = await prisma.syncJob.findFirstOrThrow({
      where: { connectionId, status: 'succeeded' },
    });
    const zero = (counts: unknown) =>
      Object.fromEntries(Object.keys(counts as object).map((key) => [key, 0]));
    const progress = (done.progress as Record<string, unknown>[]).map((entry) => ({
      ...entry,
      processed: 0,
      total: null,
      counts: zero(entry['counts']),
      startedAt: null,
      finishedAt: null,
    }));
    orphanId = randomUUID();
    await prisma.syncJob.create({
      data: {
        ...(done as unknown as Parameters<typeof prisma.syncJob.create>[0]['data']),
        id: orphanId,
        status: 'queued',
        progress,
        counts: zero(done.counts),
        apiCalls: 0,
        error: null,
        attempts: 0,
        workerId: null,
        heartbeatAt: null,
        queuedAt: new Date(),
        startedAt: null,
        finishedAt: null,
      },
    });
    // Salesforce answers 50 ms slower from here, so the job is still running for the next test.
    stack.local.faults(stack.org.id).delayRequests(1_000_000, 50);
    c = await stack.startService();
    expect(c.output()).toContain('unfinished sync job sent to the queue again');
    await holderOf(orphanId);
  }, 180_000);

  it('should hand a running job over at once when its process stops gracefully', async () => {
    const holder = await holderOf(orphanId);
    const [stopping, other] = pidOf(holder) === b.child.pid ? [b, c] : [c, b];
    expect(stopping.child.pid).toBe(pidOf(holder));
    await pollJob(clientOf(other), ws.id, orphanId, (job) => (job.objects[0]?.processed ?? 0) > 0);
    const stoppedAt = Date.now();
    expect(await stopping.stop(), stopping.output()).toBe(0);
    stack.local.faults(stack.org.id).reset();
    expect(stopping.output()).toContain('paused by shutdown');

    // Its failed attempt is retried within seconds, without waiting for a heartbeat to lapse.
    const attempts = async () =>
      (await database.prisma.syncJob.findUniqueOrThrow({ where: { id: orphanId } })).attempts;
    await expect.poll(attempts, { interval: 20, timeout: 15_000 }).toBe(2);
    expect(Date.now() - stoppedAt).toBeLessThan(15_000);
    expect(pidOf(await holderOf(orphanId))).toBe(other.child.pid);
    const job = await pollJob(clientOf(other), ws.id, orphanId, finished, 60_000);
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(job.counts).toMatchObject({ created: 0, unchanged: TOTAL, failed: 0 });
    expect(await attempts()).toBe(2);
  }, 180_000);
});
