import { randomUUID } from 'node:crypto';

/**
 * What happened in a workspace, as webhooks and server-sent events carry it. Record events are
 * published by the record use case (API and console writes); job and conflict events by the sync
 * jobs. `job.progress` is for live views only: webhooks cannot subscribe to it.
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

export type EventListener = (event: PryzmEvent) => void;

/**
 * An in-process publisher: use cases and sync jobs publish, webhooks and SSE streams listen.
 * Listeners run synchronously and must not throw into the publisher (a failing listener is
 * reported through `onListenerError` and the others still run); slow work belongs in the
 * listener's own queue. Events live in the process that published them only.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly closeListeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  publish(type: EventType, workspaceId: string, data: Record<string, unknown>): PryzmEvent {
    const event: PryzmEvent = {
      id: randomUUID(),
      type,
      workspaceId,
      occurredAt: new Date().toISOString(),
      data,
    };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    return event;
  }

  /** Adds a listener; the function returned removes it. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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

  get listenerCount(): number {
    return this.listeners.size;
  }
}
