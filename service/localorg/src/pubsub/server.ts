/**
 * The local org's Pub/Sub API: Salesforce's `eventbus.v1.PubSub` service over TLS, backed by the
 * event bus. Authentication comes from the `accesstoken` (and `tenantid`) metadata of each call.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { EventBusHost, Session } from '../core/contracts.ts';
import type { EventBus } from '../events/event-bus.ts';
import type { Topic } from '../events/topics.ts';
import { encodeReplayId } from '../events/replay-id.ts';
import type {
  FetchRequestMessage,
  FetchResponseMessage,
  PublishRequestMessage,
  PublishResponseMessage,
  PublishResultMessage,
} from './messages.ts';
import { loadPubSubDefinition } from './proto.ts';
import {
  authError,
  invalidArgument,
  permissionDenied,
  pubSubError,
  serviceUnavailable,
  streamDropped,
  topicNotFound,
  type PubSubError,
} from './status-errors.ts';
import { Subscription } from './subscription.ts';

export interface PubSubServerOptions {
  host: EventBusHost;
  bus: EventBus;
  /** PEM key and certificate; without them the server listens in plaintext (unit tests only). */
  tls?: { key: string; cert: string };
  /** Idle time before an empty keepalive FetchResponse; Salesforce uses up to 270 s. */
  keepaliveMs?: number;
}

export interface RunningPubSubServer {
  port: number;
  /** `host:port` as clients configure it (`pubSubEndpoint`). */
  endpoint: string;
  close(): Promise<void>;
}

function metadataValue(metadata: grpc.Metadata, key: string): string | undefined {
  const value = metadata.get(key)[0];
  return value === undefined ? undefined : String(value);
}

/** The session of a call, or undefined when its token (or tenant) is not valid. */
function authenticate(host: EventBusHost, metadata: grpc.Metadata): Session | undefined {
  const token = metadataValue(metadata, 'accesstoken');
  if (!token) return undefined;
  const session = host.authenticate(token);
  if (!session) return undefined;
  const tenant = metadataValue(metadata, 'tenantid');
  if (tenant && tenant.slice(0, 15) !== session.orgId.slice(0, 15)) return undefined;
  return session;
}

type Callback<T> = grpc.sendUnaryData<T>;

/**
 * The platform, not the publisher, sets who published an event and when: whatever a client put
 * in `CreatedById` and `CreatedDate` is replaced by the session's user and the org's clock
 * (Platform Events Developer Guide, "Platform Event Fields").
 */
function systemFields(topic: Topic, session: Session, now: number, payload: Buffer): Buffer {
  const type = topic.schema?.type;
  if (!type) return payload;
  const record = type.fromBuffer(payload) as Record<string, unknown>;
  if (!('CreatedById' in record)) return payload;
  return type.toBuffer({ ...record, CreatedById: session.userId, CreatedDate: now });
}

