import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { createWorkspace, type ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { passwordConnectionRequest, testConnectedApp } from '../support/localorg.ts';
import {
  connectWithDefaults,
  runJob as runSyncJob,
  salesforceApi,
  waitForJob,
  type Job,
} from '../support/sync.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

const { app, privateKeyPem } = testConnectedApp();

const SEED = { accounts: 60, contacts: 120, opportunities: 50 };
const TOTAL = SEED.accounts + SEED.contacts + SEED.opportunities;

interface RecordResult {
  salesforceObject: string;
  salesforceId: string | null;
  recordId: string | null;
  action: string;
  error: { code: string; message: string } | null;
  fields: unknown;
}

describe.each(PROVIDERS)('pulling from Salesforce on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient };
  let connectionId: string;
  let sandbox: LocalOrg['orgs'][number];

  const salesforce = <T>(path: string, init: RequestInit = {}) =>
    salesforceApi(local, sandbox).request<T>(path, init);
  const soql = <T>(query: string) => salesforceApi(local, sandbox).soql<T>(query);
  const waitFor = (jobId: string) => waitForJob(ws, jobId);

  const runJob = (mode: 'full' | 'incremental') =>
    runSyncJob(ws, connectionId, { kind: 'pull', mode });

  async function results(jobId: string, query = ''): Promise<RecordResult[]> {
    const page = await ws.client.get<{ data: RecordResult[] }>(
      `/api/workspaces/${ws.id}/jobs/${jobId}/records?limit=500${query}`,
    );
    return page.body.data;
  }

  async function recordsOf(recordType: string) {
    const page = await ws.client.get<{ data: { id: string; values: Record<string, unknown> }[] }>(
      `/api/workspaces/${ws.id}/record-types/${recordType}/records?limit=500`,
    );
    return page.body.data;
  }

  beforeAll(async () => {
    // Small pages and quick polls, so a few hundred records span several pages and commits.
    stack = await startServiceWithTwoOrgs(app, provider, 'Pull', {
      PRYZM_SYNC_PAGE_SIZE: '40',
      PRYZM_SYNC_POLL_MS: '20',
      PRYZM_SCHEDULER_TICK_MS: '200',
    });
    ({ local, ws } = stack);
    sandbox = local.orgs[1]!;
    local.seed(sandbox.id, SEED);
    ({ connectionId } = await connectWithDefaults(ws, sandbox, app, privateKeyPem));
  });
  afterAll(() => stack?.close());

  let firstJob: Job;
  let matchedRecordId: string;

  it('should pull every mapped object parents first, linking a record the match rules find', async () => {
    const [account] = await soql<{ Name: string; Website: string }>(
      'SELECT Name, Website FROM Account ORDER BY Name LIMIT 1',
    );
    const existing = await ws.client.post<{ id: string }>(
      `/api/workspaces/${ws.id}/record-types/organization/records`,
      // The same company as the match rules see it: case, legal suffix and URL form differ.
      {
        values: {
          name: account!.Name.toUpperCase().replace(/ (LLC|INC|LTD|CORP)$/, ''),
          website: account!.Website.replace(/^https?:\/\/(www\.)?/, 'http://').toUpperCase(),
        },
      },
    );
    expect(existing.status).toBe(201);
    matchedRecordId = existing.body.id;

    firstJob = await runJob('full');
    expect(firstJob.status, firstJob.error ?? '').toBe('succeeded');
    expect(firstJob.objects.map((object) => object.salesforceObject)).toEqual([
      'Account',
      'Contact',
      'Opportunity',
    ]);
    expect(firstJob.objects.map((object) => [object.processed, object.total])).toEqual([
      [SEED.accounts, SEED.accounts],
      [SEED.contacts, SEED.contacts],
      [SEED.opportunities, SEED.opportunities],
    ]);
    // The names and websites differ in form: the new link carries them as conflicts (manual).
    expect(firstJob.counts).toMatchObject({
      created: TOTAL - 1,
      linked: 1,
      conflicts: 1,
      failed: 0,
    });
    expect(await recordsOf('organization')).toHaveLength(SEED.accounts);
    const linked = await results(firstJob.id, '&action=linked');
    expect(linked.map((result) => result.recordId)).toEqual([matchedRecordId]);
  });

  it('should write each Pryzm id back to Pryzm_ID__c and link contacts to their account', async () => {
    const accounts = await soql<{
      Id: string;
      pryzm__Pryzm_ID__c: string | null;
      pryzm__Pryzm_Last_Synced__c: string | null;
      pryzm__Pryzm_Sync_Status__c: string | null;
    }>(
      'SELECT Id, pryzm__Pryzm_ID__c, pryzm__Pryzm_Last_Synced__c, pryzm__Pryzm_Sync_Status__c FROM Account',
    );
    const organizations = new Set((await recordsOf('organization')).map((record) => record.id));
    expect(
      accounts.every((a) => a.pryzm__Pryzm_ID__c && organizations.has(a.pryzm__Pryzm_ID__c)),
    ).toBe(true);
    // The package's sync fields ride along in the same calls: the record page's card shows them.
    expect(accounts.every((a) => a.pryzm__Pryzm_Sync_Status__c === 'Synced')).toBe(true);
    expect(accounts.every((a) => a.pryzm__Pryzm_Last_Synced__c)).toBe(true);
    const pryzmIdOf = new Map(accounts.map((a) => [a.Id, a.pryzm__Pryzm_ID__c]));
    const [contact] = await soql<{ AccountId: string; pryzm__Pryzm_ID__c: string }>(
      'SELECT AccountId, pryzm__Pryzm_ID__c FROM Contact WHERE AccountId != null LIMIT 1',
    );
    const person = await ws.client.get<{ values: Record<string, unknown> }>(
      `/api/workspaces/${ws.id}/records/${contact!.pryzm__Pryzm_ID__c}`,
    );
    expect(person.body.values.organization).toBe(pryzmIdOf.get(contact!.AccountId));
  });

  it('should spend one API call per results page, per job poll and per 200 write-backs', async () => {
    // Per object: create the query job, poll it, read its pages (40 records each), write back.
    const pages = [SEED.accounts, SEED.contacts, SEED.opportunities]
      .map((count) => Math.ceil(count / 40))
      .reduce((a, b) => a + b, 0);
    expect(firstJob.apiCalls).toBeGreaterThanOrEqual(pages + 3 * 2);
    expect(firstJob.apiCalls).toBeLessThanOrEqual(pages + 3 * 2 + pages + 3 * 4);
  });

  it('should neither duplicate nor change anything on a second full pull', async () => {
    const again = await runJob('full');
    expect(again.status, again.error ?? '').toBe('succeeded');
    expect(again.counts).toMatchObject({ created: 0, linked: 0, unchanged: TOTAL - 1 });
    // The record linked by matching had values the two sides disagreed on: with a link and a
    // base now, the mapping's strategy (most recent change) settles them on this run.
    expect((again.counts.updated ?? 0) + (again.counts.conflicts ?? 0)).toBe(1);
    // Unchanged records are counted, not listed.
    const listed = await results(again.id);
    expect(listed.map((result) => result.recordId)).toEqual([matchedRecordId]);
    expect(await recordsOf('organization')).toHaveLength(SEED.accounts);
    expect(await recordsOf('person')).toHaveLength(SEED.contacts);
  });

  it('should read only what changed since the last pull in an incremental pull', async () => {
    const [account] = await soql<{ Id: string; pryzm__Pryzm_ID__c: string }>(
      'SELECT Id, pryzm__Pryzm_ID__c FROM Account LIMIT 1',
    );
    await salesforce(`sobjects/Account/${account!.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Renamed In Salesforce' }),
    });
    const job = await runJob('incremental');
    expect(job.status, job.error ?? '').toBe('succeeded');
    // The account, and its contacts whose organization name (Account.Name) Salesforce now
    // answers differently: they were written back recently, so the overlap window reads them.
    expect(job.counts).toMatchObject({ created: 0, linked: 0 });
    const record = await ws.client.get<{ values: Record<string, unknown> }>(
      `/api/workspaces/${ws.id}/records/${account!.pryzm__Pryzm_ID__c}`,
    );
    expect(record.body.values.name).toBe('Renamed In Salesforce');
    const updated = await results(job.id, '&action=updated');
    expect(updated.filter((result) => result.salesforceObject === 'Account')).toEqual([
      expect.objectContaining({ salesforceId: account!.Id, recordId: account!.pryzm__Pryzm_ID__c }),
    ]);
    expect(job.counts.updated).toBe(updated.length);
  });

  it('should cancel a queued job at once and refuse to cancel a finished one', async () => {
    const base = `/api/workspaces/${ws.id}`;
    const first = await ws.client.post<Job>(`${base}/connections/${connectionId}/jobs`, {
      kind: 'pull',
      mode: 'incremental',
    });
    const second = await ws.client.post<Job>(`${base}/connections/${connectionId}/jobs`, {
      kind: 'pull',
      mode: 'incremental',
    });
    const cancelled = await ws.client.post<Job>(`${base}/jobs/${second.body.id}/cancel`, {});
    expect(cancelled.status).toBe(202);
    expect(['cancelled', 'running']).toContain(cancelled.body.status);
    expect((await waitFor(second.body.id)).status).toBe('cancelled');
    await waitFor(first.body.id);
    const refused = await ws.client.post<{ error: { code: string } }>(
      `${base}/jobs/${first.body.id}/cancel`,
      {},
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('job_finished');
  });

  it('should list jobs newest first and refuse bad job requests with clear codes', async () => {
    const list = await ws.client.get<{ data: Job[] }>(
      `/api/workspaces/${ws.id}/jobs?connectionId=${connectionId}&kind=pull&limit=2`,
    );
    expect(list.status).toBe(200);
    expect(list.body.data).toHaveLength(2);
    const push = await ws.client.post<{ error: { code: string } }>(
      `/api/workspaces/${ws.id}/connections/${connectionId}/jobs`,
      { kind: 'everything' },
    );
    expect(push.status).toBe(400);
    expect(push.body.error.code).toBe('invalid_request');
    const missing = await ws.client.get<{ error: { code: string } }>(
      `/api/workspaces/${ws.id}/jobs/00000000-0000-4000-8000-000000000000`,
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('job_not_found');
  });

  it('should run an interval schedule by itself, once per interval', async () => {
    // A workspace of its own: its connection has run no job yet, so its schedule is due at once.
    const other = await createWorkspace(stack!.service.url, stack!.security.adminToken, 'Sched');
    const production = local.orgs[0]!;
    const connected = await other.client.post<{ id: string }>(
      `/api/workspaces/${other.id}/connections`,
      passwordConnectionRequest(app, production.users[0]!, { environment: 'production' }),
    );
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    const base = `/api/workspaces/${other.id}/connections/${connected.body.id}`;
    const saved = await other.client.post<{ saved: { id: string; salesforceObject: string }[] }>(
      `${base}/mappings/defaults`,
      {},
    );
    const account = saved.body.saved.find((m) => m.salesforceObject === 'Account')!;
    const patched = await other.client.patch(`${base}/mappings/${account.id}`, {
      schedule: { kind: 'interval', minutes: 5 },
    });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const scheduled = async () =>
      (
        await other.client.get<{ data: { id: string; status: string; startedBy: string }[] }>(
          `/api/workspaces/${other.id}/jobs?kind=sync`,
        )
      ).body.data.filter((job) => job.startedBy === 'schedule');
    await expect.poll(async () => (await scheduled()).length, { timeout: 10_000 }).toBe(1);
    await expect
      .poll(async () => (await scheduled())[0]?.status, { timeout: 20_000 })
      .toBe('succeeded');
    // Ticks keep coming; the next run is due only five minutes after this one.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await scheduled()).toHaveLength(1);
  });
});
