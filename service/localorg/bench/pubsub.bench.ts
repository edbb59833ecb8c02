/**
 * Benchmark of the local org's Pub/Sub API over TLS on 127.0.0.1: events per second delivered
 * through `Subscribe` (a bare gRPC subscriber keeping 100 events requested ahead, and Salesforce's
 * Node client decoding every event), then publish-to-delivery latency of live events: published
 * in the org (as REST and Flows publish) and through the Pub/Sub API's `Publish` call. Each
 * figure is printed next to a baseline measured in the same run: Avro encoding alone for
 * publishing, the server's own subscription delivering in-process (no gRPC) for the wire, the
 * bare gRPC client for salesforce-pubsub-api-client, in-org publishing for `Publish`.
 * Run: npx tsx service/localorg/bench/pubsub.bench.ts [events]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import type {
  EventBusHost,
  FieldDescribe,
  SObjectDescribe,
  Session,
} from '../src/core/contracts.ts';
import { ensureCertificates } from '../src/certs/certificates.ts';
import { EventBus } from '../src/events/event-bus.ts';
import type { FetchRequestMessage, FetchResponseMessage } from '../src/pubsub/messages.ts';
import { pubSubProtoPath } from '../src/pubsub/proto.ts';
import { startPubSubServer } from '../src/pubsub/server.ts';
import { Subscription } from '../src/pubsub/subscription.ts';
import { printComparisons, type Comparison } from './compare.ts';

const EVENTS = Number(process.argv[2] ?? 50_000);
const LATENCY_EVENTS = 2_000;
const RPC_LATENCY_EVENTS = 1_000;
const TARGET_PER_SECOND = 5_000;
const ORG = '00D000000000001AAA';
const USER = '005000000000001AAA';
const TOKEN = `${ORG}!bench`;
const TOPIC = '/event/Bench_Event__e';

function field(name: string, type: FieldDescribe['type'], custom: boolean): FieldDescribe {
  return {
    name,
    label: name,
    type,
    length: 255,
    precision: 0,
    scale: 0,
    digits: 0,
    byteLength: 0,
    nillable: true,
    createable: custom,
    updateable: custom,
    unique: false,
    externalId: false,
    idLookup: false,
    caseSensitive: false,
    calculated: false,
    autoNumber: false,
    defaultedOnCreate: false,
    filterable: true,
    sortable: true,
    groupable: true,
    custom,
    relationshipName: null,
    referenceTo: [],
    picklistValues: [],
    restrictedPicklist: false,
    soapType: 'xsd:string',
  };
}

const eventDescribe: SObjectDescribe = {
  name: 'Bench_Event__e',
  label: 'Bench Event',
  labelPlural: 'Bench Events',
  keyPrefix: 'e00',
  custom: true,
  createable: true,
  updateable: false,
  deletable: false,
  undeletable: false,
  queryable: false,
  retrieveable: false,
  searchable: false,
  replicateable: false,
  triggerable: true,
  fields: [
    field('CreatedDate', 'datetime', false),
    field('CreatedById', 'reference', false),
    field('Record_Id__c', 'string', true),
    field('Object_Name__c', 'string', true),
    field('Sent_At__c', 'double', true),
    field('Payload__c', 'textarea', true),
  ],
  childRelationships: [],
  urls: {},
};

const session: Session = {
  orgId: ORG,
  userId: USER,
  accessToken: TOKEN,
  instanceUrl: 'https://127.0.0.1',
};
const host: EventBusHost = {
  authenticate: (token) => (token === TOKEN ? session : undefined),
  orgIds: () => [ORG],
  describe: (_org, name) => (name === eventDescribe.name ? eventDescribe : undefined),
  onCommit: () => () => {},
  userHasCustomPermission: () => false,
  now: () => Date.now(),
};

const eventFields = (n: number, sentAt: number) => ({
  Record_Id__c: `001${String(n).padStart(15, '0')}`,
  Object_Name__c: 'Account',
  Sent_At__c: sentAt,
  Payload__c: 'x'.repeat(200),
});

function publishAt(bus: EventBus, sentAt: number): void {
  const result = bus.publish(ORG, USER, eventDescribe.name, eventFields(0, sentAt));
  if (!result.success) throw new Error(JSON.stringify(result.errors));
}

function publish(bus: EventBus, n: number): void {
  const result = bus.publish(
    ORG,
    USER,
    eventDescribe.name,
    eventFields(n, performance.timeOrigin + performance.now()),
  );
  if (!result.success) throw new Error(JSON.stringify(result.errors));
}

function rawSubscriber(endpoint: string, cert: string) {
  const definition = protoLoader.loadSync(pubSubProtoPath(), { keepCase: true });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    eventbus: { v1: { PubSub: grpc.ServiceClientConstructor } };
  };
  const credentials = grpc.credentials.combineChannelCredentials(
    grpc.credentials.createSsl(Buffer.from(cert), null, null, {
      checkServerIdentity: () => undefined,
    }),
    grpc.credentials.createFromMetadataGenerator((_params, callback) => {
      const metadata = new grpc.Metadata();
      metadata.add('accesstoken', TOKEN);
      metadata.add('tenantid', ORG);
      callback(null, metadata);
    }),
  );
  return new loaded.eventbus.v1.PubSub(endpoint, credentials) as unknown as grpc.Client & {
    Subscribe(): grpc.ClientDuplexStream<unknown, FetchResponseMessage>;
    Publish(request: unknown, callback: (error: grpc.ServiceError | null) => void): void;
  };
}

/** Receives `count` events from EARLIEST, always keeping 100 requested ahead. */
function drain(client: ReturnType<typeof rawSubscriber>, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const call = client.Subscribe();
    let received = 0;
    call.on('data', (response: FetchResponseMessage) => {
      received += response.events.length;
      if (response.events.length > 0) call.write({ num_requested: response.events.length });
      if (received >= count) {
        call.cancel();
        resolve(performance.now() - started);
      }
    });
    call.on('error', (error: grpc.ServiceError) => {
      if (error.code !== grpc.status.CANCELLED) reject(error);
    });
    call.write({ topic_name: TOPIC, replay_preset: 'EARLIEST', num_requested: 100 });
    call.write({ num_requested: 100 });
  });
}

