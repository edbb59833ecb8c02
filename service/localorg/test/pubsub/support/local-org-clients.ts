/** Clients of a running local org's Pub/Sub API: Salesforce's own Node client and a bare gRPC one. */
import * as grpc from '@grpc/grpc-js';
import type PubSubApiClient from 'salesforce-pubsub-api-client';
import type { LocalOrg } from '../../../src/index.ts';
import { connectPubSubApiClient, grpcPubSubClient, type GrpcClient } from './pub-sub-clients.ts';

export type { GrpcClient };

export interface ReceivedEvent {
  id: string;
  replayId: number;
  payload: Record<string, unknown> & { ChangeEventHeader?: Record<string, unknown> };
}

/** salesforce-pubsub-api-client, unmodified, pointed at the local org (self-signed TLS). */
export function connectPubSub(
  local: LocalOrg,
  orgId: string,
  accessToken: string,
): Promise<PubSubApiClient> {
  return connectPubSubApiClient(local.pubSubEndpoint, orgId, accessToken);
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

/**
 * A bare gRPC client of the same proto that verifies the server's certificate against `caPem`
 * (name and chain) and sends the given metadata with every call.
 */
export function verifyingGrpcClient(
  endpoint: string,
  caPem: string,
  metadata: Record<string, string>,
): GrpcClient {
  return grpcPubSubClient(endpoint, grpc.credentials.createSsl(Buffer.from(caPem)), metadata);
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
