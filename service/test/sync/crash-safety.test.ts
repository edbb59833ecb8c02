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

const SEED = { accounts: 300, contacts: 600, opportunities: 300 };
const TOTAL = SEED.accounts + SEED.contacts + SEED.opportunities;
const OBJECTS = ['Account', 'Contact', 'Opportunity'];
const PRYZM_ID = 'pryzm__Pryzm_ID__c';

/**
 * The service runs as a process of its own and is killed with SIGKILL (no shutdown, no last
 * write) at three points of one full pull, restarted on the same database each time:
 *   (a) the Account Bulk API 2.0 query job exists in Salesforce, no page is committed yet;
 *   (b) mid-Contact, between two slices of a page: a page of 100 commits 25 records at a time,
 *       and the process dies with some of a page's slices committed (with their links), others
 *       not; the restarted run reads that page's locator again and skips the rows done;
 *   (c) in the Opportunity `Pryzm_ID__c` write-back: Salesforce has taken the ids, the links
 *       are not marked written yet.
 * After the last restart the job finishes on its own and both sides are compared record by record.
 */
describe('a pull killed and restarted', () => {
  // Both databases at once: each run mostly waits on its own processes.
  it.concurrent.each(PROVIDERS)(
    'should resume from its checkpoints and link every record once, on %s',
    async (provider) => {
      // Bulk query jobs stay InProgress for 600 ms, so the service cannot read (or commit) a page
      // before the test sees the query job and kills it: kill point (a) is deterministic.
      const stack = await startProcessStack(provider, {
        seed: SEED,
        bulkJobMilliseconds: 600,
        env: {
          PRYZM_SYNC_PAGE_SIZE: '100',
          PRYZM_SYNC_COMMIT_SIZE: '25',
          PRYZM_SYNC_POLL_MS: '20',
        },
      });
      const faults = stack.local.faults(stack.org.id);
      let service = await stack.startService();
      const database = await openServiceDatabase(stack.databaseUrl);
      try {
        const { ws, connectionId } = await stack.connect(service);
        const { prisma } = database;
        const started = await ws.client.post<JobView>(
          `/api/workspaces/${ws.id}/connections/${connectionId}/jobs`,
          { kind: 'pull', mode: 'full' },
        );
        expect(started.status, JSON.stringify(started.body)).toBe(202);
        const jobId = started.body.id;

        // (a) Killed once the Account query job exists, before any page could be read.
        await expect
          .poll(async () => (await stack.salesforce.queryJobs()).map((job) => job.object), {
            interval: 20,
            timeout: 60_000,
          })
          .toContain('Account');
        await service.kill();
        expect(
          await prisma.syncCheckpoint.count({ where: { jobId } }),
          '(a) no page committed',
        ).toBe(0);
        expect(await prisma.link.count({ where: { connectionId } })).toBe(0);

        // (b) Every Salesforce request of the restarted process is held 50 ms, so the Contact
        // pages come slowly enough to stop the process inside one of them: stopped (SIGSTOP) as
        // soon as a Contact checkpoint shows part of a page committed, then killed once the
        // stopped process's last commit is seen to be such a one (else it goes on and is
        // stopped again).
        faults.delayRequests(1_000_000, 50);
        let pid: number | undefined;
        service = await stack.startService((child) => (pid = child.pid));
        const contactCheckpoint = () =>
          prisma.syncCheckpoint.findUnique({
            where: { jobId_salesforceObject: { jobId, salesforceObject: 'Contact' } },
          });
        for (;;) {
          const seen = await contactCheckpoint();
          if (seen?.done) throw new Error('(b) the Contacts were all in before a stop');
          if (seen && seen.rowsDone > 0) {
            process.kill(pid!, 'SIGSTOP');
            if ((await contactCheckpoint())!.rowsDone > 0) break;
            process.kill(pid!, 'SIGCONT');
          }
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await service.kill();
        faults.reset();
        const contacts = await contactCheckpoint();
        expect(contacts, '(b) some Contact slices committed, not all').toMatchObject({
          done: false,
        });
        expect(contacts!.processed).toBeGreaterThan(0);
        expect(contacts!.processed).toBeLessThan(SEED.contacts);
        // Stopped inside a page: the checkpoint holds that page's own locator and its rows done.
        expect(contacts!.rowsDone % 25, '(b) whole slices').toBe(0);
        expect(contacts!.processed % 100, '(b) pages of 100, then the rows done').toBe(
          contacts!.rowsDone,
        );
        expect(
          await prisma.link.count({ where: { connectionId, salesforceObject: 'Contact' } }),
        ).toBe(contacts!.processed);

        // (c) Killed from inside Salesforce's commit of the first Opportunity Pryzm_ID__c update:
        // the values are stored in Salesforce, the answer never reaches the service.
        let armed = true;
        let victim: number | undefined;
        const stopWatching = stack.local.runtime.onCommit((tx) => {
          const writesBack = tx.changes.some(
            (change) =>
              change.objectName === 'Opportunity' && change.changedFields.includes(PRYZM_ID),
          );
          if (armed && writesBack && victim) {
            armed = false;
            process.kill(victim, 'SIGKILL');
          }
        });
        try {
          service = await stack.startService((child) => (victim = child.pid));
          await service.exited;
        } finally {
          stopWatching();
        }
        expect(armed, '(c) killed in the write-back').toBe(false);
        const unmarked = await prisma.link.findMany({
          where: {
            connectionId,
            salesforceObject: 'Opportunity',
            pendingIdWriteBack: { isNot: null },
          },
        });
        const written = new Map(
          (
            await stack.salesforce.soql<{ Id: string; pryzm__Pryzm_ID__c: string | null }>(
              `SELECT Id, ${PRYZM_ID} FROM Opportunity WHERE ${PRYZM_ID} != null`,
            )
          ).map((row) => [row.Id, row.pryzm__Pryzm_ID__c]),
        );
        expect(
          unmarked.filter((link) => written.get(link.salesforceId) === link.recordId).length,
          '(c) Salesforce holds ids whose links are not marked written',
        ).toBeGreaterThan(0);

        // The last start finishes the job by itself.
        service = await stack.startService();
        const client = apiClient(service.url, ws.key);
        const job = await pollJob(client, ws.id, jobId, finished, 120_000);
        expect(job.status, job.error ?? '').toBe('succeeded');
        expect(job.counts).toMatchObject({ created: TOTAL, linked: 0, failed: 0, skipped: 0 });
        expect(job.objects.map((entry) => [entry.processed, entry.total])).toEqual([
          [SEED.accounts, SEED.accounts],
          [SEED.contacts, SEED.contacts],
          [SEED.opportunities, SEED.opportunities],
        ]);
        const row = await prisma.syncJob.findUniqueOrThrow({ where: { id: jobId } });
        expect(row.attempts, 'claimed once per process').toBe(4);
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
      } finally {
        await database.close();
        await stack.close();
      }
    },
    // Generous: eight process starts share two cores with the rest of the suite.
    300_000,
  );
});
