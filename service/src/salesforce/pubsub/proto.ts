/**
 * The wire format of Salesforce's Pub/Sub API (`eventbus.v1`), as protobuf JSON: the messages
 * and RPCs this service uses, with the field numbers of Salesforce's `pubsub_api.proto`
 * (https://github.com/forcedotcom/pub-sub-api, documented at
 * https://developer.salesforce.com/docs/platform/pub-sub-api/references/methods/subscribe-rpc.html).
 * Kept in code rather than as a .proto file so the built service needs no file beside it.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const field = (type: string, id: number, rule?: 'repeated') => ({
  type,
  id,
  ...(rule ? { rule } : {}),
});

const EVENTBUS_V1 = {
  nested: {
    eventbus: {
      nested: {
        v1: {
          nested: {
            TopicInfo: {
              fields: {
                topic_name: field('string', 1),
                tenant_guid: field('string', 2),
                can_publish: field('bool', 3),
                can_subscribe: field('bool', 4),
                schema_id: field('string', 5),
                rpc_id: field('string', 6),
              },
            },
            TopicRequest: { fields: { topic_name: field('string', 1) } },
            EventHeader: { fields: { key: field('string', 1), value: field('bytes', 2) } },
            ProducerEvent: {
              fields: {
                id: field('string', 1),
                schema_id: field('string', 2),
                payload: field('bytes', 3),
                headers: field('EventHeader', 4, 'repeated'),
              },
            },
            ConsumerEvent: {
              fields: { event: field('ProducerEvent', 1), replay_id: field('bytes', 2) },
            },
            PublishResult: {
              fields: {
                replay_id: field('bytes', 1),
                error: field('Error', 2),
                correlation_key: field('string', 3),
              },
            },
            Error: { fields: { code: field('ErrorCode', 1), msg: field('string', 2) } },
            ErrorCode: { values: { UNKNOWN: 0, PUBLISH: 1, COMMIT: 2 } },
            ReplayPreset: { values: { LATEST: 0, EARLIEST: 1, CUSTOM: 2 } },
            FetchRequest: {
              fields: {
                topic_name: field('string', 1),
                replay_preset: field('ReplayPreset', 2),
                replay_id: field('bytes', 3),
                num_requested: field('int32', 4),
                auth_refresh: field('string', 5),
              },
            },
            FetchResponse: {
              fields: {
                events: field('ConsumerEvent', 1, 'repeated'),
                latest_replay_id: field('bytes', 2),
                rpc_id: field('string', 3),
                pending_num_requested: field('int32', 4),
              },
            },
            SchemaRequest: { fields: { schema_id: field('string', 1) } },
            SchemaInfo: {
              fields: {
                schema_json: field('string', 1),
                schema_id: field('string', 2),
                rpc_id: field('string', 3),
              },
            },
            PublishRequest: {
              fields: {
                topic_name: field('string', 1),
                events: field('ProducerEvent', 2, 'repeated'),
                auth_refresh: field('string', 3),
              },
            },
            PublishResponse: {
              fields: {
                results: field('PublishResult', 1, 'repeated'),
                schema_id: field('string', 2),
                rpc_id: field('string', 3),
              },
            },
            PubSub: {
              methods: {
                Subscribe: {
                  requestType: 'FetchRequest',
                  responseType: 'FetchResponse',
                  requestStream: true,
                  responseStream: true,
                },
                GetSchema: { requestType: 'SchemaRequest', responseType: 'SchemaInfo' },
                GetTopic: { requestType: 'TopicRequest', responseType: 'TopicInfo' },
                Publish: { requestType: 'PublishRequest', responseType: 'PublishResponse' },
              },
            },
          },
        },
      },
    },
  },
};

/** Messages as @grpc/proto-loader presents them with `keepCase`, enums as names. */
export interface ConsumerEventMessage {
  event: { id: string; schema_id: string; payload: Buffer };
  replay_id: Buffer;
}

export interface FetchResponseMessage {
  events: ConsumerEventMessage[];
  latest_replay_id: Buffer;
  rpc_id: string;
  pending_num_requested: number;
}

export interface FetchRequestMessage {
  topic_name?: string;
  replay_preset?: 'LATEST' | 'EARLIEST' | 'CUSTOM';
  replay_id?: Buffer;
  num_requested: number;
}

export interface PublishResponseMessage {
  results: {
    replay_id: Buffer;
    error: { code: string; msg: string } | null;
    correlation_key: string;
  }[];
  schema_id: string;
}

let constructor: grpc.ServiceClientConstructor | undefined;

/** The generated `eventbus.v1.PubSub` client class (built once). */
export function pubSubClientConstructor(): grpc.ServiceClientConstructor {
  if (constructor) return constructor;
  const definition = protoLoader.fromJSON(
    EVENTBUS_V1 as Parameters<typeof protoLoader.fromJSON>[0],
    {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
    },
  );
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    eventbus: { v1: { PubSub: grpc.ServiceClientConstructor } };
  };
  constructor = loaded.eventbus.v1.PubSub;
  return constructor;
}