/**
 * The server's own `Subscription` (replay start, flow control, batches of 100) over the same log,
 * its responses handed to `receive` in-process instead of being encoded and sent over gRPC. The
 * receiver asks for as many events as it got, as the gRPC subscribers do, on the next microtask.
 * Resolves once `receive` returns true.
 */
function inProcessSubscribe(
  bus: EventBus,
  preset: 'EARLIEST' | 'LATEST',
  receive: (response: FetchResponseMessage) => boolean,
): Promise<void> {
  return new Promise((resolve) => {
    // The calls back run on microtasks, once `subscription` below is constructed.
    const call = {
      write(response: FetchResponseMessage) {
        if (receive(response)) {
          queueMicrotask(() => subscription.close());
          resolve();
          return true;
        }
        const n = response.events.length;
        if (n > 0) queueMicrotask(() => subscription.onRequest(request(n)));
        return true;
      },
      emit: () => true,
    };
    const request = (num_requested: number): FetchRequestMessage => ({
      topic_name: TOPIC,
      replay_preset: preset,
      replay_id: Buffer.alloc(0),
      num_requested,
      auth_refresh: '',
    });
    const subscription = new Subscription(
      ORG,
      bus.topic(ORG, TOPIC)!,
      bus.log(ORG, TOPIC),
      bus,
      call as unknown as ConstructorParameters<typeof Subscription>[4],
      request(100),
      60_000,
    );
  });
}

/** Sorted publish-to-delivery latencies (ms) of `count` events published every millisecond. */
function liveLatencies(
  bus: EventBus,
  count: number,
  subscribe: (receive: (response: FetchResponseMessage) => boolean) => Promise<void>,
): Promise<number[]> {
  const schema = bus.platformEventSchema(ORG, eventDescribe.name)!;
  const latencies: number[] = [];
  let started = false;
  const done = subscribe((response) => {
    const now = performance.timeOrigin + performance.now();
    if (!started) {
      started = true;
      let n = 0;
      const timer = setInterval(() => {
        publish(bus, n);
        if (++n === count) clearInterval(timer);
      }, 1);
    }
    for (const event of response.events) {
      const sentAt = (schema.type.fromBuffer(event.event.payload) as { Sent_At__c: number })
        .Sent_At__c;
      if (sentAt > 0) latencies.push(now - sentAt);
    }
    return latencies.length >= count;
  });
  // First events (not measured) make the subscription answer, which starts the live run.
  const opener = setInterval(() => started || publishAt(bus, -1), 50);
  return done.then(() => {
    clearInterval(opener);
    return latencies.sort((a, b) => a - b);
  });
}

/** A LATEST subscription over gRPC, keeping 100 requested; resolves once `receive` returns true. */
function rawSubscribe(
  client: ReturnType<typeof rawSubscriber>,
  receive: (response: FetchResponseMessage) => boolean,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const call = client.Subscribe();
    call.on('data', (response: FetchResponseMessage) => {
      if (receive(response)) {
        call.cancel();
        resolve();
        return;
      }
      if (response.events.length > 0) call.write({ num_requested: response.events.length });
    });
    call.on('error', (error: grpc.ServiceError) => {
      if (error.code !== grpc.status.CANCELLED) reject(error);
    });
    call.write({ topic_name: TOPIC, replay_preset: 'LATEST', num_requested: 100 });
  });
}

