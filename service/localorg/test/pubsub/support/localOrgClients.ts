/** Clients of a running local org's Pub/Sub API: Salesforce's own Node client and a bare gRPC one. */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import type { LocalOrg } from '../../../src/index.ts';
import { pubSubProtoPath } from '../../../src/pubsub/proto.ts';

export interface ReceivedEvent {
  id: string;
  replayId: number;
  payload: Record<string, unknown> & { ChangeEventHeader?: Record<string, unknown> };
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** salesforce-pubsub-api-client, unmodified, pointed at the local org (self-signed TLS). */
export async function connectPubSub(
  local: LocalOrg,
  orgId: string,
  accessToken: string,
): Promise<PubSubApiClient> {
  const client = new PubSubApiClient(
    {
      authType: 'user-supplied',
      accessToken,
      instanceUrl: 'https://127.0.0.1',
      organizationId: orgId,
      pubSubEndpoint: local.pubSubEndpoint,
      rejectUnauthorizedSsl: false,
    },
    quiet,
  );
  await client.connect();
  return client;
}

/** Collects what a subscription's callback reports: decoded events and stream errors. */
export function collector() {
  const events: ReceivedEvent[] = [];
  const errors: { code?: number; details?: string }[] = [];
  const callback = (_info: unknown, type: string, data: unknown) => {
    if (type === 'event') events.push(data as ReceivedEvent);
    if (type === 'error') errors.push(data as { code?: number; details?: string });
  };
  /** Events by replay id: the client decodes each response asynchronously. */
  const sorted = () => [...events].sort((a, b) => a.replayId - b.replayId);
  return { events, errors, callback, sorted };
}

export type GrpcClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

/**
 * A bare gRPC client of the same proto that verifies the server's certificate against `caPem`
 * (name and chain) and sends the given metadata with every call.
 */
export function verifyingGrpcClient(
  endpoint: string,
  caPem: string,
  metadata: Record<string, string>,
): GrpcClient {
  const definition = protoLoader.loadSync(pubSubProtoPath(), {
    keepCase: true,
    defaults: true,
    enums: String,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    eventbus: { v1: { PubSub: grpc.ServiceClientConstructor } };
  };
  const callCredentials = grpc.credentials.createFromMetadataGenerator((_params, callback) => {
    const sent = new grpc.Metadata();
    for (const [key, value] of Object.entries(metadata)) sent.add(key, value);
    callback(null, sent);
  });
  const channel = grpc.credentials.combineChannelCredentials(
    grpc.credentials.createSsl(Buffer.from(caPem)),
    callCredentials,
  );
  return new loaded.eventbus.v1.PubSub(endpoint, channel) as unknown as GrpcClient;
}

export function unary<T>(client: GrpcClient, method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    client[method]!(request, (error: grpc.ServiceError | null, response: T) =>
      error ? reject(error) : resolve(response),
    );
  });
}

/** POSTs JSON to a control endpoint of an org (`/_localorg/orgs/<orgId>/events/...`). */
export async function control(
  local: LocalOrg,
  orgId: string,
  path: string,
  body: unknown = {},
): Promise<Response> {
  const instanceUrl = local.orgs.find((o) => o.id === orgId)!.instanceUrl;
  return fetch(`${instanceUrl}/_localorg/orgs/${orgId}/events/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