export function startPubSubServer(
  options: PubSubServerOptions,
  port = 0,
  bindHost = '127.0.0.1',
): Promise<RunningPubSubServer> {
  const { host, bus } = options;
  const keepaliveMs = options.keepaliveMs ?? 60_000;
  const subscriptions = new Set<Subscription>();
  /** Subscribe calls accepted whose first FetchRequest has not come yet, with their org. */
  const openingCalls = new Map<
    grpc.ServerDuplexStream<FetchRequestMessage, FetchResponseMessage>,
    string
  >();
  const publishStreams = new Map<
    grpc.ServerDuplexStream<PublishRequestMessage, PublishResponseMessage>,
    string
  >();

  const stopDrops = bus.faults.onDrop((orgId) => {
    for (const subscription of [...subscriptions]) {
      if (subscription.orgId !== orgId) continue;
      subscriptions.delete(subscription);
      subscription.fail(streamDropped());
    }
    // A network failure ends a stream whatever it was doing, also one still being set up.
    for (const [call, callOrg] of [...openingCalls]) {
      if (callOrg !== orgId) continue;
      openingCalls.delete(call);
      call.emit('error', streamDropped());
    }
    for (const [stream, streamOrg] of [...publishStreams]) {
      if (streamOrg !== orgId) continue;
      publishStreams.delete(stream);
      stream.emit('error', streamDropped());
    }
  });
  const stopResumes = bus.faults.onResume((orgId) => {
    for (const subscription of subscriptions)
      if (subscription.orgId === orgId) subscription.deliver();
  });

  function resolveTopic(session: Session, topicName: string): Topic | PubSubError {
    bus.applyRetention(session.orgId);
    return bus.topic(session.orgId, topicName) ?? topicNotFound(session.orgId, topicName);
  }

  function publishEvents(
    session: Session,
    topic: Topic,
    request: PublishRequestMessage,
  ): PublishResponseMessage {
    const schemaId = topic.schema?.id ?? '';
    const results: PublishResultMessage[] = request.events.map((event) => {
      if (event.schema_id !== schemaId) {
        return {
          replay_id: Buffer.alloc(0),
          error: {
            code: 'PUBLISH',
            msg: `The schema ID ${event.schema_id} doesn't match the topic's schema.`,
          },
          correlation_key: event.id,
        };
      }
      // The event's id is its uuid and the result's correlation key; one is made when left out.
      const id = event.id || randomUUID();
      let payload: Buffer;
      try {
        payload = systemFields(topic, session, host.now(session.orgId), Buffer.from(event.payload));
      } catch (error) {
        return {
          replay_id: Buffer.alloc(0),
          error: {
            code: 'PUBLISH',
            msg: `The payload doesn't match the schema: ${(error as Error).message}`,
          },
          correlation_key: id,
        };
      }
      const stored = bus.publishEncoded(session.orgId, topic.name, { id, schemaId, payload });
      return { replay_id: encodeReplayId(stored.replayId), error: null, correlation_key: id };
    });
    return { results, schema_id: schemaId, rpc_id: randomUUID() };
  }

  const handlers: grpc.UntypedServiceImplementation = {
    GetTopic(
      call: grpc.ServerUnaryCall<{ topic_name: string }, unknown>,
      callback: Callback<unknown>,
    ) {
      const session = authenticate(host, call.metadata);
      if (!session) return callback(authError());
      const topic = resolveTopic(session, call.request.topic_name);
      if (!('kind' in topic)) return callback(topic);
      callback(null, {
        topic_name: topic.name,
        tenant_guid: session.orgId,
        can_publish: topic.kind === 'platform-event',
        can_subscribe: true,
        schema_id: topic.schema?.id ?? '',
        rpc_id: randomUUID(),
      });
    },

    GetSchema(
      call: grpc.ServerUnaryCall<{ schema_id: string }, unknown>,
      callback: Callback<unknown>,
    ) {
      const session = authenticate(host, call.metadata);
      if (!session) return callback(authError());
      const schema = bus.schemaById(call.request.schema_id);
      if (!schema) {
        return callback(
          pubSubError(
            grpc.status.NOT_FOUND,
            'sfdc.platform.eventbus.grpc.schema.notfound',
            `The schema with ID ${call.request.schema_id} wasn't found.`,
          ),
        );
      }
      callback(null, { schema_json: schema.json, schema_id: schema.id, rpc_id: randomUUID() });
    },

    Publish(
      call: grpc.ServerUnaryCall<PublishRequestMessage, unknown>,
      callback: Callback<unknown>,
    ) {
      const session = authenticate(host, call.metadata);
      if (!session) return callback(authError());
      const topic = resolveTopic(session, call.request.topic_name);
      if (!('kind' in topic)) return callback(topic);
      if (topic.kind !== 'platform-event') return callback(permissionDenied(topic.name, 'publish'));
      callback(null, publishEvents(session, topic, call.request));
    },

    PublishStream(call: grpc.ServerDuplexStream<PublishRequestMessage, PublishResponseMessage>) {
      const session = authenticate(host, call.metadata);
      if (!session) {
        call.emit('error', authError());
        return;
      }
      publishStreams.set(call, session.orgId);
      let topicName: string | undefined;
      call.on('data', (request: PublishRequestMessage) => {
        if (topicName && request.topic_name && request.topic_name !== topicName) {
          publishStreams.delete(call);
          call.emit(
            'error',
            invalidArgument(
              'sfdc.platform.eventbus.grpc.publish.invalid.topic',
              `The topic name ${request.topic_name} doesn't match the topic of this stream, ${topicName}.`,
            ),
          );
          return;
        }
        topicName ??= request.topic_name;
        const topic = resolveTopic(session, topicName);
        if (!('kind' in topic) || topic.kind !== 'platform-event') {
          publishStreams.delete(call);
          call.emit('error', 'kind' in topic ? permissionDenied(topicName, 'publish') : topic);
          return;
        }
        call.write(publishEvents(session, topic, request));
      });
      call.on('end', () => {
        publishStreams.delete(call);
        call.end();
      });
      call.on('error', () => publishStreams.delete(call));
    },

    Subscribe(call: grpc.ServerDuplexStream<FetchRequestMessage, FetchResponseMessage>) {
      const session = authenticate(host, call.metadata);
      if (!session) {
        call.emit('error', authError());
        return;
      }
      if (bus.faults.refusesSubscriptions(session.orgId)) {
        call.emit('error', serviceUnavailable());
        return;
      }
      let subscription: Subscription | undefined;
      openingCalls.set(call, session.orgId);
      call.on('data', (request: FetchRequestMessage) => {
        if (subscription) {
          subscription.onRequest(request);
          return;
        }
        // Dropped before its first request came: that request is never answered.
        if (!openingCalls.delete(call)) return;
        const topic = resolveTopic(session, request.topic_name);
        if (!('kind' in topic)) {
          call.emit('error', topic);
          return;
        }
        try {
          const log = bus.log(session.orgId, topic.name);
          const token = session.accessToken;
          subscription = new Subscription(
            session.orgId,
            topic,
            log,
            bus,
            call,
            request,
            keepaliveMs,
            () => host.authenticate(token) !== undefined,
          );
          subscriptions.add(subscription);
        } catch (error) {
          call.emit('error', error as PubSubError);
        }
      });
      const cleanUp = () => {
        openingCalls.delete(call);
        if (!subscription) return;
        subscription.close();
        subscriptions.delete(subscription);
      };
      call.on('end', () => {
        cleanUp();
        call.end();
      });
      call.on('cancelled', cleanUp);
      call.on('error', cleanUp);
    },
  };

  const server = new grpc.Server();
  server.addService(loadPubSubDefinition().service, handlers);
  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(
        null,
        [{ private_key: Buffer.from(options.tls.key), cert_chain: Buffer.from(options.tls.cert) }],
        false,
      )
    : grpc.ServerCredentials.createInsecure();

  return new Promise((resolve, reject) => {
    server.bindAsync(`${bindHost}:${port}`, credentials, (error, boundPort) => {
      if (error) return reject(error);
      resolve({
        port: boundPort,
        endpoint: `${bindHost === '0.0.0.0' ? '127.0.0.1' : bindHost}:${boundPort}`,
        close: () =>
          new Promise<void>((done) => {
            stopDrops();
            stopResumes();
            for (const subscription of subscriptions) subscription.close();
            server.tryShutdown(() => done());
            // Long-lived streams would hold shutdown open; end them after a grace period.
            setTimeout(() => server.forceShutdown(), 200).unref();
          }),
      });
    });
  });
}
