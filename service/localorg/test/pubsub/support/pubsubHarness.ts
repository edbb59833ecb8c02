/** Starts an event bus and its Pub/Sub server over TLS on an ephemeral port, for tests. */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import type { SObjectDescribe } from '../../../src/core/contracts.ts';
import type { CdcConfig } from '../../../src/events/cdcChannels.ts';
import { EventBus } from '../../../src/events/eventBus.ts';
import { pubSubProtoPath } from '../../../src/pubsub/proto.ts';
import { startPubSubServer, type RunningPubSubServer } from '../../../src/pubsub/server.ts';
import { MemoryHost } from './memoryHost.ts';
import { makeTestCertificate } from './testCertificate.ts';

let certificate: { key: string; cert: string } | undefined;

export interface Harness {
  host: MemoryHost;
  bus: EventBus;
  server: RunningPubSubServer;
  close(): Promise<void>;
}

export async function startHarness(
  describes: SObjectDescribe[],
  cdc: Partial<CdcConfig> = {},
  keepaliveMs = 60_000,
): Promise<Harness> {
  certificate ??= makeTestCertificate();
  const host = new MemoryHost(undefined, describes);
  const bus = new EventBus(host, { cdc });
  bus.start();
  const server = await startPubSubServer({ host, bus, tls: certificate, keepaliveMs });
  return {
    host,
    bus,
    server,
    close: async () => {
      await server.close();
      bus.stop();
    },
  };
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Salesforce's own Node client, pointed at the local endpoint and trusting its certificate. */
export async function connectClient(
  harness: Harness,
  accessToken: string,
): Promise<PubSubApiClient> {
  const client = new PubSubApiClient(
    {
      authType: 'user-supplied',
      accessToken,
      instanceUrl: 'https://127.0.0.1',
      organizationId: harness.host.orgId,
      pubSubEndpoint: harness.server.endpoint,
      rejectUnauthorizedSsl: false,
    },
    quiet,
  );
  await client.connect();
  return client;
}

type RawClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

/** A bare gRPC client from the same proto, to look at statuses and trailers directly. */
export function rawClient(harness: Harness, accessToken?: string): RawClient {
  const definition = protoLoader.loadSync(pubSubProtoPath(), {
    keepCase: true,
    defaults: true,
    enums: String,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    eventbus: { v1: { PubSub: grpc.ServiceClientConstructor } };
  };
  const callCredentials = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
    const metadata = new grpc.Metadata();
    if (accessToken) metadata.add('accesstoken', accessToken);
    metadata.add('instanceurl', 'https://127.0.0.1');
    metadata.add('tenantid', harness.host.orgId);
    callback(null, metadata);
  });
  const channel = grpc.credentials.combineChannelCredentials(
    grpc.credentials.createSsl(Buffer.from(certificate!.cert), null, null, {
      checkServerIdentity: () => undefined,
    }),
    callCredentials,
  );
  return new loaded.eventbus.v1.PubSub(harness.server.endpoint, channel) as unknown as RawClient;
}

export function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (condition()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('Timed out waiting'));
      setTimeout(tick, 10);
    };
    tick();
  });
}
