/**
 * The Pub/Sub API's protocol details seen from a bare gRPC client: statuses and `error-code`
 * trailers, replay presets, flow control, keepalives, retention and faults.
 */
import { readFileSync } from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeReplayId, encodeReplayId } from '../../src/events/replay-id.ts';
import type { FetchResponseMessage, PublishResponseMessage } from '../../src/pubsub/messages.ts';
import { pubSubProtoPath } from '../../src/pubsub/proto.ts';
import { accountDescribe, recordChangeEventDescribe } from './support/describes.ts';
import { rawClient, startHarness, waitFor, type Harness } from './support/pubsub-harness.ts';

const USER = '005000000000001AAA';
const TOPIC = '/event/Pryzm_Record_Change__e';

type GrpcError = grpc.ServiceError;

function unary<T>(
  client: ReturnType<typeof rawClient>,
  method: string,
  request: unknown,
): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method]!(request, (error: GrpcError | null, response: T) =>
      error ? reject(error) : resolve(response),
    );
  });
}

interface Stream {
  call: grpc.ClientDuplexStream<unknown, FetchResponseMessage>;
  responses: FetchResponseMessage[];
  events: () => FetchResponseMessage['events'];
  error: () => GrpcError | undefined;
}

function subscribe(client: ReturnType<typeof rawClient>, first: Record<string, unknown>): Stream {
  const call = client['Subscribe']!() as grpc.ClientDuplexStream<unknown, FetchResponseMessage>;
  const responses: FetchResponseMessage[] = [];
  let failure: GrpcError | undefined;
  call.on('data', (response: FetchResponseMessage) => responses.push(response));
  call.on('error', (error: GrpcError) => (failure = error));
  call.write({ topic_name: TOPIC, num_requested: 100, ...first });
  return {
    call,
    responses,
    events: () => responses.flatMap((r) => r.events),
    error: () => failure,
  };
}

