/**
 * A subscription that lives as long as it is wanted: one `Subscribe` stream at a time, flow
 * control that keeps at most `batchSize` (≤ 100) events requested, each batch handed to the
 * caller and only then more requested, and a new stream after any failure: a dropped stream or
 * `UNAVAILABLE` after exponential backoff with full jitter, an expired session after a renewal,
 * silence longer than the keepalive Salesforce promises (270 s) at once. Every new stream starts
 * after the replay id the caller says it last committed, so nothing is skipped and nothing the
 * caller committed is delivered again.
 * https://developer.salesforce.com/docs/platform/pub-sub-api/guide/flow-control.html
 */
import type * as grpc from '@grpc/grpc-js';
import type { Session } from '../client.ts';
import type { FetchRequestMessage, FetchResponseMessage } from './proto.ts';
import { PubSubError, type DecodedEvent, type PubSubClient } from './pubsub-client.ts';

/** Salesforce's limit of events per FetchRequest. */
export const MAX_EVENTS_PER_FETCH = 100;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface EventStreamOptions {
  topicName: string;
  /** The replay id to resume after (the last one committed), or undefined for LATEST. */
  resumeAfter: () => Promise<Buffer | undefined>;
  /** Applies and commits a batch; more events are requested only once it resolves. */
  onEvents: (events: DecodedEvent[]) => Promise<void>;
  /**
   * Salesforce no longer retains the stored replay id (older than its retention, or invalid):
   * catch up another way; the stream then starts at LATEST.
   */
  onReplayRejected: () => Promise<void>;
  onState?: (state: StreamState, detail?: string) => void;
  /** Events requested at a time (≤ 100). */
  batchSize?: number;
  /** Silence after which the stream is taken for dead; Salesforce sends a keepalive within 270 s. */
  keepaliveTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export class EventStream {
  private readonly abort = new AbortController();
  private call: grpc.ClientDuplexStream<unknown, unknown> | undefined;
  private running: Promise<void> | undefined;
  private startAtLatest = false;
  /** Failures in a row; reset by a delivered batch. */
  private failures = 0;

  constructor(
    private readonly client: PubSubClient,
    private readonly options: EventStreamOptions,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Ends the stream; resolves once the batch being applied (if any) has committed. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.call?.cancel();
    await this.running;
    this.options.onState?.('stopped');
  }

  /** Drops the current stream, as a network failure would (a new one follows). */
  reconnect(): void {
    this.call?.cancel();
  }

  private async loop(): Promise<void> {
    const { backoff = { initialMs: 250, maxMs: 30_000 } } = this.options;
    let session = await this.sessionOrUndefined();
    while (!this.abort.signal.aborted) {
      this.options.onState?.(this.failures === 0 ? 'connecting' : 'reconnecting');
      try {
        if (!session) session = await this.client.session();
        await this.runStream(session);
      } catch (thrown) {
        if (this.abort.signal.aborted) break;
        const error = PubSubError.from(thrown);
        if (error.unauthenticated && session) {
          try {
            session = await this.client.refresh(session);
            continue;
          } catch (refreshError) {
            this.options.onState?.('reconnecting', (refreshError as Error).message);
            session = undefined;
          }
        } else if (error.replayIdRejected) {
          try {
            await this.options.onReplayRejected();
            this.startAtLatest = true;
            continue;
          } catch (reconcileError) {
            this.options.onState?.('reconnecting', (reconcileError as Error).message);
          }
        } else {
          this.options.onState?.('reconnecting', error.message);
        }
        this.failures += 1;
        const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** (this.failures - 1));
        // Full jitter: many subscribers dropped at once do not come back at once.
        await sleep(Math.random() * ceiling, this.abort.signal);
      }
    }
  }

  private async sessionOrUndefined(): Promise<Session | undefined> {
    try {
      return await this.client.session();
    } catch {
      return undefined;
    }
  }

  /** One Subscribe stream, until it fails or the subscription stops. */
  private async runStream(session: Session): Promise<void> {
    const batchSize = Math.min(
      MAX_EVENTS_PER_FETCH,
      this.options.batchSize ?? MAX_EVENTS_PER_FETCH,
    );
    const resumeAfter = this.startAtLatest ? undefined : await this.options.resumeAfter();
    const call = this.client.openSubscribe(session);
    this.call = call;
    const keepaliveTimeoutMs = this.options.keepaliveTimeoutMs ?? 300_000;
    let watchdog: NodeJS.Timeout | undefined;
    let liveTimer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => call.cancel(), keepaliveTimeoutMs);
      watchdog.unref();
    };
    const first: FetchRequestMessage = {
      topic_name: this.options.topicName,
      num_requested: batchSize,
      ...(resumeAfter
        ? { replay_preset: 'CUSTOM', replay_id: resumeAfter }
        : { replay_preset: 'LATEST' }),
    };
    // An error before the first message would otherwise be thrown outside the loop below.
    call.on('error', () => {});
    try {
      if (this.abort.signal.aborted) return;
      arm();
      call.write(first);
      let live = false;
      const becomeLive = () => {
        if (live || this.abort.signal.aborted) return;
        live = true;
        this.startAtLatest = false;
        this.options.onState?.('live');
      };
      // Salesforce answers nothing until there are events or a keepalive is due: the stream is
      // taken as live once the server sent its headers, or it refused nothing for a second (a
      // bad topic, replay id or session is refused at once).
      call.once('metadata', becomeLive);
      liveTimer = setTimeout(becomeLive, 1_000);
      liveTimer.unref();
      for await (const message of call as AsyncIterable<FetchResponseMessage>) {
        arm();
        becomeLive();
        if (message.events.length === 0) continue;
        const events = [];
        for (const event of message.events) events.push(await this.client.decode(event));
        await this.options.onEvents(events);
        this.failures = 0;
        if (this.abort.signal.aborted) return;
        // Replenish what was consumed: the requested total never exceeds the batch size.
        call.write({ num_requested: message.events.length } satisfies FetchRequestMessage);
      }
      if (!this.abort.signal.aborted) {
        // The server closed the stream: a new one follows, after the usual backoff.
        throw new PubSubError(14, 'stream.ended', 'The Pub/Sub stream ended');
      }
    } finally {
      clearTimeout(watchdog);
      clearTimeout(liveTimer);
      call.cancel();
      if (this.call === call) this.call = undefined;
    }
  }
}
