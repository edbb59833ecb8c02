import type { SecretBox } from '../crypto/secret-box.ts';
import { WEBHOOK_EVENT_TYPES, type EventBus, type PryzmEvent } from '../events/event-bus.ts';
import type { Logger } from '../logging/logger.ts';
import type { WebhookDeliveryRow, WebhookRepository } from '../store/repositories/webhooks.ts';
import { postOnce } from './http-post.ts';
import { SIGNATURE_HEADER, signatureHeader } from './signature.ts';
import { SubscriptionCache } from './subscription-cache.ts';
import { matchesFilter, type ValueFilter } from './value-filter.ts';

export interface WebhookSettings {
  allowPrivateTargets: boolean;
  firstRetryMs: number;
  retryForMs: number;
  timeoutMs: number;
  pollMs: number;
  /**
   * How long this process trusts the subscriptions it read for a workspace when another process
   * may have changed them (changes through this process apply at once). 5 s unless set.
   */
  subscriptionCacheMs?: number;
}

const SUBSCRIPTION_CACHE_MS = 5_000;

/** Removes what a webhook must not carry (attributes an Admin marked sensitive). */
export type PayloadRedactor = (events: readonly PryzmEvent[]) => Promise<readonly PryzmEvent[]>;

const MAX_RETRY_WAIT_MS = 3_600_000;
const PARALLEL_SENDS = 4;

export const secretContext = (workspaceId: string) => `webhook-secret:${workspaceId}`;

/** What a filter reads of an event: a record's values, or the fields of a job or conflict. */
export function filterValues(event: PryzmEvent): Record<string, unknown> {
  const subject = (event.data.record ?? event.data.job ?? event.data.conflict ?? {}) as Record<
    string,
    unknown
  >;
  return (event.data.record ? (subject.values as Record<string, unknown>) : subject) ?? {};
}

/**
 * Turns events into deliveries and sends them. Each matching subscription gets a delivery row
 * holding the exact body it will be signed over; attempts are claimed in the database, retried
 * with doubling waits until `retryForMs` after the delivery was created, and picked up again by
 * whichever process polls next, so a restart resumes where the last one stopped.
 */
export class WebhookSender {
  private readonly inFlight = new Set<Promise<unknown>>();
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private readonly subscriptions: SubscriptionCache;

  constructor(
    private readonly store: WebhookRepository,
    private readonly box: SecretBox,
    private readonly events: EventBus,
    private readonly settings: WebhookSettings,
    private readonly logger: Logger,
    private readonly redact: PayloadRedactor = async (events) => events,
  ) {
    this.subscriptions = new SubscriptionCache(
      (workspaceId) => this.store.enabledFor(workspaceId),
      settings.subscriptionCacheMs ?? SUBSCRIPTION_CACHE_MS,
    );
  }

  /**
   * Whether an enabled subscription of the workspace takes `type`. A sync page asks this for
   * each event type before it builds its events: answered from the cache, so a workspace
   * without webhooks costs no query per page.
   */
  async wants(workspaceId: string, type: string): Promise<boolean> {
    return (await this.subscriptions.enabledFor(workspaceId)).some((s) => s.events.includes(type));
  }

  /** The workspace's subscriptions were created, changed or deleted: read them again. */
  subscriptionsChanged(workspaceId: string): void {
    this.subscriptions.forget(workspaceId);
  }