describe('Pub/Sub API protocol', () => {
  let harness: Harness;
  let client: ReturnType<typeof rawClient>;
  const publish = (n: number) =>
    harness.bus.publish(harness.host.orgId, USER, 'Pryzm_Record_Change__e', {
      Record_Id__c: `a00${n}`,
      Object_Name__c: 'Account',
      Change_Type__c: 'UPDATE',
    });

  beforeAll(async () => {
    harness = await startHarness(
      [accountDescribe, recordChangeEventDescribe],
      { entities: ['Account'] },
      200,
    );
    client = rawClient(harness, harness.host.addSession(USER).accessToken);
  });

  afterAll(async () => {
    client.close();
    await harness.close();
  });

  it('refuses a bad token with UNAUTHENTICATED and the auth error code', async () => {
    const stranger = rawClient(harness, 'not-a-token');
    const error = await unary(stranger, 'GetTopic', { topic_name: TOPIC }).catch(
      (e: GrpcError) => e,
    );
    stranger.close();
    expect((error as GrpcError).code).toBe(16);
    expect((error as GrpcError).details).toMatch(
      /^An authentication exception occurred\. Provide valid authentication via metadata headers\. rpcId: [0-9a-f-]{36}$/,
    );
    expect((error as GrpcError).metadata.get('error-code')).toEqual([
      'sfdc.platform.eventbus.grpc.service.auth.error',
    ]);
  });

  it('ends a subscription with the auth error when its session expires', async () => {
    const session = harness.host.addSession(USER);
    const shortLived = rawClient(harness, session.accessToken);
    const stream = subscribe(shortLived, { replay_preset: 'LATEST' });
    await waitFor(() => stream.responses.length > 0);
    harness.host.sessions.delete(session.accessToken);
    await waitFor(() => stream.error() !== undefined);
    shortLived.close();
    expect(stream.error()!.code).toBe(16);
    expect(stream.error()!.metadata.get('error-code')).toEqual([
      'sfdc.platform.eventbus.grpc.service.auth.error',
    ]);
  });

  it('describes topics and schemas, and answers NOT_FOUND for an unknown topic', async () => {
    const topic = await unary<Record<string, unknown>>(client, 'GetTopic', { topic_name: TOPIC });
    expect(topic).toMatchObject({
      topic_name: TOPIC,
      can_publish: true,
      can_subscribe: true,
      tenant_guid: harness.host.orgId,
    });
    const schema = await unary<{ schema_json: string; schema_id: string }>(client, 'GetSchema', {
      schema_id: topic['schema_id'],
    });
    expect(JSON.parse(schema.schema_json)).toMatchObject({
      name: 'Pryzm_Record_Change__e',
      namespace: 'com.sforce.eventbus',
      fields: [
        { name: 'CreatedDate', type: 'long' },
        { name: 'CreatedById', type: 'string' },
        { name: 'Change_Type__c', type: ['null', 'string'], default: null },
        { name: 'Changed_At__c', type: ['null', 'long'], default: null },
        {},
        {},
        {},
        {},
        {},
      ],
    });
    expect(schema.schema_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const cdc = await unary<Record<string, unknown>>(client, 'GetTopic', {
      topic_name: '/data/AccountChangeEvent',
    });
    expect(cdc).toMatchObject({ can_publish: false, can_subscribe: true });
    const missing = await unary(client, 'GetTopic', { topic_name: '/data/LeadChangeEvent' }).catch(
      (e: GrpcError) => e,
    );
    expect((missing as GrpcError).code).toBe(5);
  });

  it('honours num_requested, reports pending counts and sends keepalives', async () => {
    const stream = subscribe(client, { replay_preset: 'LATEST', num_requested: 2 });
    await waitFor(() => stream.responses.length > 0); // the first keepalive: subscribed
    const start = decodeReplayId(stream.responses[0]!.latest_replay_id)!;
    for (const n of [1, 2, 3]) publish(n);
    await waitFor(() => stream.events().length === 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.events()).toHaveLength(2);
    const last = stream.responses.filter((r) => r.events.length > 0).at(-1)!;
    expect(last.pending_num_requested).toBe(0);
    expect(decodeReplayId(last.latest_replay_id)).toBe(
      decodeReplayId(last.events.at(-1)!.replay_id),
    );
    expect(decodeReplayId(stream.events()[0]!.replay_id)! > start).toBe(true);
    stream.call.write({ num_requested: 500 });
    await waitFor(() => stream.events().length === 3);
    const keepalive = stream.responses.at(-1)!;
    await waitFor(
      () => stream.responses.at(-1) !== keepalive && stream.responses.at(-1)!.events.length === 0,
    );
    expect(stream.responses.at(-1)!.pending_num_requested).toBe(99);
    // Every response, keepalives included, carries an 8-byte latest replay id.
    expect(stream.responses.every((r) => r.latest_replay_id.length === 8)).toBe(true);
    stream.call.end();
  });

  it('takes more than 100 requested events as 100 and never sends more in a response', async () => {
    const own = await startHarness([accountDescribe, recordChangeEventDescribe], {}, 200);
    const ownClient = rawClient(own, own.host.addSession(USER).accessToken);
    try {
      for (let n = 0; n < 250; n++) {
        own.bus.publish(own.host.orgId, USER, 'Pryzm_Record_Change__e', {
          Record_Id__c: `b${n}`,
          Object_Name__c: 'Account',
          Change_Type__c: 'CREATE',
        });
      }
      const stream = subscribe(ownClient, { replay_preset: 'EARLIEST', num_requested: 150 });
      await waitFor(() => stream.events().length === 100);
      await new Promise((r) => setTimeout(r, 300));
      expect(stream.events()).toHaveLength(100);
      stream.call.write({ num_requested: 100 });
      await waitFor(() => stream.events().length === 200);
      const batches = stream.responses.filter((r) => r.events.length > 0);
      expect(Math.max(...batches.map((r) => r.events.length))).toBeLessThanOrEqual(100);
      expect(stream.error()).toBeUndefined();
      stream.call.end();
    } finally {
      ownClient.close();
      await own.close();
    }
  });

  it('keeps events 72 hours by default (org clock), then refuses their replay ids', async () => {
    const own = await startHarness([accountDescribe, recordChangeEventDescribe]);
    const ownClient = rawClient(own, own.host.addSession(USER).accessToken);
    try {
      expect(own.bus.retentionMs(own.host.orgId)).toBe(72 * 3600_000);
      own.bus.publish(own.host.orgId, USER, 'Pryzm_Record_Change__e', {
        Record_Id__c: 'r1',
        Object_Name__c: 'Account',
        Change_Type__c: 'CREATE',
      });
      const stored = own.bus.log(own.host.orgId, TOPIC).latestReplayId();
      own.host.clockOffsetMs = 71 * 3600_000;
      const kept = subscribe(ownClient, { replay_preset: 'EARLIEST' });
      await waitFor(() => kept.events().length === 1);
      kept.call.end();

      own.host.clockOffsetMs = 73 * 3600_000;
      const replayed = subscribe(ownClient, {
        replay_preset: 'CUSTOM',
        replay_id: encodeReplayId(stored),
      });
      await waitFor(() => replayed.error() !== undefined);
      expect(replayed.error()!.code).toBe(3);
      expect(replayed.error()!.metadata.get('error-code')).toEqual([
        'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
      ]);
      const earliest = subscribe(ownClient, { replay_preset: 'EARLIEST' });
      await new Promise((r) => setTimeout(r, 200));
      expect(earliest.events()).toHaveLength(0);
      earliest.call.end();
    } finally {
      ownClient.close();
      await own.close();
    }
  });

  it("serves Salesforce's proto from the salesforce-pubsub-api-client package", () => {
    const path = pubSubProtoPath();
    expect(path).toMatch(/node_modules\/salesforce-pubsub-api-client\/pubsub_api\.proto$/);
    expect(readFileSync(path, 'utf8')).toMatch(/^\s*package eventbus\.v1;$/m);
  });

  it('refuses a corrupted or expired replay id as Salesforce does', async () => {
    const bad = subscribe(client, { replay_preset: 'CUSTOM', replay_id: Buffer.from('25243248') });
    const garbage = subscribe(client, {
      replay_preset: 'CUSTOM',
      replay_id: Buffer.from([1, 2, 3]),
    });
    await waitFor(() => bad.error() !== undefined && garbage.error() !== undefined);
    for (const stream of [bad, garbage]) {
      expect(stream.error()!.code).toBe(3);
      expect(stream.error()!.details).toMatch(
        /^The Replay ID validation failed\. Ensure that the Replay ID is valid\. rpcId: /,
      );
      expect(stream.error()!.metadata.get('error-code')).toEqual([
        'sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted',
      ]);
    }

    const first = publish(10);
    expect(first.success).toBe(true);
    const log = harness.bus.log(harness.host.orgId, TOPIC);
    const stored = log.latestReplayId();
    publish(11);
    harness.host.clockOffsetMs = 10 * 60_000;
    publish(12);
    expect(harness.bus.expireOlderThan(harness.host.orgId, 5 * 60_000)).toBeGreaterThan(0);
    harness.host.clockOffsetMs = 0;
    const expired = subscribe(client, {
      replay_preset: 'CUSTOM',
      replay_id: encodeReplayId(stored),
    });
    await waitFor(() => expired.error() !== undefined);
    expect(expired.error()!.code).toBe(3);

    const earliest = subscribe(client, { replay_preset: 'EARLIEST' });
    await waitFor(() => earliest.events().length >= 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(earliest.events()).toHaveLength(1);
    earliest.call.end();
  });

  it('refuses subscriptions for a while and stalls delivery on demand', async () => {
    harness.bus.faults.refuseSubscriptions(harness.host.orgId, 30);
    const refused = subscribe(client, { replay_preset: 'LATEST' });
    await waitFor(() => refused.error() !== undefined);
    expect(refused.error()!.code).toBe(14);
    expect(refused.error()!.metadata.get('error-code')).toEqual([
      'sfdc.platform.eventbus.grpc.service.unavailable',
    ]);
    harness.bus.faults.refuseSubscriptions(harness.host.orgId, 0);

    const stream = subscribe(client, { replay_preset: 'LATEST' });
    await waitFor(() => stream.responses.length > 0);
    harness.bus.faults.stall(harness.host.orgId);
    publish(20);
    await new Promise((r) => setTimeout(r, 150));
    expect(stream.events()).toHaveLength(0);
    harness.bus.faults.resume(harness.host.orgId);
    await waitFor(() => stream.events().length === 1);

    // A timed stall ends by itself.
    harness.bus.faults.stall(harness.host.orgId, 0.2);
    publish(21);
    await waitFor(() => stream.events().length === 2);
    stream.call.end();
  });

  it('ends a Subscribe call dropped before its first FetchRequest, which then subscribes nothing', async () => {
    const opening = client['Subscribe']!() as grpc.ClientDuplexStream<
      unknown,
      FetchResponseMessage
    >;
    let openingError: GrpcError | undefined;
    const openingResponses: FetchResponseMessage[] = [];
    opening.on('error', (error: GrpcError) => (openingError = error));
    opening.on('data', (response: FetchResponseMessage) => openingResponses.push(response));
    // Calls on one connection reach the server in order: once a later call is answered, the
    // server has taken the first one too.
    const later = subscribe(client, { replay_preset: 'LATEST' });
    await waitFor(() => later.responses.length > 0);
    harness.bus.faults.dropStreams(harness.host.orgId);
    await waitFor(() => openingError !== undefined && later.error() !== undefined);
    expect(openingError!.code).toBe(14);
    expect(later.error()!.code).toBe(14);
    opening.write({ topic_name: TOPIC, num_requested: 100, replay_preset: 'LATEST' });
    publish(30);
    await new Promise((r) => setTimeout(r, 100));
    expect(openingResponses).toHaveLength(0);
  });

  it('carries every captured entity on /data/ChangeEvents, including gap and overflow events', async () => {
    const stream = subscribe(client, {
      topic_name: '/data/ChangeEvents',
      replay_preset: 'EARLIEST',
    });
    expect(
      harness.bus.emitGap(harness.host.orgId, 'Account', ['001000000000001AAA'], 'GAP_DELETE'),
    ).toBe(true);
    expect(harness.bus.emitOverflow(harness.host.orgId, 'Account')).toBe(true);
    expect(harness.bus.emitOverflow(harness.host.orgId, 'Lead')).toBe(false);
    await waitFor(() => stream.events().length === 2);
    stream.call.end();
    const decoded = stream.events().map((e) => {
      const schema = harness.bus.schemaById(e.event.schema_id)!;
      return (
        schema.type.fromBuffer(e.event.payload) as { ChangeEventHeader: Record<string, unknown> }
      ).ChangeEventHeader;
    });
    expect(decoded).toMatchObject([
      { entityName: 'Account', changeType: 'GAP_DELETE', recordIds: ['001000000000001AAA'] },
      { entityName: 'Account', changeType: 'GAP_OVERFLOW', recordIds: [] },
    ]);
  });

  it('answers Publish with a result per event, making the id when the event has none', async () => {
    const topic = await unary<{ schema_id: string }>(client, 'GetTopic', { topic_name: TOPIC });
    const schema = harness.bus.schemaById(topic.schema_id)!;
    const payload = schema.type.toBuffer({ CreatedDate: Date.now(), CreatedById: USER });
    const response = await unary<PublishResponseMessage>(client, 'Publish', {
      topic_name: TOPIC,
      events: [
        { id: 'key-1', schema_id: topic.schema_id, payload },
        { id: '', schema_id: topic.schema_id, payload },
      ],
    });
    expect(response.schema_id).toBe(topic.schema_id);
    expect(response.results[0]!.correlation_key).toBe('key-1');
    expect(response.results[1]!.correlation_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.results.every((r) => r.error === null && r.replay_id.length === 8)).toBe(true);
    const denied = await unary(client, 'Publish', {
      topic_name: '/data/AccountChangeEvent',
      events: [{ id: 'x', schema_id: topic.schema_id, payload }],
    }).catch((e: GrpcError) => e);
    expect((denied as GrpcError).code).toBe(7);
  });

  it('publishes through PublishStream with per-event results and correlation keys', async () => {
    const topic = await unary<{ schema_id: string }>(client, 'GetTopic', { topic_name: TOPIC });
    const schema = harness.bus.schemaById(topic.schema_id)!;
    const payload = schema.type.toBuffer({
      CreatedDate: Date.now(),
      CreatedById: USER,
      Change_Type__c: 'CREATE',
      Record_Id__c: 'a0099',
      Object_Name__c: 'Account',
    });
    const call = client['PublishStream']!() as grpc.ClientDuplexStream<
      unknown,
      PublishResponseMessage
    >;
    const responses: PublishResponseMessage[] = [];
    call.on('data', (r: PublishResponseMessage) => responses.push(r));
    call.write({
      topic_name: TOPIC,
      events: [
        { id: 'k1', schema_id: topic.schema_id, payload },
        { id: 'k2', schema_id: 'wrong', payload },
      ],
    });
    call.write({ events: [{ id: 'k3', schema_id: topic.schema_id, payload }] });
    let streamError: GrpcError | undefined;
    call.on('error', (error: GrpcError) => (streamError = error));
    await waitFor(() => responses.length === 2);
    // Dropping the org's streams ends PublishStream too, with UNAVAILABLE.
    harness.bus.faults.dropStreams(harness.host.orgId);
    await waitFor(() => streamError !== undefined);
    expect(streamError!.code).toBe(14);
    const [firstBatch, secondBatch] = responses;
    expect(firstBatch!.results.map((r) => r.correlation_key)).toEqual(['k1', 'k2']);
    expect(firstBatch!.results[0]!.error).toBeNull();
    expect(firstBatch!.results[1]!.error).toMatchObject({ code: 'PUBLISH' });
    const ids = [firstBatch!.results[0]!, secondBatch!.results[0]!].map((r) =>
      decodeReplayId(r.replay_id)!,
    );
    expect(ids[1]! > ids[0]!).toBe(true);
  });
});
