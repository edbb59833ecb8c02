/** Clients of any Pub/Sub server under test: Salesforce's own Node client and a bare gRPC one. */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import PubSubApiClient from 'salesforce-pubsub-api-client';
import { pubSubProtoPath } from '../../../src/pubsub/proto.ts';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** salesforce-pubsub-api-client, unmodified, pointed at `endpoint` (self-signed TLS). */
export async function connectPubSubApiClient(
  endpoint: string,
  orgId: string,
  accessToken: string,
): Promise<PubSubApiClient> {
  const client = new PubSubApiClient(
    {
      authType: 'user-supplied',
      accessToken,
      instanceUrl: 'https://127.0.0.1',
      organizationId: orgId,
      pubSubEndpoint: endpoint,
      rejectUnauthorizedSsl: false,
    },
    quiet,
  );
  await client.connect();
  return client;
}

export type GrpcClient = grpc.Client & Record<string, (...args: unknown[]) => unknown>;

/** A bare gRPC client of the Pub/Sub proto over `ssl`, sending `metadata` with every call. */
export function grpcPubSubClient(
  endpoint: string,
  ssl: grpc.ChannelCredentials,
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
  const channel = grpc.credentials.combineChannelCredentials(ssl, callCredentials);
  return new loaded.eventbus.v1.PubSub(endpoint, channel) as unknown as GrpcClient;
}
