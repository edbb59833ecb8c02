/**
 * A client of Salesforce's Pub/Sub API over gRPC (`@grpc/grpc-js`): topics, Avro schemas (cached
 * by id), decoding events, publishing platform events, and subscriptions that survive dropped
 * streams and expired sessions (`event-stream.ts`). Authentication is the org's OAuth session in
 * the call metadata (`accesstoken`, `instanceurl`, `tenantid`), as Salesforce documents:
 * https://developer.salesforce.com/docs/platform/pub-sub-api/guide/supported-auth.html
 */
import { randomUUID } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type * as grpc from '@grpc/grpc-js';
import type avro from 'avsc';
import type { Session, SessionProvider } from '../client.ts';
import type { ConsumerEventMessage, PublishResponseMessage } from './proto.ts';

/**
 * gRPC, its protobuf loader and Avro add about 25 MB to a bare Node process, so they are loaded
 * at a client's first call, not when the service starts: a process with real-time sync off, or
 * with no connection subscribed yet, never holds them.
 */
interface PubSubWire {
  grpc: typeof grpc;
  avro: typeof avro;
  pubSubClientConstructor: () => grpc.ServiceClientConstructor;
}

let wire: Promise<PubSubWire> | undefined;

function loadWire(): Promise<PubSubWire> {
  wire ??= Promise.all([import('@grpc/grpc-js'), import('avsc'), import('./proto.ts')]).then(
    ([grpcModule, avroModule, proto]) => ({
      grpc: grpcModule,
      avro: avroModule.default,
      pubSubClientConstructor: proto.pubSubClientConstructor,
    }),
  );
  wire.catch(() => (wire = undefined));
  return wire;
}

/**
 * The gRPC status codes this client tells apart, by their numbers in gRPC's specification
 * (https://grpc.github.io/grpc/core/md_doc_statuscodes.html): known without loading gRPC.
 */
const GRPC_STATUS = { UNKNOWN: 2, INVALID_ARGUMENT: 3, UNAUTHENTICATED: 16 };

/** Salesforce's global Pub/Sub endpoint. */
export const DEFAULT_PUBSUB_ENDPOINT = 'api.pubsub.salesforce.com:7443';

export interface PubSubClientOptions {
  /** `host:port` of the Pub/Sub API. */
  endpoint: string;
  sessions: SessionProvider;
  /** The org id (`tenantid`). */
  tenantId: string;
  /** PEM roots to trust besides the system's (a local stand-in's own CA). */
  extraRootCertificates?: string;
}

export interface TopicInfo {
  topicName: string;
  schemaId: string;
  canPublish: boolean;
  canSubscribe: boolean;
}

/**
 * TLS forbids an IP address as the server name (RFC 6066 section 3), and Node warns (DEP0123)
 * at every connection that sets one. A loopback IP endpoint (a local stand-in) is checked
 * under the name `localhost` instead, which its certificate carries beside the IP addresses.
 */
function loopbackServerName(endpoint: string): { 'grpc.ssl_target_name_override'?: string } {
  const host = endpoint.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const loopback = host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return loopback ? { 'grpc.ssl_target_name_override': 'localhost' } : {};
}

/** An event as the subscriber sees it: replay id, event uuid, and its decoded Avro record. */
export interface DecodedEvent {
  replayId: Buffer;
  eventId: string;
  schemaId: string;
  payload: Record<string, unknown>;
}

/** A gRPC failure with Salesforce's `error-code` trailer. */
export class PubSubError extends Error {
  override readonly name = 'PubSubError';
  constructor(
    readonly code: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }

  static from(error: unknown): PubSubError {
    if (error instanceof PubSubError) return error;
    const service = error as Partial<grpc.ServiceError>;
    const errorCode = String(service.metadata?.get('error-code')[0] ?? '');
    return new PubSubError(
      service.code ?? GRPC_STATUS.UNKNOWN,
      errorCode,
      service.details ?? (error as Error).message ?? String(error),
    );
  }

  /** The stored replay id is not retained any more (expired) or not valid. */
  get replayIdRejected(): boolean {
    return this.code === GRPC_STATUS.INVALID_ARGUMENT && /replayid/i.test(this.errorCode);
  }

  get unauthenticated(): boolean {
    return this.code === GRPC_STATUS.UNAUTHENTICATED;
  }
}

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

interface PubSubRpcClient extends grpc.Client {
  GetTopic: Unary<{ topic_name: string }, Record<string, unknown>>;
  GetSchema: Unary<{ schema_id: string }, { schema_json: string; schema_id: string }>;
  Publish: Unary<
    { topic_name: string; events: { id: string; schema_id: string; payload: Buffer }[] },
    PublishResponseMessage
  >;
  Subscribe(metadata: grpc.Metadata): grpc.ClientDuplexStream<unknown, unknown>;
}

/** A connected client: the gRPC channel and the modules it came from. */
interface Channel {
  wire: PubSubWire;
  rpc: PubSubRpcClient;
}

export class PubSubClient {
  private channel: Promise<Channel> | undefined;
  private closed = false;
  private readonly schemas = new Map<string, Promise<avro.Type>>();

  constructor(private readonly options: PubSubClientOptions) {}

