/**
 * Change Data Capture from each write path of a running local org, read through Salesforce's
 * Pub/Sub client over TLS: sObject Collections, composite, Bulk API 2.0 ingest (update and
 * delete) and undelete, one event per transaction and record set. Also: an unsupported Flow stops the start.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from 'jsforce';
import type PubSubApiClient from 'salesforce-pubsub-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultForceAppDir, startLocalOrg, type LocalOrg, type OrgInfo } from '../../src/index.ts';
import {
  collector,
  connectPubSub,
  sleep,
  type ReceivedEvent,
} from '../pubsub/support/local-org-clients.ts';
import { waitFor } from '../pubsub/support/pubsub-harness.ts';

interface Header {
  changeType: string;
  recordIds: string[];
  changedFields: string[];
  nulledFields: string[];
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitNumber: number;
  commitUser: string;
}
const header = (e: ReceivedEvent) => e.payload.ChangeEventHeader as unknown as Header;

describe('change events from every write path', () => {
  let local: LocalOrg;
  let org: OrgInfo;
  let admin: Connection;
  let adminId: string;
  let client: PubSubApiClient;
  const accounts = collector();
  const contacts = collector();
  const recordChanges = collector();

  /** Events received after `from` (a count), once `count` of them have arrived. */
  async function next(into: ReturnType<typeof collector>, from: number, count: number) {
    await waitFor(() => into.events.length >= from + count);
    await sleep(150);
    const fresh = into.sorted().slice(from);
    expect(fresh).toHaveLength(count);
    return fresh;
  }

  beforeAll(async () => {
    local = await startLocalOrg();
    org = local.orgs.find((o) => o.myDomain === 'pryzm-demo')!;
    adminId = org.users.find((u) => u.username.startsWith('admin@'))!.id;
    const issued = local.issueAccessToken(org.id);
    admin = new Connection({ ...issued, version: '62.0' });
    client = await connectPubSub(local, org.id, issued.accessToken);
    client.subscribeFromEarliestEvent('/data/AccountChangeEvent', accounts.callback);
    client.subscribeFromEarliestEvent('/data/ContactChangeEvent', contacts.callback);
    client.subscribeFromEarliestEvent('/event/Pryzm_Record_Change__e', recordChanges.callback);
  });

  afterAll(async () => {
    await local.close();
    client.close();
  });

  /** `PATCH composite/sobjects` (one API call, one transaction) through jsforce's update(). */
  async function updateCollection(records: { Id: string | undefined; [field: string]: unknown }[]) {
    const results = await admin.sobject('Account').update(
      records.map(({ Id, ...values }) => ({ ...values, Id: Id! })),
      { allOrNone: true },
    );
    expect(results.every((r) => r.success)).toBe(true);
  }

  it('sObject Collections: one transaction, identical changes merged into one event', async () => {
    const created = await admin
      .sobject('Account')
      .create([{ Name: 'Collection A' }, { Name: 'Collection B' }], { allOrNone: true });
    const [a, b] = created.map((r) => r.id!);
    const [createA, createB] = await next(accounts, 0, 2);
    expect(header(createA!)).toMatchObject({
      changeType: 'CREATE',
      recordIds: [a],
      sequenceNumber: 1,
      commitUser: adminId,
    });
    expect(header(createA!).changeOrigin).toMatch(/^com\/salesforce\/api\/rest\/62\.0/);
    expect(header(createB!)).toMatchObject({ changeType: 'CREATE', recordIds: [b] });
    expect(header(createB!).sequenceNumber).toBe(2);
    expect(header(createB!).transactionKey).toBe(header(createA!).transactionKey);
    expect(header(createB!).commitNumber).toBe(header(createA!).commitNumber);

    await updateCollection([
      { Id: a, Industry: 'Energy' },
      { Id: b, Industry: 'Energy' },
    ]);
    const [merged] = await next(accounts, 2, 1);
    expect(header(merged!)).toMatchObject({
      changeType: 'UPDATE',
      recordIds: [a, b],
      changedFields: ['Industry', 'LastModifiedDate'],
      nulledFields: [],
    });
    expect(header(merged!).commitNumber).toBeGreaterThan(header(createA!).commitNumber);
    expect(merged!.payload).toMatchObject({ Industry: 'Energy', Name: null });

    await updateCollection([
      { Id: a, Phone: '555-0001' },
      { Id: b, Phone: '555-0002' },
    ]);
    const distinct = await next(accounts, 3, 2);
    expect(distinct.map((e) => [header(e).recordIds, e.payload['Phone']])).toEqual([
      [[a], '555-0001'],
      [[b], '555-0002'],
    ]);
    expect(header(distinct[1]!).transactionKey).toBe(header(distinct[0]!).transactionKey);

    await admin.sobject('Account').destroy([a!, b!]);
    const [deleted] = await next(accounts, 5, 1);
    expect(header(deleted!)).toMatchObject({ changeType: 'DELETE', recordIds: [a, b] });
  });

  it('composite: a record created then updated in one transaction gives one CREATE event', async () => {
    const from = accounts.events.length;
    const response = await admin.request<{ compositeResponse: { httpStatusCode: number }[] }>({
      method: 'POST',
      url: '/services/data/v62.0/composite',
      body: JSON.stringify({
        allOrNone: true,
        compositeRequest: [
          {
            method: 'POST',
            url: '/services/data/v62.0/sobjects/Account',
            referenceId: 'account',
            body: { Name: 'Composite', Phone: '555-0400' },
          },
          {
            method: 'PATCH',
            url: '/services/data/v62.0/sobjects/Account/@{account.id}',
            referenceId: 'update',
            body: { Phone: '555-0401', Industry: 'Energy' },
          },
        ],
      }),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 204]);
    const [created] = await next(accounts, from, 1);
    expect(header(created!)).toMatchObject({ changeType: 'CREATE', changedFields: [] });
    expect(created!.payload).toMatchObject({
      Name: 'Composite',
      Phone: '555-0401',
      Industry: 'Energy',
    });
  });

  it('Bulk API 2.0 update and delete: one transaction per job, bulkapi origin', async () => {
    const inserted = await admin.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input: 'FirstName,LastName\nAda,Lovelace\nGrace,Hopper\n',
      pollInterval: 50,
      pollTimeout: 20_000,
    });
    const ids = inserted.successfulResults.map((r) => String(r['sf__Id']));
    await next(contacts, 0, 2);

    await admin.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'update',
      input: `Id,Title\n${ids[0]},Engineer\n${ids[1]},Engineer\n`,
      pollInterval: 50,
      pollTimeout: 20_000,
    });
    const [updated] = await next(contacts, 2, 1);
    expect(header(updated!)).toMatchObject({
      changeType: 'UPDATE',
      recordIds: ids,
      changedFields: ['Title', 'LastModifiedDate'],
    });
    expect(header(updated!).changeOrigin).toMatch(/^com\/salesforce\/api\/bulkapi\//);

    await admin.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'delete',
      input: `Id\n${ids[0]}\n${ids[1]}\n`,
      pollInterval: 50,
      pollTimeout: 20_000,
    });
    const [deleted] = await next(contacts, 3, 1);
    expect(header(deleted!)).toMatchObject({ changeType: 'DELETE', recordIds: ids });
  });

  it('undelete: every populated field, no changed fields, and no record-triggered Flow', async () => {
    const before = accounts.events.length;
    const id = (await admin.sobject('Account').create({ Name: 'Restored', Phone: '555-0300' })).id!;
    await admin.sobject('Account').destroy(id);
    await next(accounts, before, 2);
    const from = before + 2;
    await waitFor(
      () => recordChanges.events.filter((e) => e.payload['Record_Id__c'] === id).length === 2,
    );
    // No HTTP route of the local org undeletes (REST has none); the org's own DML does, as Apex would.
    local
      .org(org.id)
      .write(adminId, 'com/salesforce/api/soap/62.0;client=SfdcInternalAPI/', (tx, dml) =>
        dml.undelete(tx, id),
      );
    const [undeleted] = await next(accounts, from, 1);
    expect(header(undeleted!)).toMatchObject({
      changeType: 'UNDELETE',
      recordIds: [id],
      changedFields: [],
      nulledFields: [],
      commitUser: adminId,
      changeOrigin: 'com/salesforce/api/soap/62.0;client=SfdcInternalAPI/',
    });
    expect(undeleted!.payload).toMatchObject({ Name: 'Restored', Phone: '555-0300' });
    await sleep(200);
    expect(recordChanges.events.filter((e) => e.payload['Record_Id__c'] === id)).toHaveLength(2);
  });
});

describe('start with a Flow the local org cannot run', () => {
  it('fails loudly, naming the Flow and the element', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pryzm-force-app-'));
    try {
      cpSync(defaultForceAppDir()!, dir, { recursive: true });
      writeFileSync(
        join(dir, 'main', 'default', 'flows', 'Pryzm_Unsupported.flow-meta.xml'),
        `<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <apiVersion>63.0</apiVersion>
    <label>Unsupported</label>
    <loops>
        <name>Each_Contact</name>
        <collectionReference>Contacts</collectionReference>
        <iterationOrder>Asc</iterationOrder>
    </loops>
    <processType>AutoLaunchedFlow</processType>
    <start>
        <object>Account</object>
        <recordTriggerType>Create</recordTriggerType>
        <triggerType>RecordAfterSave</triggerType>
        <connector><targetReference>Each_Contact</targetReference></connector>
    </start>
    <status>Active</status>
</Flow>
`,
      );
      await expect(startLocalOrg({ forceAppDir: dir })).rejects.toThrow(
        'Flow Pryzm_Unsupported: element <loops> is not supported',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
