/**
 * End to end: jsforce writes to the local org over REST; Salesforce's own Pub/Sub client
 * receives the change events, the package Flow's record change events and REST-published
 * platform events over TLS.
 */
import { Connection } from 'jsforce';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../../src/index.ts';
import { connectPubSub } from './support/local-org-clients.ts';
import { waitFor } from './support/pubsub-harness.ts';

interface Received {
  replayId: number;
  payload: Record<string, unknown> & { ChangeEventHeader?: Record<string, unknown> };
}

type Header = { changedFields: string[] };

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('local org events end to end', () => {
  let local: LocalOrg;
  let orgId: string;
  let admin: Connection;
  let integration: Connection;
  let adminId: string;
  let integrationId: string;
  let subscriber: PubSubApiClient;
  const changes: Received[] = [];
  const recordChanges: Received[] = [];
  const syncResults: Received[] = [];
  const pushRequests: Received[] = [];
  const contactChanges: Received[] = [];
  const clients: PubSubApiClient[] = [];

  beforeAll(async () => {
    local = await startLocalOrg();
    const org = local.orgs.find((o) => o.myDomain === 'pryzm-demo')!;
    orgId = org.id;

    const adminToken = local.issueAccessToken('pryzm-demo');
    const integrationUser = org.users.find((u) => u.username.startsWith('integration@'))!;
    const integrationToken = local.issueAccessToken('pryzm-demo', integrationUser.username);
    adminId = org.users.find((u) => u.username.startsWith('admin@'))!.id;
    integrationId = integrationUser.id;
    admin = new Connection({ ...adminToken, version: '62.0' });
    integration = new Connection({ ...integrationToken, version: '62.0' });

    subscriber = new PubSubApiClient(
      {
        authType: 'user-supplied',
        accessToken: adminToken.accessToken,
        instanceUrl: adminToken.instanceUrl.replace(/^http:/, 'https:'),
        organizationId: org.id,
        pubSubEndpoint: local.pubSubEndpoint,
        rejectUnauthorizedSsl: false,
      },
      quiet,
    );
    await subscriber.connect();
    const collect = (into: Received[]) => (_info: unknown, type: string, data: unknown) => {
      if (type === 'event') into.push(data as Received);
    };
    subscriber.subscribeFromEarliestEvent('/data/AccountChangeEvent', collect(changes));
    subscriber.subscribeFromEarliestEvent('/event/Pryzm_Record_Change__e', collect(recordChanges));
    subscriber.subscribeFromEarliestEvent('/event/Pryzm_Sync_Result__e', collect(syncResults));
    subscriber.subscribeFromEarliestEvent('/event/Pryzm_Push_Request__e', collect(pushRequests));
    subscriber.subscribeFromEarliestEvent('/data/ContactChangeEvent', collect(contactChanges));
  });

  afterAll(async () => {
    // The client's close() leaves its streams open: the server ends them first.
    await local.close();
    subscriber.close();
    for (const client of clients) client.close();
  });

  it('sends change events with the exact header for Account writes through jsforce', async () => {
    const created = await admin
      .sobject('Account')
      .create({ Name: 'Acme', BillingCity: 'Paris', Phone: '555-0100' });
    expect(created.success).toBe(true);
    const id = created.id!;
    await admin
      .sobject('Account')
      .update({ Id: id, BillingCity: 'San Francisco', BillingState: 'CA', Phone: null });
    await integration.sobject('Account').update({ Id: id, Industry: 'Energy' });
    await admin.sobject('Account').destroy(id);
    await waitFor(() => changes.length === 4);

    // The client decodes each response asynchronously (schema fetches), so order by replay id.
    changes.sort((a, b) => a.replayId - b.replayId);
    const headers = changes.map((e) => e.payload.ChangeEventHeader!);
    // Exactly the header Salesforce sends, bitmap fields decoded by the client into names.
    const exact = (
      changeType: string,
      commitUser: string,
      changedFields: string[],
      nulledFields: string[] = [],
    ) => ({
      entityName: 'Account',
      recordIds: [id],
      changeType,
      changeOrigin: 'com/salesforce/api/rest/62.0',
      transactionKey: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ),
      sequenceNumber: 1,
      commitTimestamp: expect.any(Number),
      commitNumber: expect.any(Number),
      commitUser,
      nulledFields,
      diffFields: [],
      changedFields,
    });
    expect(headers).toEqual([
      exact('CREATE', adminId, []),
      exact(
        'UPDATE',
        adminId,
        ['Phone', 'LastModifiedDate', 'BillingAddress.City', 'BillingAddress.State'],
        ['Phone'],
      ),
      exact('UPDATE', integrationId, ['Industry', 'LastModifiedDate', 'LastModifiedById']),
      exact('DELETE', adminId, []),
    ]);
    // On the wire they are Salesforce's bitmap strings, which the client decoded above.
    const log = local.events.bus.log(orgId, '/data/AccountChangeEvent');
    const schema = local.events.bus.changeEventSchema(orgId, 'Account')!;
    const wire = log
      .readAfter(log.earliestPosition(), 10)
      .map((e) => schema.type.fromBuffer(e.payload) as { ChangeEventHeader: Header });
    expect(wire.map((e) => e.ChangeEventHeader.changedFields)).toEqual([
      [],
      [expect.stringMatching(/^0x[0-9A-F]+$/), expect.stringMatching(/^\d+-0x06$/)],
      [expect.stringMatching(/^0x[0-9A-F]+$/)],
      [],
    ]);
    // One transaction each: distinct keys, increasing commit numbers and timestamps.
    expect(new Set(headers.map((h) => h['transactionKey'])).size).toBe(4);
    const commitNumbers = headers.map((h) => Number(h['commitNumber']));
    expect([...commitNumbers].sort((a, b) => a - b)).toEqual(commitNumbers);
    expect(new Set(commitNumbers).size).toBe(4);
    const timestamps = headers.map((h) => Number(h['commitTimestamp']));
    expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);
    expect(changes[0]!.payload).toMatchObject({
      Name: 'Acme',
      Phone: '555-0100',
      OwnerId: adminId,
    });
    expect(changes[1]!.payload).toMatchObject({
      Name: null,
      Phone: null,
      BillingAddress: { City: 'San Francisco', State: 'CA', Street: null },
    });
    expect(changes[3]!.payload['Name']).toBeNull();
  });

  it("runs the package Flow on create and update, but not for the integration user's writes", async () => {
    await waitFor(() => recordChanges.length >= 3);
    await new Promise((r) => setTimeout(r, 200));
    recordChanges.sort((a, b) => a.replayId - b.replayId);
    expect(recordChanges.map((e) => e.payload['Change_Type__c'])).toEqual([
      'CREATE',
      'UPDATE',
      'DELETE',
    ]);
    expect(recordChanges.every((e) => e.payload['Origin_User_Id__c'] === adminId)).toBe(true);
    expect(recordChanges[1]!.payload['Changed_Fields__c']).toBe('Phone,BillingCity,BillingState');

    await integration.sobject('Account').create({ Name: 'From Pryzm', Pryzm_ID__c: 'pz-e2e-1' });
    await new Promise((r) => setTimeout(r, 300));
    expect(recordChanges).toHaveLength(3);
  });

  it('delivers platform events published over REST', async () => {
    const result = await integration.sobject('Pryzm_Sync_Result__e').create({
      Correlation_Id__c: 'c-1',
      Record_Id__c: '001000000000001AAA',
      Status__c: 'Success',
    });
    expect(result.success).toBe(true);
    await waitFor(() => syncResults.length === 1);
    expect(syncResults[0]!.payload).toMatchObject({
      CreatedById: integrationId,
      Correlation_Id__c: 'c-1',
      Status__c: 'Success',
    });
  });

  it('sends change events for Bulk API 2.0 ingest, one transaction for the job', async () => {
    const result = await admin.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input:
        'FirstName,LastName,Email\nAda,Lovelace,ada@example.com\nGrace,Hopper,grace@example.com\n',
      pollInterval: 50,
      pollTimeout: 10_000,
    });
    expect(result.successfulResults).toHaveLength(2);
    await waitFor(() => contactChanges.length === 2);
    contactChanges.sort((a, b) => a.replayId - b.replayId);
    const headers = contactChanges.map((e) => e.payload.ChangeEventHeader!);
    expect(headers.map((h) => h['changeType'])).toEqual(['CREATE', 'CREATE']);
    expect(headers[0]!['changeOrigin']).toMatch(/^com\/salesforce\/api\/bulkapi\//);
    expect(headers[0]!['transactionKey']).toBe(headers[1]!['transactionKey']);
    expect(headers.map((h) => h['sequenceNumber'])).toEqual([1, 2]);
    expect(contactChanges[0]!.payload['Name']).toMatchObject({
      FirstName: 'Ada',
      LastName: 'Lovelace',
    });
  });

  it('sends enriched events on the custom channel and gap events on demand', async () => {
    const created = await admin
      .sobject('Account')
      .create({ Name: 'Channel', Pryzm_ID__c: 'pz-chn-1' });
    await admin.sobject('Account').update({ Id: created.id!, Website: 'https://example.com' });
    const channel: Received[] = [];
    const reader = await connectPubSub(
      local,
      orgId,
      local.issueAccessToken('pryzm-demo').accessToken,
    );
    clients.push(reader);
    reader.subscribeFromEarliestEvent('/data/Pryzm_Changes__chn', (_info, type, data) => {
      if (type === 'event') channel.push(data as Received);
    });
    await waitFor(() =>
      channel.some(
        (e) =>
          e.payload.ChangeEventHeader!['changeType'] === 'UPDATE' && e.payload['Website'] !== null,
      ),
    );
    const update = channel.find((e) => e.payload['Website'] === 'https://example.com')!;
    expect(update.payload.ChangeEventHeader!['changedFields']).toEqual([
      'Website',
      'LastModifiedDate',
    ]);
    expect(update.payload['Pryzm_ID__c']).toBe('pz-chn-1');
    expect(update.payload['Name']).toBeNull();

    const instanceUrl = local.orgs.find((o) => o.id === orgId)!.instanceUrl;
    const gap = await fetch(`${instanceUrl}/_localorg/orgs/${orgId}/events/faults/gap`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ objectName: 'Account', recordIds: [created.id] }),
    });
    expect(gap.status).toBe(204);
    await waitFor(() =>
      changes.some((e) => e.payload.ChangeEventHeader!['changeType'] === 'GAP_UPDATE'),
    );
    const gapEvent = changes.find(
      (e) => e.payload.ChangeEventHeader!['changeType'] === 'GAP_UPDATE',
    )!;
    expect(gapEvent.payload.ChangeEventHeader).toMatchObject({
      recordIds: [created.id],
      sequenceNumber: 1,
      changedFields: [],
    });
  });

  it('runs the package Flow in the namespaced sandbox org with namespaced names', async () => {
    const sandbox = local.orgs.find((o) => o.namespace === 'pryzm')!;
    const conn = new Connection({ ...local.issueAccessToken(sandbox.id), version: '62.0' });
    const created = await conn
      .sobject('Account')
      .create({ Name: 'Namespaced', pryzm__Pryzm_ID__c: 'pz-ns-1' });
    const bus = local.events.bus;
    const log = bus.log(sandbox.id, '/event/pryzm__Pryzm_Record_Change__e');
    const schema = bus.platformEventSchema(sandbox.id, 'pryzm__Pryzm_Record_Change__e')!;
    const published = log
      .readAfter(log.earliestPosition(), 10)
      .map((e) => schema.type.fromBuffer(e.payload) as Record<string, unknown>);
    expect(published).toMatchObject([
      {
        pryzm__Record_Id__c: created.id,
        pryzm__Change_Type__c: 'CREATE',
        pryzm__Pryzm_Id__c: 'pz-ns-1',
      },
    ]);
    expect(local.events.flows.failures).toEqual([]);
    const channel = bus.log(sandbox.id, '/data/pryzm__Pryzm_Changes__chn');
    const changeSchema = bus.changeEventSchema(sandbox.id, 'Account')!;
    const [change] = channel
      .readAfter(channel.earliestPosition(), 10)
      .map((e) => changeSchema.type.fromBuffer(e.payload) as Record<string, unknown>);
    expect(change).toMatchObject({ Name: 'Namespaced', pryzm__Pryzm_ID__c: 'pz-ns-1' });
    expect(bus.topic(sandbox.id, '/data/Pryzm_Changes__chn')).toBeUndefined();

    const integrationUser = sandbox.users.find((u) => u.username.startsWith('integration@'))!;
    const asIntegration = new Connection({
      ...local.issueAccessToken(sandbox.id, integrationUser.username),
      version: '62.0',
    });
    await asIntegration
      .sobject('Account')
      .create({ Name: 'From Pryzm', pryzm__Pryzm_ID__c: 'pz-ns-2' });
    expect(log.readAfter(log.earliestPosition(), 10)).toHaveLength(1);
  });

  it("publishes the push request when a user clicks the package's Push button", async () => {
    const account = await admin.sobject('Account').create({ Name: 'To push' });
    const instanceUrl = local.orgs.find((o) => o.id === orgId)!.instanceUrl;
    const response = await fetch(`${instanceUrl}/_localorg/orgs/${orgId}/events/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: adminId, recordId: account.id }),
    });
    expect(response.status).toBe(201);
    const click = (await response.json()) as { correlationId: string; objectName: string };
    expect(click.objectName).toBe('Account');
    await waitFor(() => pushRequests.length === 1);
    expect(pushRequests[0]!.payload).toMatchObject({
      CreatedById: adminId,
      Record_Id__c: account.id,
      Object_Name__c: 'Account',
      Requested_By__c: adminId,
      Correlation_Id__c: click.correlationId,
    });
  });

  it('answers control requests it cannot act on with REST-style errors', async () => {
    const instanceUrl = local.orgs.find((o) => o.id === orgId)!.instanceUrl;
    const post = (path: string, body: unknown) =>
      fetch(`${instanceUrl}/_localorg/orgs/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const noUser = await post(`${orgId}/events/push`, { recordId: '001000000000001AAA' });
    expect(noUser.status).toBe(400);
    const badId = await post(`${orgId}/events/push`, { userId: adminId, recordId: 'zzz' });
    expect(badId.status).toBe(400);
    expect(await badId.json()).toMatchObject([{ errorCode: 'MALFORMED_ID' }]);
    const noCdc = await post(`${orgId}/events/faults/overflow`, { objectName: 'Event' });
    expect(noCdc.status).toBe(400);
    const noOrg = await post('00D000000000000AAA/events/faults/drop-streams', {});
    expect(noOrg.status).toBe(404);
  });

  it('drops streams on demand so the client sees UNAVAILABLE', async () => {
    const instanceUrl = local.orgs.find((o) => o.id === orgId)!.instanceUrl;
    const statuses: number[] = [];
    const watcher = await connectPubSub(
      local,
      orgId,
      local.issueAccessToken('pryzm-demo').accessToken,
    );
    watcher.subscribe('/event/Pryzm_Sync_Result__e', (_info, type, data) => {
      if (type === 'error') statuses.push((data as { code: number }).code);
    });
    await new Promise((r) => setTimeout(r, 200));
    const response = await fetch(
      `${instanceUrl}/_localorg/orgs/${orgId}/events/faults/drop-streams`,
      {
        method: 'POST',
      },
    );
    expect(response.status).toBe(204);
    await waitFor(() => statuses.length > 0);
    expect(statuses[0]).toBe(14);
    watcher.close();
  });
});