/** Publishes events one `Publish` call at a time while subscribed; latencies sorted, in ms. */
async function publishRpcLatencies(
  client: ReturnType<typeof rawSubscriber>,
  bus: EventBus,
): Promise<number[]> {
  const schema = bus.platformEventSchema(ORG, eventDescribe.name)!;
  const latencies: number[] = [];
  const call = client.Subscribe();
  let subscribed!: () => void;
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const done = new Promise<void>((resolve, reject) => {
    call.on('data', (response: FetchResponseMessage) => {
      const now = performance.timeOrigin + performance.now();
      subscribed();
      for (const event of response.events) {
        const sentAt = (schema.type.fromBuffer(event.event.payload) as { Sent_At__c: number })
          .Sent_At__c;
        if (sentAt > 0) latencies.push(now - sentAt);
      }
      if (response.events.length > 0) call.write({ num_requested: response.events.length });
      if (latencies.length >= RPC_LATENCY_EVENTS) {
        call.cancel();
        resolve();
      }
    });
    call.on('error', (error: grpc.ServiceError) => {
      if (error.code !== grpc.status.CANCELLED) reject(error);
    });
  });
  call.write({ topic_name: TOPIC, replay_preset: 'LATEST', num_requested: 100 });
  const publishOne = (sentAt: number) =>
    new Promise<void>((resolve, reject) => {
      const payload = schema.type.toBuffer({
        CreatedDate: Date.now(),
        CreatedById: USER,
        Record_Id__c: '001000000000000AAA',
        Object_Name__c: 'Account',
        Sent_At__c: sentAt,
        Payload__c: 'x'.repeat(200),
      });
      client.Publish(
        { topic_name: TOPIC, events: [{ id: randomUUID(), schema_id: schema.id, payload }] },
        (error: grpc.ServiceError | null) => (error ? reject(error) : resolve()),
      );
    });
  // A first event (not measured) makes the subscription answer.
  while (!(await Promise.race([ready.then(() => true), sleep(50).then(() => false)]))) {
    await publishOne(-1);
  }
  for (let n = 0; n < RPC_LATENCY_EVENTS; n++) {
    await publishOne(performance.timeOrigin + performance.now());
  }
  await done;
  return latencies.sort((a, b) => a - b);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function main(): Promise<void> {
  const certificateDir = mkdtempSync(join(tmpdir(), 'pryzm-pubsub-bench-'));
  const tls = ensureCertificates(certificateDir);
  const bus = new EventBus(host);
  const server = await startPubSubServer({ host, bus, tls });
  const rows: Comparison[] = [];
  const rate = (count: number, ms: number) => count / (ms / 1000);

  // Publishing and its baseline below each run a thousand events first to compile their paths.
  const schema = bus.platformEventSchema(ORG, eventDescribe.name)!;
  const encode = (n: number) =>
    schema.type.toBuffer({
      CreatedDate: Date.now(),
      CreatedById: USER,
      ...eventFields(n, performance.timeOrigin + performance.now()),
    });
  for (let n = 0; n < 1000; n++) publish(bus, n);
  let started = performance.now();
  for (let n = 0; n < EVENTS; n++) publish(bus, n);
  const publishMs = performance.now() - started;
  console.log(
    `publish (validate + Avro encode + append): ${EVENTS} events in ${publishMs.toFixed(0)} ms, ${Math.round(rate(EVENTS, publishMs))}/s`,
  );
  // Publishing's floor: the Avro encoding of the same events, which any publisher has to pay.
  const encoded: Buffer[] = [];
  for (let n = 0; n < 1000; n++) encoded.push(encode(n));
  encoded.length = 0;
  started = performance.now();
  for (let n = 0; n < EVENTS; n++) encoded.push(encode(n));
  const encodeMs = performance.now() - started;
  encoded.length = 0;
  rows.push({
    name: `publish in the org, ${EVENTS.toLocaleString('en-US')} events`,
    figure: rate(EVENTS, publishMs),
    baseline: rate(EVENTS, encodeMs),
    unit: 'events/s',
    baselineIs: 'Avro encoding of the same events alone',
  });

  // The wire's floor: the same subscription code delivering the same events in-process.
  let inProcessReceived = 0;
  started = performance.now();
  await inProcessSubscribe(bus, 'EARLIEST', (response) => {
    inProcessReceived += response.events.length;
    return inProcessReceived >= EVENTS;
  });
  const inProcessMs = performance.now() - started;

  const raw = rawSubscriber(server.endpoint, tls.caPem);
  const rawMs = await drain(raw, EVENTS);
  const rawRate = rate(EVENTS, rawMs);
  console.log(
    `Subscribe, bare gRPC client: ${EVENTS} events in ${rawMs.toFixed(0)} ms, ${Math.round(rawRate)} events/s (target >= ${TARGET_PER_SECOND}: ${rawRate >= TARGET_PER_SECOND ? 'met' : 'NOT met'})`,
  );
  rows.push({
    name: `Subscribe, bare gRPC client, ${EVENTS.toLocaleString('en-US')} events`,
    figure: rawRate,
    baseline: rate(EVENTS, inProcessMs),
    unit: 'events/s',
    baselineIs: 'same subscription delivering in-process, no gRPC',
  });

  // A first live run, not measured, lets the drains' garbage be collected and compiles the path.
  await liveLatencies(bus, LATENCY_EVENTS / 4, (receive) =>
    inProcessSubscribe(bus, 'LATEST', receive),
  );
  // Live latency's floor: the same publishing, delivered by the same subscription in-process.
  const inProcessLatencies = await liveLatencies(bus, LATENCY_EVENTS, (receive) =>
    inProcessSubscribe(bus, 'LATEST', receive),
  );
  const latencies = await liveLatencies(bus, LATENCY_EVENTS, (receive) =>
    rawSubscribe(raw, receive),
  );

  console.log(
    `publish-to-delivery latency over ${latencies.length} live events: p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`,
  );

  // The same through the Pub/Sub API: each event is encoded and sent with a `Publish` call.
  const rpcLatencies = await publishRpcLatencies(raw, bus);
  console.log(
    `Publish RPC-to-delivery latency over ${rpcLatencies.length} events: p50 ${percentile(rpcLatencies, 50).toFixed(2)} ms, p95 ${percentile(rpcLatencies, 95).toFixed(2)} ms, p99 ${percentile(rpcLatencies, 99).toFixed(2)} ms, max ${rpcLatencies.at(-1)!.toFixed(2)} ms`,
  );
  for (const p of [50, 99]) {
    rows.push({
      name: `in-org publish to delivery over gRPC, p${p}`,
      figure: percentile(latencies, p),
      baseline: percentile(inProcessLatencies, p),
      unit: 'ms',
      baselineIs: 'same publishing, delivered in-process, no gRPC',
    });
  }
  // The `Publish` call's floor: the same subscriber receiving events published in the org.
  for (const p of [50, 99]) {
    rows.push({
      name: `Publish RPC to delivery, p${p}`,
      figure: percentile(rpcLatencies, p),
      baseline: percentile(latencies, p),
      unit: 'ms',
      baselineIs: 'in-org publish to delivery over gRPC',
    });
  }
  // Last, as the client goes on fetching the rest of the topic once it has its events.
  const client = new PubSubApiClient(
    {
      authType: 'user-supplied',
      accessToken: TOKEN,
      instanceUrl: 'https://127.0.0.1',
      organizationId: ORG,
      pubSubEndpoint: server.endpoint,
      rejectUnauthorizedSsl: false,
    },
    { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  );
  await client.connect();
  const decodedCount = Math.min(EVENTS, 20_000);
  let decoded = 0;
  started = performance.now();
  const clientMs = await new Promise<number>((resolve) => {
    client.subscribeFromEarliestEvent(TOPIC, (_info, type) => {
      if (type === 'event' && ++decoded === decodedCount) resolve(performance.now() - started);
    });
  });
  console.log(
    `Subscribe, salesforce-pubsub-api-client decoding each event: ${decodedCount} events in ${clientMs.toFixed(0)} ms, ${Math.round(rate(decodedCount, clientMs))} events/s`,
  );
  // The client's floor: the bare gRPC client above, on the same server, from the same replay.
  rows.splice(2, 0, {
    name: `Subscribe, salesforce-pubsub-api-client, ${decodedCount.toLocaleString('en-US')} events`,
    figure: rate(decodedCount, clientMs),
    baseline: rawRate,
    unit: 'events/s',
    baselineIs: 'bare gRPC client (no decoding)',
  });

  printComparisons(
    'Pub/Sub API (latencies over live events, one published each millisecond)',
    rows,
  );

  // The client's close() leaves its stream open: end the server's streams first.
  await server.close();
  await new Promise((r) => setTimeout(r, 300));
  client.close();
  raw.close();
  rmSync(certificateDir, { recursive: true, force: true });
  if (rawRate < TARGET_PER_SECOND) process.exitCode = 1;
}

await main();
