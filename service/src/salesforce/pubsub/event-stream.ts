/**
 * A subscription that lives as long as it is wanted: one `Subscribe` stream at a time, flow
 * control that never asks for more than 100 events per FetchRequest nor holds more than a batch's
 * worth unapplied, and a new stream after any failure: a dropped stream or `UNAVAILABLE` after
 * exponential backoff with full jitter, an expired session after a renewal, silence longer than
 * the keepalive Salesforce promises (270 s) at once. Every new stream starts after the replay id
 * the caller says it last committed, so nothing is skipped and nothing the caller committed is
 * delivered again.
 *
 * Batches adapt to the load: events are read as they come while the caller applies the previous
 * batch, and everything received meanwhile (up to `maxBatch`) is handed over as the next batch.
 * An idle stream hands a change over at once; a busy one in larger batches, so the caller's
 * fixed cost per batch (a query, a transaction) is paid once for many events.
 * https://developer.salesforce.com/docs/platform/pub-sub-api/guide/flow-control.html
 */
import type * as grpc from '@grpc/grpc-js';
import type { Session } from '../client.ts';
import type { FetchRequestMessage, FetchResponseMessage } from './proto.ts';
import { PubSubError, type DecodedEvent, type PubSubClient } from './pubsub-client.ts';

/** Salesforce's limit of events per FetchRequest. */
export const MAX_EVENTS_PER_FETCH = 100;

/**
 * How long a batch waits for the rest of a response that filled its request. Salesforce holds
 * at most 100 requested events per Subscribe call across all its FetchRequests
 * (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/flow-control.html), so the
 * next ones can only be asked for once a full response arrived: if they are on the server
 * already (the rest of a transaction's events, published together), they come one round trip
 * later. Nothing in the response says whether they exist: `pending_num_requested` counts the
 * requested events not delivered yet, 0 after a full response
 * (https://developer.salesforce.com/docs/platform/pub-sub-api/references/methods/subscribe-rpc.html),
 * and `latest_replay_id` is the subscription's latest position, for the client to keep
 * (https://github.com/forcedotcom/pub-sub-api/blob/main/pubsub_api.proto), not the bus's
 * newest event. So the wait is bounded instead: 20 ms, about a round trip to a Pub/Sub endpoint
 * in the service's own region. On a longer route the rest comes as the next batch (one more
 * read back, nothing lost); the wait is paid in full only after a full response that nothing
 * follows.
 */
const FILL_WAIT_MS = 20;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'reconciling' | 'stopped';

