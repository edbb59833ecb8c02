import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { testConnectedApp } from '../support/localorg.ts';
import { openServiceDatabase } from '../support/pull-state.ts';
import { connectWithDefaults, runJob as runSyncJob, salesforceApi } from '../support/sync.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

const { app, privateKeyPem } = testConnectedApp();

interface Conflict {
  id: string;
  status: string;
  recordId: string;
  fields: { attribute: string; base: unknown; pryzm: unknown; salesforce: unknown }[];
}

type Account = { Id: string; Name: string; pryzm__Pryzm_ID__c: string };

describe.each(PROVIDERS)('conflicts and deletes on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient };
  let connectionId: string;
  let mappingId: string;
  let sandbox: LocalOrg['orgs'][number];
  let accounts: Account[];

  const salesforce = <T>(path: string, init: RequestInit = {}) =>
    salesforceApi(local, sandbox).request<T>(path, init);
  const soql = <T>(query: string, all = false) => salesforceApi(local, sandbox).soql<T>(query, all);
  const runJob = (body: Record<string, unknown>) => runSyncJob(ws, connectionId, body);

  async function undelete(id: string) {
    const { accessToken } = local.issueAccessToken(sandbox.id);
    const response = await fetch(`${sandbox.instanceUrl}/services/Soap/u/63.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=UTF-8', soapaction: 'undelete' },
      body: `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">
  <soapenv:Header><urn:SessionHeader><urn:sessionId>${accessToken}</urn:sessionId></urn:SessionHeader></soapenv:Header>
  <soapenv:Body><urn:undelete><urn:ids>${id}</urn:ids></urn:undelete></soapenv:Body>
</soapenv:Envelope>`,
    });
    expect(await response.text()).toContain('<success>true</success>');
  }

  const pull = () => runJob({ kind: 'pull', mode: 'incremental' });

  async function setMapping(change: Record<string, unknown>) {
    const patched = await ws.client.patch(
      `/api/workspaces/${ws.id}/connections/${connectionId}/mappings/${mappingId}`,
      change,
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
  }

  const record = async (id: string) =>
    (
      await ws.client.get<{ values: Record<string, unknown>; deletedAt: string | null }>(
        `/api/workspaces/${ws.id}/records/${id}`,
      )
    ).body;

  async function changeBothSides(account: Account, inSalesforce: string, inPryzm: string) {
    await salesforce(`sobjects/Account/${account.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: inSalesforce }),
    });
    const patched = await ws.client.patch(
      `/api/workspaces/${ws.id}/records/${account.pryzm__Pryzm_ID__c}`,
      { values: { name: inPryzm } },
    );
    expect(patched.status).toBe(200);
  }

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Conflicts', {
      PRYZM_SYNC_POLL_MS: '20',
    });
    ({ local, ws } = stack);
    sandbox = local.orgs[1]!;
    local.seed(sandbox.id, { accounts: 12, contacts: 0, opportunities: 0 });
    const connected = await connectWithDefaults(ws, sandbox, app, privateKeyPem);
    connectionId = connected.connectionId;
    mappingId = connected.mappings.find((m) => m.salesforceObject === 'Account')!.id;
    expect((await runJob({ kind: 'pull', mode: 'full' })).status).toBe('succeeded');
    accounts = await soql<Account>('SELECT Id, Name, pryzm__Pryzm_ID__c FROM Account ORDER BY Id');
  });
  afterAll(() => stack?.close());

  it('should keep a manual conflict open, change neither side, and settle it field by field', async () => {
    await setMapping({ conflictStrategy: 'manual' });
    const account = accounts[0]!;
    await changeBothSides(account, 'Name From Salesforce', 'Name From Pryzm');
    const job = await pull();
    expect(job.counts.conflicts).toBe(1);
    const open = await ws.client.get<{ data: Conflict[] }>(
      `/api/workspaces/${ws.id}/conflicts?connectionId=${connectionId}`,
    );
    expect(open.body.data).toHaveLength(1);
    const conflict = open.body.data[0]!;
    expect(conflict.fields).toEqual([
      {
        attribute: 'name',
        base: account.Name,
        pryzm: 'Name From Pryzm',
        salesforce: 'Name From Salesforce',
      },
    ]);
    expect((await record(account.pryzm__Pryzm_ID__c)).values.name).toBe('Name From Pryzm');
    // Pulling again finds the same conflict: still one, not two.
    await pull();
    expect(
      (await ws.client.get<{ data: Conflict[] }>(`/api/workspaces/${ws.id}/conflicts`)).body.data,
    ).toHaveLength(1);

    const resolved = await ws.client.post<Conflict>(
      `/api/workspaces/${ws.id}/conflicts/${conflict.id}/resolve`,
      { choices: { name: 'pryzm' } },
    );
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    const [after] = await soql<Account & { SystemModstamp: string }>(
      `SELECT Name, SystemModstamp FROM Account WHERE Id = '${account.Id}'`,
    );
    expect(after!.Name).toBe('Name From Pryzm');
    // The link keeps the stamp of the value written, so a snapshot read before it cannot undo it.
    const database = await openServiceDatabase(stack!.databaseUrl);
    try {
      const link = await database.prisma.link.findFirstOrThrow({
        where: { connectionId, salesforceId: account.Id },
        select: { salesforceModstamp: true },
      });
      expect(link.salesforceModstamp?.getTime()).toBe(
        Date.parse(after!.SystemModstamp.replace('+0000', 'Z')),
      );
    } finally {
      await database.close();
    }
    const quiet = await pull();
    expect(quiet.counts).toMatchObject({ conflicts: 0, updated: 0 });
  });

  it('should let Salesforce win, or Pryzm win, or the most recent change win', async () => {
    await setMapping({ conflictStrategy: 'salesforce_wins' });
    await changeBothSides(accounts[1]!, 'Salesforce Wins', 'Pryzm Loses');
    expect((await pull()).counts).toMatchObject({ conflicts: 0, updated: 1 });
    expect((await record(accounts[1]!.pryzm__Pryzm_ID__c)).values.name).toBe('Salesforce Wins');

    await setMapping({ conflictStrategy: 'pryzm_wins' });
    await changeBothSides(accounts[2]!, 'Salesforce Loses', 'Pryzm Wins');
    const sync = await runJob({ kind: 'sync' });
    expect(sync.status, sync.error ?? '').toBe('succeeded');
    expect((await record(accounts[2]!.pryzm__Pryzm_ID__c)).values.name).toBe('Pryzm Wins');
    const [pushed] = await soql<Account>(
      `SELECT Name FROM Account WHERE Id = '${accounts[2]!.Id}'`,
    );
    expect(pushed!.Name).toBe('Pryzm Wins');

    await setMapping({ conflictStrategy: 'most_recent' });
    // Salesforce changes first, Pryzm a moment later: Pryzm's change is the most recent.
    await salesforce(`sobjects/Account/${accounts[3]!.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Older Salesforce Change' }),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await ws.client.patch(`/api/workspaces/${ws.id}/records/${accounts[3]!.pryzm__Pryzm_ID__c}`, {
      values: { name: 'Newer Pryzm Change' },
    });
    expect((await pull()).counts.conflicts).toBe(0);
    expect((await record(accounts[3]!.pryzm__Pryzm_ID__c)).values.name).toBe('Newer Pryzm Change');
  });

  it('should soft-delete the Pryzm record of a Salesforce delete and restore it on undelete', async () => {
    const account = accounts[4]!;
    await salesforce(`sobjects/Account/${account.Id}`, { method: 'DELETE' });
    const deleted = await pull();
    expect(deleted.counts.deleted).toBe(1);
    expect((await record(account.pryzm__Pryzm_ID__c)).deletedAt).not.toBeNull();
    expect((await pull()).counts.deleted).toBe(0);

    await undelete(account.Id);
    const restored = await pull();
    expect(restored.counts.deleted).toBe(0);
    expect((await record(account.pryzm__Pryzm_ID__c)).deletedAt).toBeNull();
  });

  it('should keep the Pryzm record when Salesforce deletes are not propagated', async () => {
    await setMapping({ deletes: { fromSalesforce: 'ignore', fromPryzm: 'ignore' } });
    const account = accounts[5]!;
    await salesforce(`sobjects/Account/${account.Id}`, { method: 'DELETE' });
    const job = await pull();
    expect(job.counts).toMatchObject({ deleted: 0, skipped: 1 });
    expect((await record(account.pryzm__Pryzm_ID__c)).deletedAt).toBeNull();
  });

  it('should delete the Salesforce record of a Pryzm delete only when the mapping propagates it', async () => {
    const kept = accounts[6]!;
    await ws.client.delete(`/api/workspaces/${ws.id}/records/${kept.pryzm__Pryzm_ID__c}`);
    expect((await runJob({ kind: 'push' })).counts.deleted).toBe(0);
    expect(await soql<Account>(`SELECT Id FROM Account WHERE Id = '${kept.Id}'`)).toHaveLength(1);

    await setMapping({ deletes: { fromSalesforce: 'propagate', fromPryzm: 'propagate' } });
    const job = await runJob({ kind: 'push' });
    expect(job.counts.deleted).toBe(1);
    expect(await soql<Account>(`SELECT Id FROM Account WHERE Id = '${kept.Id}'`)).toHaveLength(0);
    const bin = await soql<Account>(
      `SELECT Id FROM Account WHERE Id = '${kept.Id}' AND IsDeleted = true`,
      true,
    );
    expect(bin).toHaveLength(1);
    expect((await runJob({ kind: 'push' })).counts.deleted).toBe(0);
  });

  it('should see through getDeleted a delete the recycle bin no longer holds (hardDelete)', async () => {
    const account = accounts[7]!;
    // Bulk API 2.0 hardDelete: the record skips the recycle bin, so queryAll never sees it.
    const job = await salesforce<{ id: string }>('jobs/ingest', {
      method: 'POST',
      body: JSON.stringify({ object: 'Account', operation: 'hardDelete', lineEnding: 'LF' }),
    });
    const { accessToken } = local.issueAccessToken(sandbox.id);
    const upload = await fetch(
      `${sandbox.instanceUrl}/services/data/v63.0/jobs/ingest/${job.id}/batches`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'text/csv' },
        body: `Id\n${account.Id}\n`,
      },
    );
    expect(upload.status).toBe(201);
    await salesforce(`jobs/ingest/${job.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'UploadComplete' }),
    });
    for (let state = ''; state !== 'JobComplete';) {
      state = (await salesforce<{ state: string }>(`jobs/ingest/${job.id}`)).state;
      expect(['UploadComplete', 'InProgress', 'JobComplete']).toContain(state);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await soql<Account>(`SELECT Id FROM Account WHERE Id = '${account.Id}'`, true)).toEqual(
      [],
    );
    const pulled = await pull();
    expect(pulled.counts.deleted).toBe(1);
    expect((await record(account.pryzm__Pryzm_ID__c)).deletedAt).not.toBeNull();
    expect((await pull()).counts.deleted).toBe(0);
  });
});
