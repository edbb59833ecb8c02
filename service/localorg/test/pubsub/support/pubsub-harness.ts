/** Starts an event bus and its Pub/Sub server over TLS on an ephemeral port, for tests. */
import * as grpc from '@grpc/grpc-js';
import type PubSubApiClient from 'salesforce-pubsub-api-client';
import type { SObjectDescribe } from '../../../src/core/contracts.ts';
import type { CdcConfig } from '../../../src/events/cdc-channels.ts';
import { EventBus } from '../../../src/events/event-bus.ts';
import { startPubSubServer, type RunningPubSubServer } from '../../../src/pubsub/server.ts';
import { MemoryHost } from './memory-host.ts';
import { connectPubSubApiClient, grpcPubSubClient, type GrpcClient } from './pub-sub-clients.ts';
import { makeTestCertificate } from './test-certificate.ts';

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

/** Salesforce's own Node client, pointed at the local endpoint and trusting its certificate. */
export function connectClient(harness: Harness, accessToken: string): Promise<PubSubApiClient> {
  return connectPubSubApiClient(harness.server.endpoint, harness.host.orgId, accessToken);
}

/** A bare gRPC client from the same proto, to look at statuses and trailers directly. */
export function rawClient(harness: Harness, accessToken?: string): GrpcClient {
  const ssl = grpc.credentials.createSsl(Buffer.from(certificate!.cert), null, null, {
    checkServerIdentity: () => undefined,
  });
  return grpcPubSubClient(harness.server.endpoint, ssl, {
    ...(accessToken ? { accesstoken: accessToken } : {}),
    instanceurl: 'https://127.0.0.1',
    tenantid: harness.host.orgId,
  });
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
