import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { testConnectedApp } from '../support/localorg.ts';
import { connectWithDefaults, runJob as runSyncJob, salesforceApi } from '../support/sync.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

const { app, privateKeyPem } = testConnectedApp();

interface PushOutcome {
  jobId: string;
  action: string;
  salesforceId: string | null;
  apiCalls: number;
  fields: { attribute: string; status: string; code?: string }[];
}

describe.each(PROVIDERS)('pushing to Salesforce on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient };
  let connectionId: string;
  let sandbox: LocalOrg['orgs'][number];

  const soql = <T>(query: string) => salesforceApi(local, sandbox).soql<T>(query);
  const runJob = (body: Record<string, unknown>) => runSyncJob(ws, connectionId, body);

  async function createRecord(recordType: string, values: Record<string, unknown>) {
    const created = await ws.client.post<{ id: string; version: number }>(
      `/api/workspaces/${ws.id}/record-types/${recordType}/records`,
      { values },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  async function push(recordId: string) {
    return ws.client.post<PushOutcome>(`/api/workspaces/${ws.id}/records/${recordId}/push`, {
      connectionId,
    });
  }

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Push', {
      PRYZM_SYNC_PAGE_SIZE: '100',
      PRYZM_SYNC_POLL_MS: '20',
    });
    ({ local, ws } = stack);
    sandbox = local.orgs[1]!;
    local.seed(sandbox.id, { accounts: 10, contacts: 20, opportunities: 0 });
    ({ connectionId } = await connectWithDefaults(ws, sandbox, app, privateKeyPem));
    const pulled = await runJob({ kind: 'pull', mode: 'full' });
    expect(pulled.status, pulled.error ?? '').toBe('succeeded');
  });
  afterAll(() => stack?.close());

  it('should create a new record in Salesforce with one API call and link it', async () => {
    const organization = await createRecord('organization', {
      name: 'Pushed Widgets',
      website: 'https://pushed.example.com',
      employee_count: 12,
    });
    const pushed = await push(organization.id);
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    expect(pushed.body).toMatchObject({ action: 'created', apiCalls: 1 });
    const [account] = await soql<{ Id: string; Name: string; pryzm__Pryzm_ID__c: string }>(
      `SELECT Id, Name, NumberOfEmployees, pryzm__Pryzm_ID__c, pryzm__Pryzm_Sync_Status__c FROM Account WHERE pryzm__Pryzm_ID__c = '${organization.id}'`,
    );
    expect(account).toMatchObject({
      Id: pushed.body.salesforceId,
      Name: 'Pushed Widgets',
      pryzm__Pryzm_Sync_Status__c: 'Synced',
    });
    const links = await ws.client.get<{ data: { salesforceId: string }[] }>(
      `/api/workspaces/${ws.id}/records/${organization.id}/links`,
    );
    expect(links.body.data.map((link) => link.salesforceId)).toEqual([account!.Id]);
  });

  it('should send only what changed in Pryzm, and nothing when nothing changed', async () => {
    const [account] = await soql<{ Id: string; pryzm__Pryzm_ID__c: string }>(
      'SELECT Id, pryzm__Pryzm_ID__c FROM Account WHERE pryzm__Pryzm_ID__c != null LIMIT 1',
    );
    const recordId = account!.pryzm__Pryzm_ID__c;
    const unchanged = await push(recordId);
    expect(unchanged.body).toMatchObject({ action: 'unchanged', apiCalls: 0 });

    const patched = await ws.client.patch(`/api/workspaces/${ws.id}/records/${recordId}`, {
      values: { industry: 'Aerospace' },
    });
    expect(patched.status).toBe(200);
    const updated = await push(recordId);
    expect(updated.body).toMatchObject({ action: 'updated', apiCalls: 1 });
    expect(updated.body.fields.map((field) => field.attribute)).toEqual(['industry']);
    const [after] = await soql<{ Industry: string }>(
      `SELECT Industry FROM Account WHERE Id = '${account!.Id}'`,
    );
    expect(after!.Industry).toBe('Aerospace');
    expect((await push(recordId)).body).toMatchObject({ action: 'unchanged', apiCalls: 0 });
  });

  it('should skip a lookup whose parent is not linked and still push the rest', async () => {
    const organization = await createRecord('organization', { name: 'Not Yet In Salesforce' });
    const person = await createRecord('person', {
      full_name: 'Ada Lovelace',
      primary_email: 'ada@unlinked.example.com',
      organization: organization.id,
    });
    const pushed = await push(person.id);
    expect(pushed.body.action).toBe('created');
    expect(pushed.body.fields.find((field) => field.attribute === 'organization')).toMatchObject({
      status: 'skipped',
      code: 'parent_not_linked',
    });
    const [contact] = await soql<{ LastName: string; AccountId: string | null }>(
      `SELECT LastName, AccountId FROM Contact WHERE pryzm__Pryzm_ID__c = '${person.id}'`,
    );
    expect(contact).toMatchObject({ LastName: 'Lovelace', AccountId: null });
  });

  it('should push many records 800 per API call (one Composite call) in a push job', async () => {
    const before = (await soql<{ Id: string }>('SELECT Id FROM Account')).length;
    for (let i = 0; i < 450; i += 1) {
      await createRecord('organization', { name: `Batch Org ${i}` });
    }
    const job = await runJob({ kind: 'push' });
    expect(job.status, job.error ?? '').toBe('succeeded');
    // 450 new organizations and the one left unpushed by the previous test.
    expect(job.counts).toMatchObject({ created: 451, failed: 0 });
    // One Composite call for the organizations (four collections of up to 200 and the query of
    // their stamps; the person pushed above is already in Salesforce), and the four describes of
    // the job's preflight, which are the job's calls too.
    expect(job.apiCalls).toBe(1 + 4);
    expect((await soql<{ Id: string }>('SELECT Id FROM Account')).length).toBe(before + 451);
    const again = await runJob({ kind: 'push' });
    expect(again.counts).toMatchObject({ created: 0, updated: 0 });
    expect(again.apiCalls).toBe(4);
    // 450 records created through the API first: generous on a loaded machine.
  }, 180_000);

  it('should not push back what a pull brought in (no echo)', async () => {
    // Salesforce filled in what Pryzm did not send (the owner): the pull brings it in, and the
    // push that follows sends none of it back.
    const job = await runJob({ kind: 'sync' });
    expect(job.status, job.error ?? '').toBe('succeeded');
    const pushed = job.objects.filter((object) => object.phase === 'push');
    expect(pushed.map((object) => object.salesforceObject)).toEqual([
      'Account',
      'Contact',
      'Opportunity',
    ]);
    for (const object of pushed) {
      expect(object.counts).toMatchObject({ created: 0, updated: 0, failed: 0 });
    }
    const again = await runJob({ kind: 'sync' });
    expect(again.counts).toMatchObject({ created: 0, failed: 0 });
  });
});
