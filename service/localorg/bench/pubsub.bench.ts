/**
 * Benchmark of the local org's Pub/Sub API over TLS on 127.0.0.1: events per second delivered
 * through `Subscribe` (a bare gRPC subscriber keeping 100 events requested ahead, and Salesforce's
 * Node client decoding every event), then publish-to-delivery latency of live events: published
 * in the org (as REST and Flows publish) and through the Pub/Sub API's `Publish` call.
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
import { EventBus } from '../src/events/eventBus.ts';
import type { FetchResponseMessage } from '../src/pubsub/messages.ts';
import { pubSubProtoPath } from '../src/pubsub/proto.ts';
import { startPubSubServer } from '../src/pubsub/server.ts';

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

function publish(bus: EventBus, n: number): void {
  const result = bus.publish(ORG, USER, eventDescribe.name, {
    Record_Id__c: `001${String(n).padStart(15, '0')}`,
    Object_Name__c: 'Account',
    Sent_At__c: performance.timeOrigin + performance.now(),
    Payload__c: 'x'.repeat(200),
  });
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

  let started = performance.now();
  for (let n = 0; n < EVENTS; n++) publish(bus, n);
  const publishMs = performance.now() - started;
  console.log(
    `publish (validate + Avro encode + append): ${EVENTS} events in ${publishMs.toFixed(0)} ms, ${Math.round(EVENTS / (publishMs / 1000))}/s`,
  );

  const raw = rawSubscriber(server.endpoint, tls.caPem);
  const rawMs = await drain(raw, EVENTS);
  const rawRate = Math.round(EVENTS / (rawMs / 1000));
  console.log(
    `Subscribe, bare gRPC client: ${EVENTS} events in ${rawMs.toFixed(0)} ms, ${rawRate} events/s (target >= ${TARGET_PER_SECOND})`,
  );

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
    `Subscribe, salesforce-pubsub-api-client decoding each event: ${decodedCount} events in ${clientMs.toFixed(0)} ms, ${Math.round(decodedCount / (clientMs / 1000))} events/s`,
  );

  const latencies: number[] = [];
  await new Promise<void>((resolve, reject) => {
    const call = raw.Subscribe();
    const schema = bus.platformEventSchema(ORG, eventDescribe.name)!;
    let ready = false;
    call.on('data', (response: FetchResponseMessage) => {
      const now = performance.timeOrigin + performance.now();
      if (!ready) {
        ready = true;
        let n = 0;
        const timer = setInterval(() => {
          publish(bus, n);
          if (++n === LATENCY_EVENTS) clearInterval(timer);
        }, 1);
      }
      for (const event of response.events) {
        latencies.push(
          now - (schema.type.fromBuffer(event.event.payload) as { Sent_At__c: number }).Sent_At__c,
        );
      }
      if (response.events.length > 0) call.write({ num_requested: response.events.length });
      if (latencies.length >= LATENCY_EVENTS) {
        call.cancel();
        resolve();
      }
    });
    call.on('error', (error: grpc.ServiceError) => {
      if (error.code !== grpc.status.CANCELLED) reject(error);
    });
    call.write({
      topic_name: TOPIC,
      replay_preset: 'LATEST',
      num_requested: 100,
      replay_id: Buffer.alloc(0),
    });
    call.write({ num_requested: 100 });
    // A first event makes the subscription answer, which starts the live run.
    setTimeout(() => publish(bus, -1), 50);
  });
  latencies.shift();
  latencies.sort((a, b) => a - b);
  console.log(
    `publish-to-delivery latency over ${latencies.length} live events: p50 ${percentile(latencies, 50).toFixed(2)} ms, p95 ${percentile(latencies, 95).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms, max ${latencies.at(-1)!.toFixed(2)} ms`,
  );

  // The same through the Pub/Sub API: each event is encoded and sent with a `Publish` call.
  const rpcLatencies = await publishRpcLatencies(raw, bus);
  console.log(
    `Publish RPC-to-delivery latency over ${rpcLatencies.length} events: p50 ${percentile(rpcLatencies, 50).toFixed(2)} ms, p95 ${percentile(rpcLatencies, 95).toFixed(2)} ms, p99 ${percentile(rpcLatencies, 99).toFixed(2)} ms, max ${rpcLatencies.at(-1)!.toFixed(2)} ms`,
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
