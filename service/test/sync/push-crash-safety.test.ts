import { describe, expect, it } from 'vitest';
import { apiClient, type ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { startProcessStack, type ProcessStack } from '../support/process-stack.ts';
import {
  expectBothSidesMatch,
  finished,
  openServiceDatabase,
  pollJob,
} from '../support/pull-state.ts';

const PRYZM_ID = 'pryzm__Pryzm_ID__c';
/** A round of at least this many records goes through one Bulk API 2.0 ingest job. */
const BULK_FROM = 900;

/**
 * A batch push whose service process is killed with SIGKILL between Salesforce's write and the
 * commit of its outcome, restarted on the same database each time:
 *   (a) sObject Collections: from inside Salesforce's commit of the second Composite call (the
 *       first one upserts 800 records in four collections of 200, the second the other 50);
 *   (b) Bulk API 2.0 ingest: from inside Salesforce's processing of the upsert job.
 * The restarted job finishes by itself; both sides are compared record by record, and the
 * ingest job's records were uploaded once (its results read back after the restart).
 */
describe('a batch push killed and restarted', () => {
  it.concurrent.each(PROVIDERS)(
    'should link every pushed record once and create nothing twice, on %s',
    async (provider) => {
      const stack = await startProcessStack(provider, {
        seed: { accounts: 0, contacts: 0, opportunities: 0 },
        env: { PRYZM_SYNC_POLL_MS: '20', PRYZM_BULK_INGEST_THRESHOLD: String(BULK_FROM) },
      });
      let service = await stack.startService();
      const database = await openServiceDatabase(stack.databaseUrl);
      try {
        const { ws, connectionId } = await stack.connect(service);
        const { prisma } = database;
        let client: ApiClient = ws.client;
        // Written in one transaction, as an import would (the API would take a record a call).
        const createOrganizations = async (count: number, prefix: string) => {
          const recordType = await prisma.recordType.findFirstOrThrow({
            where: { workspaceId: ws.id, key: 'organization' },
          });
          await prisma.pryzmRecord.createMany({
            data: Array.from({ length: count }, (_, i) => ({
              workspaceId: ws.id,
              recordTypeId: recordType.id,
              values: { name: `${prefix} ${i}` },
            })),
          });
        };
        const startPush = async () => {
          const started = await client.post<{ id: string }>(
            `/api/workspaces/${ws.id}/connections/${connectionId}/jobs`,
            { kind: 'push' },
          );
          expect(started.status, JSON.stringify(started.body)).toBe(202);
          return started.body.id;
        };
        /** Kills the service from inside the `nth` Salesforce commit that creates Accounts. */
        const killOnAccountCommit = (nth: number) => {
          let seen = 0;
          const stop = stack.local.runtime.onCommit((tx) => {
            if (!tx.changes.some((c) => c.objectName === 'Account' && c.changeType === 'CREATE')) {
              return;
            }
            seen += 1;
            if (seen === nth && service.child.pid) process.kill(service.child.pid, 'SIGKILL');
          });
          return async () => {
            await service.exited;
            stop();
          };
        };
        const restartAndFinish = async (jobId: string) => {
          service = await stack.startService();
          client = apiClient(service.url, ws.key);
          return pollJob(client, ws.id, jobId, finished, 120_000);
        };

        // (a) 850 records: under the threshold, 800 + 50 per Composite call.
        await createOrganizations(850, 'Collections');
        const killed = killOnAccountCommit(2);
        const first = await startPush();
        await killed();
        // Salesforce holds all 850; the service committed the first call's 800 links only.
        expect(await accountCount(stack)).toBe(850);
        expect(await prisma.link.count({ where: { connectionId } })).toBe(800);
        const firstDone = await restartAndFinish(first);
        expect(firstDone.status, firstDone.error ?? '').toBe('succeeded');
        // The second call's records are sent again: Salesforce updates them, creates nothing.
        expect(firstDone.counts).toMatchObject({ created: 800, updated: 50, failed: 0 });
        expect(await accountCount(stack)).toBe(850);

        // (b) 900 more: one upsert ingest job; killed while Salesforce processes it.
        await createOrganizations(900, 'Bulk');
        const killedInBulk = killOnAccountCommit(1);
        const second = await startPush();
        await killedInBulk();
        expect(await prisma.syncIngestJob.count({ where: { jobId: second } })).toBe(1);
        const secondDone = await restartAndFinish(second);
        expect(secondDone.status, secondDone.error ?? '').toBe('succeeded');
        expect(secondDone.counts).toMatchObject({ created: 900, updated: 0, failed: 0 });
        const ingestJobs = await stack.salesforce.get<{ records: { operation: string }[] }>(
          'jobs/ingest',
        );
        expect(
          ingestJobs.records.map((job) => job.operation),
          'the records went up once: the restart read the job results',
        ).toEqual(['upsert']);
        expect(await prisma.syncIngestJob.count()).toBe(0);

        expect(
          await expectBothSidesMatch({
            database,
            salesforce: stack.salesforce,
            workspaceId: ws.id,
            connectionId,
            objects: ['Account'],
            pryzmIdField: PRYZM_ID,
          }),
        ).toBe(1_750);
      } finally {
        await database.close();
        await stack.close();
      }
    },
    // Generous: four process starts share two cores with the rest of the suite.
    240_000,
  );
});

async function accountCount(stack: ProcessStack): Promise<number> {
  return (await stack.salesforce.soql<{ Id: string }>('SELECT Id FROM Account')).length;
}