  /** The gRPC channel, opened at the first call (gRPC connects lazily itself, too). */
  private connect(): Promise<Channel> {
    if (this.closed) return Promise.reject(new Error('The Pub/Sub client is closed'));
    this.channel ??= loadWire().then((wire) => {
      const Client = wire.pubSubClientConstructor();
      const roots = this.options.extraRootCertificates
        ? Buffer.from(
            // Node's bundled roots plus the extra ones: a real org's endpoint stays trusted.
            [...rootCertificates, this.options.extraRootCertificates].join('\n'),
          )
        : null;
      const rpc = new Client(this.options.endpoint, wire.grpc.credentials.createSsl(roots), {
        // Salesforce sends an empty FetchResponse at least every 270 s; HTTP/2 pings find a dead
        // connection sooner than that on an idle stream.
        'grpc.keepalive_time_ms': 60_000,
        'grpc.keepalive_timeout_ms': 20_000,
        'grpc.max_receive_message_length': 16 * 1024 * 1024,
        ...loopbackServerName(this.options.endpoint),
      }) as unknown as PubSubRpcClient;
      // Closed while the modules loaded: the channel closes at once.
      if (this.closed) rpc.close();
      return { wire, rpc };
    });
    this.channel.catch(() => (this.channel = undefined));
    return this.channel;
  }

  get tenantId(): string {
    return this.options.tenantId;
  }

  /** The session to authenticate a call with. */
  session(): Promise<Session> {
    return this.options.sessions.current();
  }

  /** A renewed session after Salesforce refused `expired` (single-flight per connection). */
  refresh(expired: Session): Promise<Session> {
    return this.options.sessions.refresh(expired);
  }

  private metadata(wire: PubSubWire, session: Session): grpc.Metadata {
    const metadata = new wire.grpc.Metadata();
    metadata.set('accesstoken', session.accessToken);
    metadata.set('instanceurl', session.instanceUrl);
    metadata.set('tenantid', this.options.tenantId);
    return metadata;
  }

  /** A unary call; an expired session is renewed once and the call repeated. */
  private async unary<Req, Res>(
    method: (rpc: PubSubRpcClient) => Unary<Req, Res>,
    request: Req,
  ): Promise<Res> {
    const { wire, rpc } = await this.connect();
    const send = (session: Session) =>
      new Promise<Res>((resolve, reject) => {
        method(rpc).call(rpc, request, this.metadata(wire, session), (error, response) =>
          error ? reject(PubSubError.from(error)) : resolve(response),
        );
      });
    const session = await this.session();
    try {
      return await send(session);
    } catch (error) {
      if (!(error instanceof PubSubError) || !error.unauthenticated) throw error;
      return send(await this.refresh(session));
    }
  }

  async topic(topicName: string): Promise<TopicInfo> {
    const info = await this.unary((rpc) => rpc.GetTopic, { topic_name: topicName });
    return {
      topicName: String(info['topic_name']),
      schemaId: String(info['schema_id']),
      canPublish: Boolean(info['can_publish']),
      canSubscribe: Boolean(info['can_subscribe']),
    };
  }

  /** The Avro type of a schema id, fetched once. */
  schema(schemaId: string): Promise<avro.Type> {
    let cached = this.schemas.get(schemaId);
    if (!cached) {
      cached = Promise.all([
        loadWire(),
        this.unary((rpc) => rpc.GetSchema, { schema_id: schemaId }),
      ]).then(([wire, info]) =>
        wire.avro.Type.forSchema(JSON.parse(info.schema_json) as avro.Schema),
      );
      cached.catch(() => this.schemas.delete(schemaId));
      this.schemas.set(schemaId, cached);
    }
    return cached;
  }

  async decode(message: ConsumerEventMessage): Promise<DecodedEvent> {
    const type = await this.schema(message.event.schema_id);
    return {
      replayId: Buffer.from(message.replay_id),
      eventId: message.event.id,
      schemaId: message.event.schema_id,
      payload: type.fromBuffer(Buffer.from(message.event.payload)) as Record<string, unknown>,
    };
  }

  /**
   * Publishes platform events: each record's fields by their API names; fields the schema has
   * and the record leaves out are sent empty (CreatedDate and CreatedById are set by Salesforce,
   * whatever the publisher puts there). Answers each event's error, or null.
   */
  async publish(
    topicName: string,
    records: Record<string, unknown>[],
  ): Promise<{ eventId: string; error: string | null }[]> {
    const topic = await this.topic(topicName);
    const type = await this.schema(topic.schemaId);
    const fieldNames = (type as unknown as { fields: { name: string }[] }).fields.map(
      (f) => f.name,
    );
    const events = records.map((record) => {
      const full: Record<string, unknown> = {};
      for (const name of fieldNames) full[name] = record[name] ?? null;
      full['CreatedDate'] ??= Date.now();
      full['CreatedById'] ??= '';
      return { id: randomUUID(), schema_id: topic.schemaId, payload: type.toBuffer(full) };
    });
    const response = await this.unary((rpc) => rpc.Publish, {
      topic_name: topicName,
      events,
    });
    return response.results.map((result, index) => ({
      eventId: result.correlation_key || events[index]!.id,
      error: result.error ? `${result.error.code}: ${result.error.msg}` : null,
    }));
  }

  /** Opens a raw Subscribe stream (see `EventStream` for the resilient one). */
  async openSubscribe(session: Session): Promise<grpc.ClientDuplexStream<unknown, unknown>> {
    const { wire, rpc } = await this.connect();
    return rpc.Subscribe(this.metadata(wire, session));
  }

  close(): void {
    this.closed = true;
    this.channel?.then(
      ({ rpc }) => rpc.close(),
      () => {},
    );
  }
}
