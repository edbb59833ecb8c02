/**
 * Salesforce's own `pubsub_api.proto`, as shipped in the `salesforce-pubsub-api-client` package,
 * loaded once for the server.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const require = createRequire(import.meta.url);

/** The package only exports its client module, so the proto is found next to it. */
export function pubSubProtoPath(): string {
  const clientModule = require.resolve('salesforce-pubsub-api-client');
  return join(dirname(clientModule), '..', 'pubsub_api.proto');
}

export interface PubSubDefinition {
  service: grpc.ServiceDefinition;
}

let cached: PubSubDefinition | undefined;

export function loadPubSubDefinition(): PubSubDefinition {
  if (cached) return cached;
  const packageDefinition = protoLoader.loadSync(pubSubProtoPath(), {
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
  });
  const loaded = grpc.loadPackageDefinition(packageDefinition) as unknown as {
    eventbus: { v1: { PubSub: grpc.ServiceClientConstructor } };
  };
  cached = { service: loaded.eventbus.v1.PubSub.service };
  return cached;
}
