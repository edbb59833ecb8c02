/**
 * Salesforce's own Node Pub/Sub client, unmodified, against the local Pub/Sub API over TLS:
 * change events and platform events, resume after a dropped stream, publish to a second
 * subscriber.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type PubSubApiClient from 'salesforce-pubsub-api-client';
import type { StoredRecord } from '../../src/core/contracts.ts';
import { accountDescribe, recordChangeEventDescribe } from './support/describes.ts';
import { connectClient, startHarness, waitFor, type Harness } from './support/pubsub-harness.ts';

interface ReceivedEvent {
  id: string;
  replayId: number;
  payload: Record<string, unknown> & {
    ChangeEventHeader?: Record<string, unknown>;
  };
}

const USER = '005000000000001AAA';

function collector() {
  const events: ReceivedEvent[] = [];
  const errors: { code?: number; details?: string }[] = [];
  const callback = (_info: unknown, type: string, data: unknown) => {
    if (type === 'event') events.push(data as ReceivedEvent);
    if (type === 'error') errors.push(data as { code?: number });
  };
  return { events, errors, callback };
}

function account(id: string, fields: Record<string, string | number | null>): StoredRecord {
  return {
    Id: id,
    IsDeleted: false,
    Name: 'Acme',
    OwnerId: USER,
    CreatedDate: '2026-11-23T10:00:00.000Z',
    CreatedById: USER,
    LastModifiedDate: '2026-11-23T10:00:00.000Z',
    LastModifiedById: USER,
    ...fields,
  };
}

describe('Pub/Sub API with salesforce-pubsub-api-client', () => {
  let harness: Harness;
  let token: string;
  const clients: PubSubApiClient[] = [];

  beforeAll(async () => {
    harness = await startHarness([accountDescribe, recordChangeEventDescribe], {
      entities: ['Account'],
    });
    token = harness.host.addSession(USER).accessToken;
  });

  afterAll(async () => {
    await harness.close();
    for (const client of clients) client.close();
  });

  async function client(): Promise<PubSubApiClient> {
    const connected = await connectClient(harness, token);
    clients.push(connected);
    return connected;
  }

  it('delivers change events from writes and decodes their bitmap fields', async () => {
    const subscriber = await client();
    const received = collector();
    subscriber.subscribeFromEarliestEvent('/data/AccountChangeEvent', received.callback);
    const before = account('001000000000001AAA', { BillingCity: 'Paris' });
    harness.host.commit(USER, [
      {
        objectName: 'Account',
        changeType: 'CREATE',
        recordId: before.Id,
        changedFields: ['Name', 'BillingCity', 'OwnerId'],
        nulledFields: [],
        after: before,
        before: undefined,
      },
    ]);
    const after = { ...before, BillingCity: 'San Francisco', BillingState: 'CA', Phone: null };
    harness.host.commit(USER, [
      {
        objectName: 'Account',
        changeType: 'UPDATE',
        recordId: before.Id,
        changedFields: [
          'BillingCity',
          'BillingState',
          'Phone',
          'LastModifiedDate',
          'SystemModstamp',
        ],
        nulledFields: ['Phone'],
        after,
        before,
      },
    ]);
    await waitFor(() => received.events.length === 2);
    const [created, updated] = received.events;
    expect(created!.payload.ChangeEventHeader).toMatchObject({
      entityName: 'Account',
      recordIds: ['001000000000001AAA'],
      changeType: 'CREATE',
      changedFields: [],
      commitUser: USER,
    });
    expect(created!.payload.Name).toBe('Acme');
    expect(created!.payload.BillingAddress).toMatchObject({ City: 'Paris', State: null });
    expect(updated!.payload.ChangeEventHeader).toMatchObject({
      changeType: 'UPDATE',
      changedFields: ['Phone', 'LastModifiedDate', 'BillingAddress.City', 'BillingAddress.State'],
      nulledFields: ['Phone'],
      diffFields: [],
      changeOrigin: 'com/salesforce/api/rest/63.0',
      sequenceNumber: 1,
    });
    expect(updated!.payload.Name).toBeNull();
    expect(updated!.payload.BillingAddress).toMatchObject({
      City: 'San Francisco',
      State: 'CA',
      Street: null,
    });
    expect(updated!.replayId).toBeGreaterThan(created!.replayId);
  });

  it('resumes from a stored replay id after the server drops the stream', async () => {
    const first = await client();
    const received = collector();
    first.subscribeFromEarliestEvent('/event/Pryzm_Record_Change__e', received.callback);
    const publish = (n: number) =>
      harness.bus.publish(harness.host.orgId, USER, 'Pryzm_Record_Change__e', {
        Record_Id__c: `001000000000${String(n).padStart(3, '0')}AAA`,
        Object_Name__c: 'Account',
        Change_Type__c: 'UPDATE',
      });
    for (const n of [1, 2, 3]) expect(publish(n).success).toBe(true);
    await waitFor(() => received.events.length === 3);
    const stored = received.events[2]!.replayId;

    harness.bus.faults.dropStreams(harness.host.orgId);
    await waitFor(() => received.errors.length > 0);
    expect(received.errors[0]!.code).toBe(14);

    const results = [4, 5, 6].map(publish);
    const second = await client();
    const resumed = collector();
    second.subscribeFromReplayId('/event/Pryzm_Record_Change__e', resumed.callback, null, stored);
    await waitFor(() => resumed.events.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(resumed.events.map((e) => e.payload.Record_Id__c)).toEqual([
      '001000000000004AAA',
      '001000000000005AAA',
      '001000000000006AAA',
    ]);
    expect(resumed.events[0]!.payload).toMatchObject({
      CreatedById: USER,
      Change_Type__c: 'UPDATE',
    });
    // The REST save result's id and EventUuid; subscribers get the EventUuid as the event id.
    const saved = results[0]!;
    expect(saved.success && saved.id).toMatch(/^e00xx\d{10}AAA$/);
    expect(saved.success && saved.eventUuid).toBe(resumed.events[0]!.id);
  });

  it('publishes an event that a second subscriber receives', async () => {
    const subscriber = await client();
    const received = collector();
    subscriber.subscribeFromEarliestEvent('/event/Pryzm_Record_Change__e', received.callback);
    await waitFor(() => received.events.length >= 6);
    const publisher = await client();
    const result = await publisher.publish(
      '/event/Pryzm_Record_Change__e',
      // avro-js, which the client uses, takes union values wrapped in their branch name.
      {
        CreatedDate: Date.now(),
        CreatedById: USER,
        Record_Id__c: { string: '001000000000099AAA' },
        Object_Name__c: { string: 'Account' },
        Change_Type__c: { string: 'CREATE' },
        Changed_At__c: null,
        Changed_Fields__c: null,
        Origin_User_Id__c: null,
        Pryzm_Id__c: { string: 'pz-99' },
      },
      'correlation-99',
    );
    expect(result.correlationKey).toBe('correlation-99');
    await waitFor(() =>
      received.events.some((e) => e.payload.Record_Id__c === '001000000000099AAA'),
    );
    const event = received.events.find((e) => e.payload.Record_Id__c === '001000000000099AAA')!;
    expect(event.replayId).toBe(result.replayId);
    expect(event.payload.Pryzm_Id__c).toBe('pz-99');
  });
});
