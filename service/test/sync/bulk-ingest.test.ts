import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import { connectWithDefaults, runJob as runSyncJob, salesforceApi } from '../support/sync.ts';

const { app, privateKeyPem } = testConnectedApp();

interface IngestJobInfo {
  id: string;
  operation: string;
  object: string;
  state: string;
  externalIdFieldName?: string;
}

/**
 * Batch pushes and the `Pryzm_ID__c` write-back through Bulk API 2.0 ingest jobs once a round
 * holds `PRYZM_BULK_INGEST_THRESHOLD` records (lowered here so a few records are enough).
 */
describe.each(PROVIDERS)('Bulk API 2.0 ingest on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient };
  let connectionId: string;
  let sandbox: LocalOrg['orgs'][number];

  const salesforce = () => salesforceApi(local, sandbox);
  const runJob = (body: Record<string, unknown>) => runSyncJob(ws, connectionId, body);
  const ingestJobs = async () =>
    (await salesforce().request<{ records: IngestJobInfo[] }>('jobs/ingest')).records;

  async function createRecord(recordType: string, values: Record<string, unknown>) {
    const created = await ws.client.post<{ id: string }>(
      `/api/workspaces/${ws.id}/record-types/${recordType}/records`,
      { values },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id;
  }

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Bulk ingest', {
      PRYZM_SYNC_PAGE_SIZE: '100',
      PRYZM_SYNC_POLL_MS: '20',
      PRYZM_BULK_INGEST_THRESHOLD: '5',
    });
    ({ local, ws } = stack);
    sandbox = local.orgs[1]!;
    local.seed(sandbox.id, { accounts: 12, contacts: 3, opportunities: 0 });
    ({ connectionId } = await connectWithDefaults(ws, sandbox, app, privateKeyPem));
  });
  afterAll(() => stack?.close());

  it('should write the new links back to Pryzm_ID__c with one update job by Id', async () => {
    const pulled = await runJob({ kind: 'pull', mode: 'full' });
    expect(pulled.status, pulled.error ?? '').toBe('succeeded');
    const accounts = await salesforce().soql<{ Id: string; pryzm__Pryzm_ID__c: string | null }>(
      'SELECT Id, pryzm__Pryzm_ID__c FROM Account',
    );
    expect(accounts).toHaveLength(12);
    expect(accounts.every((account) => account.pryzm__Pryzm_ID__c)).toBe(true);
    const jobs = await ingestJobs();
    // Twelve Accounts went in one ingest job; the three Contacts (under the threshold) did not.
    expect(jobs.map(({ operation, object, state }) => ({ operation, object, state }))).toEqual([
      { operation: 'update', object: 'Account', state: 'JobComplete' },
    ]);
  });

  it('should push a round past the threshold as one upsert job and record each outcome', async () => {
    const accounts = await salesforce().soql<{ Id: string; pryzm__Pryzm_ID__c: string }>(
      'SELECT Id, pryzm__Pryzm_ID__c FROM Account ORDER BY Name LIMIT 2',
    );
    const [kept, gone] = accounts.map((account) => account.pryzm__Pryzm_ID__c);
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      ids.push(
        await createRecord('person', {
          full_name: `Bulk Person ${i}`,
          primary_email: `bulk${i}@example.com`,
          organization: kept,
        }),
      );
    }
    // Its organization's Account was deleted in Salesforce since the pull: Salesforce refuses
    // the lookup, and only this Contact fails.
    const refused = await createRecord('person', {
      full_name: 'Orphan Person',
      primary_email: 'orphan@example.com',
      organization: gone,
    });
    await salesforce().request(`sobjects/Account/${accounts[1]!.Id}`, { method: 'DELETE' });
    const before = (await ingestJobs()).length;
    const job = await runJob({ kind: 'push' });
    expect(job.status, job.error ?? '').toBe('partially_succeeded');
    expect(job.counts).toMatchObject({ created: 6, updated: 0, failed: 1 });
    const jobs = (await ingestJobs()).slice(before);
    expect(jobs).toMatchObject([
      {
        operation: 'upsert',
        object: 'Contact',
        externalIdFieldName: 'pryzm__Pryzm_ID__c',
        state: 'JobComplete',
      },
    ]);
    const pushed = await salesforce().soql<{
      Id: string;
      LastName: string;
      AccountId: string;
      pryzm__Pryzm_ID__c: string;
    }>(
      `SELECT Id, LastName, AccountId, pryzm__Pryzm_ID__c FROM Contact WHERE pryzm__Pryzm_ID__c IN ('${[...ids, refused].join("','")}')`,
    );
    expect(pushed).toHaveLength(6);
    expect(new Set(pushed.map((contact) => contact.AccountId))).toEqual(new Set([accounts[0]!.Id]));
    for (const contact of pushed) {
      const links = await ws.client.get<{ data: { salesforceId: string }[] }>(
        `/api/workspaces/${ws.id}/records/${contact.pryzm__Pryzm_ID__c}/links`,
      );
      expect(links.body.data.map((link) => link.salesforceId)).toEqual([contact.Id]);
    }
    const failed = await ws.client.get<{
      data: { recordId: string; error: { code: string; message: string } | null }[];
    }>(`/api/workspaces/${ws.id}/jobs/${job.id}/records?action=failed`);
    expect(failed.body.data).toEqual([
      expect.objectContaining({
        recordId: refused,
        error: {
          code: 'INVALID_CROSS_REFERENCE_KEY',
          message: 'invalid cross reference id (AccountId)',
        },
      }),
    ]);
    // Only the refused record is left to push: under the threshold, through sObject Collections.
    const again = await runJob({ kind: 'push' });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, failed: 1 });
    expect((await ingestJobs()).length).toBe(before + 1);
  });
});
