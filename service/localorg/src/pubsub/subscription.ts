/**
 * One `Subscribe` stream: the replay start from the first FetchRequest, flow control by
 * `num_requested` (at most 100 pending in all), batches that carry `latest_replay_id`,
 * and empty keepalive responses while idle.
 */
import { randomUUID } from 'node:crypto';
import type * as grpc from '@grpc/grpc-js';
import type { EventBus } from '../events/event-bus.ts';
import type { Topic } from '../events/topics.ts';
import type { EventLog } from '../events/event-log.ts';
import { decodeReplayId, encodeReplayId } from '../events/replay-id.ts';
import type { FetchRequestMessage, FetchResponseMessage } from './messages.ts';
import { authError, invalidArgument, replayIdInvalid, type PubSubError } from './status-errors.ts';

export const MAX_EVENTS_PER_REQUEST = 100;
export const MAX_PENDING_EVENTS = 100;

type SubscribeCall = grpc.ServerDuplexStream<FetchRequestMessage, FetchResponseMessage>;

export class Subscription {
  private position: bigint;
  private pending = 0;
  private closed = false;
  private deliveryScheduled = false;
  private lastWrite = Date.now();
  private readonly keepaliveTimer: NodeJS.Timeout;
  private readonly stopListening: () => void;

  /** Throws a PubSubError when the first request's replay option cannot be honoured. */
  constructor(
    readonly orgId: string,
    private readonly topic: Topic,
    private readonly log: EventLog,
    private readonly bus: EventBus,
    private readonly call: SubscribeCall,
    first: FetchRequestMessage,
    keepaliveMs: number,
    /** Whether the call's access token is still valid; an expired session ends the stream. */
    private readonly sessionValid: () => boolean = () => true,
  ) {
    this.position = Subscription.startPosition(log, first);
    this.stopListening = log.onAppend(() => this.scheduleDelivery());
    this.keepaliveTimer = setInterval(
      () => this.keepalive(keepaliveMs),
      Math.min(keepaliveMs, 1000),
    );
    this.keepaliveTimer.unref();
    this.request(first);
  }

  private static startPosition(log: EventLog, first: FetchRequestMessage): bigint {
    if (first.replay_preset === 'EARLIEST') return log.earliestPosition();
    if (first.replay_preset !== 'CUSTOM') return log.latestReplayId();
    const replayId = decodeReplayId(first.replay_id);
    if (replayId === undefined || log.check(replayId) !== 'ok') throw replayIdInvalid();
    return replayId;
  }

  /** Handles a FetchRequest after the first: more capacity, same topic. */
  onRequest(request: FetchRequestMessage): void {
    if (request.topic_name && request.topic_name !== this.topic.name) {
      this.fail(
        invalidArgument(
          'sfdc.platform.eventbus.grpc.subscription.fetch.invalid.topic',
          `The topic name ${request.topic_name} doesn't match the topic of this subscription, ${this.topic.name}.`,
        ),
      );
      return;
    }
    this.request(request);
  }

  private request(request: FetchRequestMessage): void {
    // Salesforce counts at most 100 requested events across all of a call's FetchRequests.
    this.pending = Math.min(MAX_PENDING_EVENTS, this.pending + Math.max(0, request.num_requested));
    this.deliver();
  }

  /** Appends in one tick (a published batch) are delivered together. */
  private scheduleDelivery(): void {
    if (this.deliveryScheduled) return;
    this.deliveryScheduled = true;
    setImmediate(() => {
      this.deliveryScheduled = false;
      this.deliver();
    });
  }

  /** Sends what is pending, in batches of at most 100, unless delivery is stalled. */
  deliver(): void {
    if (this.closed || this.bus.faults.isStalled(this.orgId)) return;
    while (this.pending > 0) {
      const batch = this.log.readAfter(
        this.position,
        Math.min(this.pending, MAX_EVENTS_PER_REQUEST),
      );
      if (batch.length === 0) return;
      this.position = batch[batch.length - 1]!.replayId;
      this.pending -= batch.length;
      this.write(
        batch.map((e) => ({
          event: { id: e.id, schema_id: e.schemaId, payload: e.payload, headers: [] },
          replay_id: encodeReplayId(e.replayId),
        })),
      );
    }
  }

  private keepalive(keepaliveMs: number): void {
    if (this.closed) return;
    if (!this.sessionValid()) {
      this.fail(authError());
      return;
    }
    if (Date.now() - this.lastWrite < keepaliveMs) return;
    this.write([]);
  }

  private write(events: FetchResponseMessage['events']): void {
    this.lastWrite = Date.now();
    this.call.write({
      events,
      latest_replay_id: encodeReplayId(this.position),
      rpc_id: randomUUID(),
      pending_num_requested: this.pending,
    });
  }

  /** Ends the stream with an error status (drop fault, bad request). */
  fail(error: PubSubError): void {
    if (this.closed) return;
    this.close();
    this.call.emit('error', error);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.keepaliveTimer);
    this.stopListening();
  }
}
