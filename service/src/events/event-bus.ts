import { randomUUID } from 'node:crypto';

/**
 * What happened in a workspace, as webhooks and server-sent events carry it. Record events are
 * published by the record use case (API and console writes) and by the sync engine after each
 * committed page (pulls, real-time batches, deletes, conflict resolution); job and conflict
 * events by the sync jobs. `job.progress` is for live views only: webhooks cannot subscribe to it.
 */
export const EVENT_TYPES = [
  'record.created',
  'record.updated',
  'record.deleted',
  'job.progress',
  'job.finished',
  'job.failed',
  'conflict.created',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The event types a webhook may subscribe to (progress is too chatty to POST). */
export const WEBHOOK_EVENT_TYPES = EVENT_TYPES.filter((type) => type !== 'job.progress');

export interface PryzmEvent {
  /** Unique per event; a receiver uses it to drop a delivery it already processed. */
  id: string;
  type: EventType;
  workspaceId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Takes the events of one publication (one API write, or one committed page of a sync). */
export type EventListener = (events: readonly PryzmEvent[]) => void;

export interface SubscribeOptions {
  /** Only this workspace's events. */
  workspaceId?: string;
  /** Only these types. */
  types?: ReadonlySet<string>;
  /**
   * `local`: only events this process published (webhook fan-out and the relay to other
   * processes, which must each happen once). `any` (default): also events other processes
   * published and the relay brought here (event streams).
   */
  origin?: 'local' | 'any';
  /**
   * Whether the listener wants events of a type in a workspace when the publisher asks before
   * building them (a big sync page skips that work when nobody wants it). Without it, the
   * workspace and type filters answer.
   */
  wants?: (workspaceId: string, type: EventType) => boolean | Promise<boolean>;
}

interface Subscription extends SubscribeOptions {
  listener: EventListener;
}

/**
 * A publisher inside one process: use cases and sync jobs publish, webhooks, SSE streams and
 * (on PostgreSQL) the relay to other processes listen. Listeners run synchronously and must not
 * throw into the publisher (a failing listener is reported through `onListenerError` and the
 * others still run); slow work belongs in the listener's own queue.
 */
export class EventBus {
  private readonly subscriptions = new Set<Subscription>();
  private readonly closeListeners = new Set<() => void>();
  private readonly watchListeners = new Set<(workspaceId: string) => void>();
  private closed = false;

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  publish(type: EventType, workspaceId: string, data: Record<string, unknown>): PryzmEvent {
    const [event] = this.publishMany(type, workspaceId, [data]);
    return event!;
  }

  /** One event per item, handed to each listener as one batch. */
  publishMany(
    type: EventType,
    workspaceId: string,
    items: readonly Record<string, unknown>[],
  ): PryzmEvent[] {
    if (items.length === 0) return [];
    const occurredAt = new Date().toISOString();
    const events = items.map((data) => ({ id: randomUUID(), type, workspaceId, occurredAt, data }));
    this.deliver(events, 'local');
    return events;
  }

  /** Events another process published (brought by the relay): event streams see them. */
  deliverRemote(events: readonly PryzmEvent[]): void {
    this.deliver(events, 'remote');
  }

  /**
   * The types among `types` that some listener wants in the workspace: a publisher asks this
   * before building many events, and builds none when the answer is empty.
   */
  async wanted(workspaceId: string, types: readonly EventType[]): Promise<Set<EventType>> {
    const found = new Set<EventType>();
    for (const subscription of this.subscriptions) {
      for (const type of types) {
        if (found.has(type)) continue;
        const wants = subscription.wants
          ? await subscription.wants(workspaceId, type)
          : matches(subscription, workspaceId, type);
        if (wants) found.add(type);
      }
      if (found.size === types.length) break;
    }
    return found;
  }

  /** Adds a listener; the function returned removes it. */
  subscribe(listener: EventListener, options: SubscribeOptions = {}): () => void {
    const subscription = { ...options, listener };
    this.subscriptions.add(subscription);
    if (options.origin !== 'local' && options.workspaceId !== undefined) {
      for (const watch of this.watchListeners) watch(options.workspaceId);
    }
    return () => this.subscriptions.delete(subscription);
  }

  /** Called when a listener starts watching a workspace (see `watchedWorkspaces`). */
  onWatch(listener: (workspaceId: string) => void): () => void {
    this.watchListeners.add(listener);
    return () => this.watchListeners.delete(listener);
  }

  /** Called once when the service stops (a stream ends then, instead of holding the stop). */
  onClose(listener: () => void): () => void {
    if (this.closed) {
      listener();
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    for (const listener of this.closeListeners) listener();
    this.closeListeners.clear();
  }

  /**
   * Workspaces that a listener taking other processes' events watches (an open event stream):
   * the relay tells the other processes, so they relay those workspaces' events here.
   */
  watchedWorkspaces(): Set<string> {
    const watched = new Set<string>();
    for (const subscription of this.subscriptions) {
      if (subscription.origin !== 'local' && subscription.workspaceId !== undefined) {
        watched.add(subscription.workspaceId);
      }
    }
    return watched;
  }

  get listenerCount(): number {
    return this.subscriptions.size;
  }

  private deliver(events: readonly PryzmEvent[], origin: 'local' | 'remote'): void {
    for (const subscription of this.subscriptions) {
      if (origin === 'remote' && subscription.origin === 'local') continue;
      const chosen = events.filter((event) => matches(subscription, event.workspaceId, event.type));
      if (chosen.length === 0) continue;
      try {
        subscription.listener(chosen);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }
}

function matches(options: SubscribeOptions, workspaceId: string, type: string): boolean {
  return (
    (options.workspaceId === undefined || options.workspaceId === workspaceId) &&
    (options.types === undefined || options.types.has(type))
  );
}
