import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { testConnectedApp } from '../support/localorg.ts';
import { openServiceDatabase } from '../support/pull-state.ts';
import {
  connectWithDefaults,
  runJob as runSyncJob,
  salesforceApi,
  startJob,
  waitForJob,
  type Job,
} from '../support/sync.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

const { app, privateKeyPem } = testConnectedApp();

interface Account {
  Id: string;
  pryzm__Pryzm_ID__c: string;
}

interface RecordResult {
  salesforceId: string;
  action: string;
  error: { code: string; message: string } | null;
}

/**
 * A push records the `SystemModstamp` Salesforce gave the values it wrote (read back in the same
 * Composite call, or after a Bulk ingest job), so a snapshot of the record read before the push
 * and applied after it (here a pull's Bulk query job, whose results Salesforce takes when it
 * processes the job) is older than the link's values and cannot undo the push. Without the
 * stamp, the snapshot had the link's old stamp, and the three-way check took its old values for
 * a change made in Salesforce.
 */
describe.each(PROVIDERS)('a push against an older snapshot on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient };
  let connectionId: string;
  let sandbox: LocalOrg['orgs'][number];
  let accounts: Account[];

  const sf = () => salesforceApi(local, sandbox);
  const base = () => `/api/workspaces/${ws.id}`;
  const nameOf = async (recordId: string) =>
    (await ws.client.get<{ values: Record<string, unknown> }>(`${base()}/records/${recordId}`)).body
      .values['name'];
  const rename = async (recordId: string, name: string) => {
    const patched = await ws.client.patch(`${base()}/records/${recordId}`, { values: { name } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  };
  const queryJobIds = async () =>
    (await sf().request<{ records: { id: string }[] }>('jobs/query')).records.map((job) => job.id);

  /**
   * Starts a full pull whose Bulk query job Salesforce has taken its snapshot for but not
   * finished: what is pushed now is not in the rows the pull reads afterwards.
   */
  async function pullWithSnapshotTakenNow(): Promise<string> {
    const before = new Set(await queryJobIds());
    local.org(sandbox.id).config.bulkJobMilliseconds = 1_500;
    const pullId = await startJob(ws, connectionId, { kind: 'pull', mode: 'full' });
    const deadline = Date.now() + 30_000;
    while (!(await queryJobIds()).some((id) => !before.has(id))) {
      if (Date.now() > deadline) throw new Error('the pull created no query job');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    local.org(sandbox.id).config.bulkJobMilliseconds = 0;
    return pullId;
  }

  /** The pull left the pushed records alone as older than what their links hold. */
  async function expectPushKept(pullId: string, pushed: Account[], names: string[]) {
    const pull: Job = await waitForJob(ws, pullId);
    expect(pull.status, pull.error ?? '').toBe('succeeded');
    for (const [index, account] of pushed.entries()) {
      expect(await nameOf(account.pryzm__Pryzm_ID__c)).toBe(names[index]);
    }
    const [inSalesforce] = await sf().soql<{ Name: string }>(
      `SELECT Name FROM Account WHERE Id = '${pushed[0]!.Id}'`,
    );
    expect(inSalesforce!.Name).toBe(names[0]);
    const results = await ws.client.get<{ data: RecordResult[] }>(
      `${base()}/jobs/${pullId}/records?action=unchanged&limit=500`,
    );
    const stale = results.body.data.filter((result) => result.error?.code === 'older_than_applied');
    expect(stale.map((result) => result.salesforceId).sort()).toEqual(
      pushed.map((account) => account.Id).sort(),
    );
    expect(pull.counts['updated']).toBe(0);
    expect(pull.counts['conflicts']).toBe(0);
  }

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'PushStamps', {
      PRYZM_SYNC_POLL_MS: '20',
      // A push round of 3 changed records or more goes through a Bulk API 2.0 ingest job.
      PRYZM_BULK_INGEST_THRESHOLD: '3',
    });
    ({ local, ws } = stack);
    sandbox = local.orgs[1]!;
    local.seed(sandbox.id, { accounts: 8, contacts: 0, opportunities: 0 });
    ({ connectionId } = await connectWithDefaults(ws, sandbox, app, privateKeyPem));
    const pulled = await runSyncJob(ws, connectionId, { kind: 'pull', mode: 'full' });
    expect(pulled.status, pulled.error ?? '').toBe('succeeded');
    accounts = await sf().soql<Account>('SELECT Id, pryzm__Pryzm_ID__c FROM Account ORDER BY Name');
    expect(accounts.every((account) => account.pryzm__Pryzm_ID__c)).toBe(true);
  });
  afterAll(() => stack?.close());

  it('should keep a single-record push that a pull snapshot from before it would undo', async () => {
    const account = accounts[0]!;
    const pullId = await pullWithSnapshotTakenNow();
    await rename(account.pryzm__Pryzm_ID__c, 'Pushed Before The Snapshot Applied');
    const pushed = await ws.client.post<{ action: string; apiCalls: number }>(
      `${base()}/records/${account.pryzm__Pryzm_ID__c}/push`,
      { connectionId },
    );
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    // The upsert and the read of its stamp are one Composite call.
    expect(pushed.body).toMatchObject({ action: 'updated', apiCalls: 1 });
    await expectPushKept(pullId, [account], ['Pushed Before The Snapshot Applied']);
  });

  /**
   * A batch push runs as a job, after the pull jobs queued before it on the connection, so its
   * race is with real-time read-backs and auto push: checked here by what its links keep, the
   * stamp Salesforce gave each record's pushed values.
   */
  async function expectLinksStamped(pushed: Account[]) {
    const rows = await sf().soql<{ Id: string; SystemModstamp: string }>(
      `SELECT Id, SystemModstamp FROM Account WHERE Id IN (${pushed.map((a) => `'${a.Id}'`).join(',')})`,
    );
    const database = await openServiceDatabase(stack!.databaseUrl);
    try {
      const links = await database.prisma.link.findMany({
        where: { connectionId, salesforceId: { in: pushed.map((account) => account.Id) } },
        select: { salesforceId: true, salesforceModstamp: true },
      });
      expect(links).toHaveLength(pushed.length);
      for (const link of links) {
        const row = rows.find((candidate) => candidate.Id === link.salesforceId)!;
        expect(link.salesforceModstamp?.getTime(), link.salesforceId).toBe(
          Date.parse(row.SystemModstamp.replace('+0000', 'Z')),
        );
      }
    } finally {
      await database.close();
    }
  }

  it('should stamp the links of a batch push (sObject Collections in one Composite call)', async () => {
    const account = accounts[1]!;
    await rename(account.pryzm__Pryzm_ID__c, 'Batch Pushed');
    const push = await runSyncJob(ws, connectionId, { kind: 'push' });
    expect(push.status, push.error ?? '').toBe('succeeded');
    expect(push.counts).toMatchObject({ updated: 1, failed: 0 });
    await expectLinksStamped([account]);
    // The stamp is the pushed version's: a full pull now finds nothing older and nothing new.
    const pull = await runSyncJob(ws, connectionId, { kind: 'pull', mode: 'full' });
    expect(pull.counts['updated']).toBe(0);
    expect(await nameOf(account.pryzm__Pryzm_ID__c)).toBe('Batch Pushed');
  });

  it('should stamp the links of a batch push through a Bulk ingest job', async () => {
    const pushed = accounts.slice(2, 5);
    for (const [index, account] of pushed.entries()) {
      await rename(account.pryzm__Pryzm_ID__c, `Bulk Pushed ${index}`);
    }
    const before = new Set(
      (await sf().request<{ records: { id: string }[] }>('jobs/ingest')).records.map(
        (job) => job.id,
      ),
    );
    const push = await runSyncJob(ws, connectionId, { kind: 'push' });
    expect(push.status, push.error ?? '').toBe('succeeded');
    expect(push.counts).toMatchObject({ updated: 3, failed: 0 });
    const ingest = (
      await sf().request<{ records: { id: string }[] }>('jobs/ingest')
    ).records.filter((job) => !before.has(job.id));
    expect(ingest, 'the round went through one ingest job').toHaveLength(1);
    await expectLinksStamped(pushed);
  });

  it('should still apply a Salesforce change made after the push', async () => {
    const account = accounts[0]!;
    await sf().request(`sobjects/Account/${account.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Renamed In Salesforce Later' }),
    });
    const pull = await runSyncJob(ws, connectionId, { kind: 'pull', mode: 'full' });
    expect(pull.status, pull.error ?? '').toBe('succeeded');
    expect(await nameOf(account.pryzm__Pryzm_ID__c)).toBe('Renamed In Salesforce Later');
  });
});
