import type { SecretBox } from '../crypto/secret-box.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import { ok } from '../outcome/result.ts';
import type {
  WebhookDeliveryRow,
  WebhookRepository,
  WebhookSubscriptionRow,
} from '../store/repositories/webhooks.ts';
import { newSigningSecret } from './signature.ts';
import { checkTargetUrl } from './target-url.ts';
import type { ValueFilter } from './value-filter.ts';
import { secretContext, type WebhookSender } from './webhook-sender.ts';

/** A subscription as callers see it: never the stored (encrypted) secret. */
export type WebhookSubscription = Omit<WebhookSubscriptionRow, 'secret' | 'filter'> & {
  filter: ValueFilter | null;
};
export type WebhookDelivery = Omit<WebhookDeliveryRow, 'payload'> & { payload: unknown };

export interface SubscriptionInput {
  url: string;
  events: string[];
  filter?: ValueFilter;
  description?: string;
  enabled?: boolean;
}

const shown = ({
  secret: _secret,
  filter,
  ...row
}: WebhookSubscriptionRow): WebhookSubscription => ({
  ...row,
  filter: (filter ?? null) as ValueFilter | null,
});

const shownDelivery = (row: WebhookDeliveryRow): WebhookDelivery => ({
  ...row,
  payload: JSON.parse(row.payload) as unknown,
});

/** A workspace's webhook subscriptions, their delivery log, and manual redelivery. */
export class WebhookService {
  constructor(
    private readonly store: WebhookRepository,
    private readonly box: SecretBox,
    private readonly sender: WebhookSender,
    private readonly allowPrivateTargets: boolean,
  ) {}

  /** Saves a subscription; the signing secret is in this answer only. */
  async create(
    workspaceId: string,
    input: SubscriptionInput,
  ): Promise<Outcome<WebhookSubscription & { secret: string }>> {
    const refused = await checkTargetUrl(input.url, this.allowPrivateTargets);
    if (refused) return problem('invalid', refused.code, refused.message);
    const secret = newSigningSecret();
    const row = await this.store.create({
      workspaceId,
      url: input.url,
      events: [...new Set(input.events)],
      filter: input.filter ?? null,
      secret: this.box.encrypt(secret, secretContext(workspaceId)),
      description: input.description ?? null,
    });
    const saved =
      input.enabled === false ? await this.store.update(row.id, { enabled: false }) : row;
    this.sender.subscriptionsChanged(workspaceId);
    return ok({ ...shown(saved), secret });
  }

  async list(workspaceId: string): Promise<WebhookSubscription[]> {
    return (await this.store.list(workspaceId)).map(shown);
  }

  async get(workspaceId: string, id: string): Promise<Outcome<WebhookSubscription>> {
    const row = await this.store.find(workspaceId, id);
    return row ? ok(shown(row)) : notFound(id);
  }

  async update(
    workspaceId: string,
    id: string,
    changes: Partial<SubscriptionInput>,
  ): Promise<Outcome<WebhookSubscription>> {
    const row = await this.store.find(workspaceId, id);
    if (!row) return notFound(id);
    if (changes.url !== undefined) {
      const refused = await checkTargetUrl(changes.url, this.allowPrivateTargets);
      if (refused) return problem('invalid', refused.code, refused.message);
    }
    const updated = await this.store.update(id, {
      ...(changes.url === undefined ? {} : { url: changes.url }),
      ...(changes.events === undefined ? {} : { events: [...new Set(changes.events)] }),
      ...(changes.filter === undefined ? {} : { filter: changes.filter }),
      ...(changes.description === undefined ? {} : { description: changes.description }),
      ...(changes.enabled === undefined ? {} : { enabled: changes.enabled }),
    });
    this.sender.subscriptionsChanged(workspaceId);
    return ok(shown(updated));
  }

  async delete(workspaceId: string, id: string): Promise<Outcome<WebhookSubscription>> {
    const row = await this.store.find(workspaceId, id);
    if (!row) return notFound(id);
    await this.store.delete(id);
    this.sender.subscriptionsChanged(workspaceId);
    return ok(shown(row));
  }

  async deliveries(
    workspaceId: string,
    id: string,
    page: { limit: number; cursor?: string },
  ): Promise<Outcome<{ deliveries: WebhookDelivery[]; nextCursor: string | null }>> {
    if (!(await this.store.find(workspaceId, id))) return notFound(id);
    if (page.cursor) {
      const cursor = await this.store.findDelivery(workspaceId, page.cursor);
      if (cursor?.subscriptionId !== id) {
        return problem('invalid', 'invalid_cursor', 'The cursor does not belong to this list');
      }
    }
    const found = await this.store.listDeliveries(id, page);
    return ok({ deliveries: found.deliveries.map(shownDelivery), nextCursor: found.nextCursor });
  }

  async delivery(workspaceId: string, deliveryId: string): Promise<Outcome<WebhookDelivery>> {
    const row = await this.store.findDelivery(workspaceId, deliveryId);
    return row ? ok(shownDelivery(row)) : deliveryNotFound(deliveryId);
  }

  /**
   * Sends a delivery's event again, as a new delivery with the same event id and body (a
   * receiver that already processed it can drop it by the id), signed afresh when sent.
   */
  async redeliver(workspaceId: string, deliveryId: string): Promise<Outcome<WebhookDelivery>> {
    const original = await this.store.findDelivery(workspaceId, deliveryId);
    if (!original) return deliveryNotFound(deliveryId);
    const subscription = await this.store.find(workspaceId, original.subscriptionId);
    if (!subscription?.enabled) {
      return problem(
        'conflict',
        'webhook_disabled',
        'The subscription is disabled; enable it first',
      );
    }
    const copy = await this.store.createDelivery({
      subscriptionId: original.subscriptionId,
      workspaceId,
      eventId: original.eventId,
      eventType: original.eventType,
      payload: original.payload,
      redeliveryOf: original.id,
    });
    this.sender.kick();
    return ok(shownDelivery(copy));
  }
}

function notFound(id: string) {
  return problem('not_found', 'webhook_not_found', `No webhook ${id}`);
}

function deliveryNotFound(id: string) {
  return problem('not_found', 'delivery_not_found', `No webhook delivery ${id}`);
}
