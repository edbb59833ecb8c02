/**
 * The retained events of one topic in one org, ordered by replay id. Replay ids grow by a
 * random step so that clients cannot rely on them being contiguous, as on Salesforce.
 */
export interface StoredEvent {
  replayId: bigint;
  /** The event's uuid (`ProducerEvent.id`, the correlation key of a publish). */
  id: string;
  schemaId: string;
  payload: Buffer;
  /** Org clock time of publication, used for retention. */
  publishedAt: number;
}

export type ReplayCheck = 'ok' | 'expired' | 'unknown';

export class EventLog {
  private readonly events: StoredEvent[] = [];
  /** Index of the first live event: expired events are dropped in batches. */
  private head = 0;
  private lastIssued: bigint;
  /** The highest replay id that was purged; replaying from at or below it is refused. */
  private purgedUpTo: bigint;
  /** The position before the first event, which a LATEST subscription reports on an empty topic. */
  private readonly initialPosition: bigint;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly nextStep: () => bigint = () => BigInt(1 + Math.floor(Math.random() * 5)),
    firstReplayId: bigint = BigInt(1_000_000 + Math.floor(Math.random() * 9_000_000)),
  ) {
    this.lastIssued = firstReplayId - 1n;
    this.purgedUpTo = this.lastIssued;
    this.initialPosition = this.lastIssued;
  }

  append(event: Omit<StoredEvent, 'replayId'>): StoredEvent {
    this.lastIssued += this.nextStep();
    // Built field by field: every stored event has the same shape, whatever the caller passed.
    const stored: StoredEvent = {
      id: event.id,
      schemaId: event.schemaId,
      payload: event.payload,
      publishedAt: event.publishedAt,
      replayId: this.lastIssued,
    };
    this.events.push(stored);
    for (const listener of this.listeners) listener();
    return stored;
  }

  /** The replay id of the newest event ever issued (or the position before the first event). */
  latestReplayId(): bigint {
    return this.lastIssued;
  }

  /** The position just before the oldest retained event. */
  earliestPosition(): bigint {
    return this.purgedUpTo;
  }

  size(): number {
    return this.events.length - this.head;
  }

  /** Whether a stored replay id can resume a subscription. */
  check(replayId: bigint): ReplayCheck {
    if (replayId > this.lastIssued) return 'unknown';
    // Nothing purged yet: the position before the first event is as good as any event's.
    if (replayId === this.initialPosition && this.purgedUpTo === this.initialPosition) return 'ok';
    if (replayId <= this.purgedUpTo) return 'expired';
    return 'ok';
  }

  /** Up to `max` events with a replay id strictly greater than `after`. */
  readAfter(after: bigint, max: number): StoredEvent[] {
    let low = this.head;
    let high = this.events.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.events[mid]!.replayId <= after) low = mid + 1;
      else high = mid;
    }
    return this.events.slice(low, low + max);
  }

  /** Drops events published before `cutoff` (org clock, ms). Returns how many were dropped. */
  expireBefore(cutoff: number): number {
    let index = this.head;
    while (index < this.events.length && this.events[index]!.publishedAt < cutoff) index++;
    const dropped = index - this.head;
    if (dropped === 0) return 0;
    this.purgedUpTo = this.events[index - 1]!.replayId;
    this.head = index;
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events.splice(0, this.head);
      this.head = 0;
    }
    return dropped;
  }

  /** Called after every append; returns an unsubscribe. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