export interface EventStreamOptions {
  topicName: string;
  /** The replay id to resume after (the last one committed), or undefined for LATEST. */
  resumeAfter: () => Promise<Buffer | undefined>;
  /** Applies and commits a batch; more events are requested only once it resolves. */
  onEvents: (events: DecodedEvent[]) => Promise<void>;
  /**
   * Salesforce no longer retains the stored replay id (older than its retention, or invalid).
   * The stream then subscribes at LATEST and, once that subscription is live, calls this for
   * the caller to catch up another way and forget the refused id; none of the new
   * subscription's events is handed over before it resolves. Catching up after the new
   * subscription opened, not before, leaves no moment that neither of them covers. While it
   * fails, the stream starts again at LATEST and calls it again.
   */
  onReplayRejected: () => Promise<void>;
  onState?: (state: StreamState, detail?: string) => void;
  /** Events asked for per FetchRequest (≤ 100, Salesforce's limit). */
  batchSize?: number;
  /**
   * Most events handed to `onEvents` at once, and most held besides the batch being applied
   * (received, or requested and not yet received): a busy stream reads ahead while a batch
   * applies. Defaults to `batchSize`.
   */
  maxBatch?: number;
  /**
   * Under load (events arrived within this long before a batch's first one), wait up to this
   * long for a batch to fill before handing it over: fewer, larger batches at the cost of that
   * much latency. 0: hand over whatever arrived at once.
   */
  lingerMs?: number;
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
  /** The stored replay id was refused and the caller has not caught up yet. */
  private catchUpPending = false;
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
          // At once, at LATEST; the catch-up follows once that subscription is live (runStream).
          this.catchUpPending = true;
          continue;
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
    const perFetch = Math.min(MAX_EVENTS_PER_FETCH, this.options.batchSize ?? MAX_EVENTS_PER_FETCH);
    const maxBatch = Math.max(perFetch, this.options.maxBatch ?? perFetch);
    const resumeAfter = this.catchUpPending ? undefined : await this.options.resumeAfter();
    const call = await this.client.openSubscribe(session);
    this.call = call;
    const keepaliveTimeoutMs = this.options.keepaliveTimeoutMs ?? 300_000;
    let watchdog: NodeJS.Timeout | undefined;
    let liveTimer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => call.cancel(), keepaliveTimeoutMs);
      watchdog.unref();
    };
    // An error before the first message would otherwise be thrown outside the loop below.
    call.on('error', () => {});
    const batches = new BatchQueue(maxBatch, this.options.lingerMs ?? 0);
    // Requested from the server and not yet received: at most 100, and never more than the
    // room left for a batch (received events wait in `batches` until the next one is taken).
    let outstanding = perFetch;
    const replenish = () => {
      const want = Math.min(perFetch - outstanding, maxBatch - batches.size - outstanding);
      if (want <= 0 || this.abort.signal.aborted) return;
      outstanding += want;
      call.write({ num_requested: want } satisfies FetchRequestMessage);
    };
    // After a refused replay id: the caller's catch-up, started once this stream is live.
    let catchingUp: Promise<boolean> | undefined;
    let catchUpError: unknown;
    const applying = this.applyBatches(batches, replenish, () => catchingUp).catch(
      (error: unknown) => {
        call.cancel();
        throw error;
      },
    );
    // Surfaced once the receiving loop is over, below.
    applying.catch(() => {});
    let streamError: unknown;
    try {
      if (this.abort.signal.aborted) return;
      arm();
      call.write({
        topic_name: this.options.topicName,
        num_requested: perFetch,
        ...(resumeAfter
          ? { replay_preset: 'CUSTOM', replay_id: resumeAfter }
          : { replay_preset: 'LATEST' }),
      } satisfies FetchRequestMessage);
      let live = false;
      const becomeLive = () => {
        if (live || this.abort.signal.aborted) return;
        live = true;
        if (!this.catchUpPending) {
          this.options.onState?.('live');
          return;
        }
        this.options.onState?.('reconciling');
        catchingUp = this.options.onReplayRejected().then(
          () => {
            this.catchUpPending = false;
            this.options.onState?.('live');
            return true;
          },
          (error: unknown) => {
            catchUpError = error;
            call.cancel();
            return false;
          },
        );
      };
      // Salesforce answers nothing until there are events or a keepalive is due: the stream is
      // taken as live once the server sent its headers, or it refused nothing for a second (a
      // bad topic, replay id or session is refused at once).
      call.once('metadata', becomeLive);
      liveTimer = setTimeout(becomeLive, 1_000);
      liveTimer.unref();
      try {
        for await (const message of call as AsyncIterable<FetchResponseMessage>) {
          arm();
          becomeLive();
          if (message.events.length === 0) continue;
          const events = [];
          for (const event of message.events) events.push(await this.client.decode(event));
          // The server sends at most what was requested: a response that brought all of it
          // suggests more are waiting (the rest of a transaction's events, 200 for a
          // Collections call), so ask for them at once and let the batch wait a moment for them
          // (one read-back for the transaction instead of two, the second after the first).
          const filled = events.length >= outstanding;
          outstanding = Math.max(0, outstanding - events.length);
          batches.push(events, filled);
          if (filled) replenish();
        }
      } catch (error) {
        streamError = error;
      }
    } finally {
      clearTimeout(watchdog);
      clearTimeout(liveTimer);
      // What was received is applied before a new stream starts (it resumes after the last
      // committed replay id); a stop applies nothing more than the batch in hand.
      batches.end();
      await catchingUp;
      await applying.catch(() => {});
      call.cancel();
      if (this.call === call) this.call = undefined;
    }
    await applying;
    if (this.abort.signal.aborted) return;
    if (catchUpError) throw catchUpError;
    if (streamError) throw streamError;
    // The server closed the stream: a new one follows, after the usual backoff.
    throw new PubSubError(14, 'stream.ended', 'The Pub/Sub stream ended');
  }

  /** Hands batches to the caller one at a time, until the queue ends or the stream stops. */
  private async applyBatches(
    batches: BatchQueue,
    replenish: () => void,
    catchingUp: () => Promise<boolean> | undefined,
  ): Promise<void> {
    for (;;) {
      const batch = await batches.take(this.abort.signal);
      if (!batch) return;
      // A catch-up that failed ends the stream: the next one starts at LATEST and catches up
      // again, which covers these events' changes too.
      if ((await catchingUp()) === false) return;
      // Room was made: the next events stream in while this batch applies.
      replenish();
      await this.options.onEvents(batch);
      this.failures = 0;
    }
  }
}

/**
 * Events received and not yet handed over. `take` answers everything held (up to `max`) as soon
 * as there is something, except under load with a linger, when it waits for the batch to fill
 * or the linger to pass.
 */
class BatchQueue {
  private readonly held: DecodedEvent[] = [];
  private lastArrival = 0;
  /** When the batch held began to fill under load (0: not under load). */
  private busySince = 0;
  /** Until when the batch waits for the rest of a response that filled its request (0: not). */
  private fillUntil = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly max: number,
    private readonly lingerMs: number,
  ) {}

  get size(): number {
    return this.held.length;
  }

  /** `filled`: the response brought every event requested, so more are likely on their way. */
  push(events: DecodedEvent[], filled = false): void {
    const now = Date.now();
    // Under load: this arrival follows the last one within the linger.
    if (this.held.length === 0) this.busySince = now - this.lastArrival < this.lingerMs ? now : 0;
    this.lastArrival = now;
    this.held.push(...events);
    this.fillUntil = filled && this.held.length < this.max ? now + FILL_WAIT_MS : 0;
    this.notify();
  }

  /** No more events will come: `take` answers what is held, then undefined. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  async take(signal: AbortSignal): Promise<DecodedEvent[] | undefined> {
    for (;;) {
      if (signal.aborted) return undefined;
      if (this.held.length > 0) {
        const now = Date.now();
        const lingerLeft = this.busySince > 0 ? this.busySince + this.lingerMs - now : 0;
        const waitLeft = Math.max(lingerLeft, this.fillUntil - now);
        if (this.held.length >= this.max || this.ended || waitLeft <= 0) {
          this.fillUntil = 0;
          return this.held.splice(0, this.max);
        }
        await this.wait(signal, waitLeft);
        continue;
      }
      if (this.ended) return undefined;
      await this.wait(signal);
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private wait(signal: AbortSignal, timeoutMs?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