  start(): void {
    this.stopped = false;
    // Only this process's events: the process that published an event fans it out, once.
    this.unsubscribe = this.events.subscribe((events) => this.track(this.fanOut(events)), {
      origin: 'local',
      types: new Set(WEBHOOK_EVENT_TYPES),
      wants: (workspaceId, type) => this.wants(workspaceId, type),
    });
    this.timer = setInterval(() => this.kick(), this.settings.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Stops taking events and polling; waits for the attempts already under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    while (this.inFlight.size > 0 || this.draining) {
      await Promise.allSettled([...this.inFlight, this.draining]);
    }
  }

  /** Looks for due deliveries now (after a new delivery, a retry's wait, or on the poll). */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.logger.error({ err: error }, 'webhook delivery loop failed'))
      .finally(() => {
        this.draining = null;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.kick();
        }
      });
  }

  private track(work: Promise<unknown>): void {
    const tracked = work
      .catch((error: unknown) => this.logger.error({ err: error }, 'webhook fan-out failed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /**
   * One delivery per event and matching subscription, each holding the exact body it will be
   * signed over. The events of one publication (a sync page) share one read of the
   * subscriptions, one pass of field hiding and multi-row inserts.
   */
  private async fanOut(events: readonly PryzmEvent[]): Promise<void> {
    const workspaceId = events[0]?.workspaceId;
    if (!workspaceId) return;
    const types = new Set<string>(events.map((event) => event.type));
    const known = await this.subscriptions.enabledFor(workspaceId);
    if (!known.some((subscription) => subscription.events.some((type) => types.has(type)))) return;
    // Someone listens: the deliveries are written against the subscriptions as stored now (one
    // read per publication), so one deleted or disabled elsewhere gets none.
    const subscriptions = await this.store.enabledFor(workspaceId);
    const matched = events.flatMap((event) => {
      const targets = subscriptions.filter(
        (subscription) =>
          event.workspaceId === workspaceId &&
          subscription.events.includes(event.type) &&
          matchesFilter((subscription.filter ?? null) as ValueFilter | null, filterValues(event)),
      );
      return targets.length > 0 ? [{ event, targets }] : [];
    });
    if (matched.length === 0) return;
    const visible = await this.redact(matched.map((entry) => entry.event));
    const deliveries = matched.flatMap(({ event, targets }, index) => {
      const shown = visible[index]!;
      const payload = JSON.stringify({
        id: shown.id,
        type: shown.type,
        workspaceId: shown.workspaceId,
        occurredAt: shown.occurredAt,
        data: shown.data,
      });
      return targets.map((subscription) => ({
        subscriptionId: subscription.id,
        workspaceId,
        eventId: event.id,
        eventType: event.type,
        payload,
      }));
    });
    await this.store.createDeliveries(deliveries);
    this.kick();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const due = await this.store.due(new Date(), 50);
      if (due.length === 0 || this.stopped) return;
      for (let index = 0; index < due.length; index += PARALLEL_SENDS) {
        await Promise.all(due.slice(index, index + PARALLEL_SENDS).map((d) => this.attempt(d)));
      }
      if (due.length < 50) return;
    }
  }

  private async attempt(delivery: WebhookDeliveryRow): Promise<void> {
    const lease = new Date(Date.now() + this.settings.timeoutMs * 2 + 1000);
    if (!(await this.store.claim(delivery, lease))) return;
    const attempts = delivery.attempts + 1;
    const subscription = await this.store.find(delivery.workspaceId, delivery.subscriptionId);
    if (!subscription || !subscription.enabled) {
      await this.store.settle(delivery.id, {
        status: 'failed',
        nextAttemptAt: null,
        lastStatusCode: null,
        lastError: 'The subscription was disabled or deleted',
      });
      return;
    }
    const secret = this.box.decrypt(subscription.secret, secretContext(subscription.workspaceId));
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await postOnce(
      subscription.url,
      delivery.payload,
      {
        [SIGNATURE_HEADER]: signatureHeader(secret, timestamp, delivery.payload),
        'pryzm-event-id': delivery.eventId,
        'pryzm-event-type': delivery.eventType,
        'pryzm-delivery-id': delivery.id,
        'pryzm-delivery-attempt': String(attempts),
      },
      { timeoutMs: this.settings.timeoutMs, allowPrivate: this.settings.allowPrivateTargets },
    );
    const status = 'status' in result ? result.status : null;
    const error = 'error' in result ? result.error.slice(0, 500) : null;
    if (status !== null && status >= 200 && status < 300) {
      await this.store.settle(delivery.id, {
        status: 'succeeded',
        nextAttemptAt: null,
        lastStatusCode: status,
        lastError: null,
        deliveredAt: new Date(),
      });
      return;
    }
    const wait = Math.min(this.settings.firstRetryMs * 2 ** (attempts - 1), MAX_RETRY_WAIT_MS);
    const next = Date.now() + wait;
    const givesUp = next - delivery.createdAt.getTime() > this.settings.retryForMs;
    await this.store.settle(delivery.id, {
      status: givesUp ? 'failed' : 'pending',
      nextAttemptAt: givesUp ? null : new Date(next),
      lastStatusCode: status,
      lastError: error ?? `HTTP ${status}`,
    });
    this.logger.warn(
      { deliveryId: delivery.id, attempts, status, error, retryInMs: givesUp ? null : wait },
      givesUp ? 'webhook delivery failed for good' : 'webhook delivery failed; it will be retried',
    );
    if (!givesUp) setTimeout(() => this.kick(), wait).unref();
  }
}
