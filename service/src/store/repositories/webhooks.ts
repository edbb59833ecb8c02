import type { PrismaClient } from '../database.ts';

export interface WebhookSubscriptionRow {
  id: string;
  workspaceId: string;
  url: string;
  events: string[];
  filter: unknown;
  /** Encrypted (SecretBox); only the webhook use case opens it, to sign. */
  secret: string;
  enabled: boolean;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

export interface WebhookDeliveryRow {
  id: string;
  subscriptionId: string;
  workspaceId: string;
  eventId: string;
  eventType: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  redeliveryOf: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

type StoredSubscription = Omit<WebhookSubscriptionRow, 'events'> & { events: unknown };
const toSubscription = (row: StoredSubscription): WebhookSubscriptionRow => ({
  ...row,
  events: row.events as string[],
});
const toDelivery = (row: Omit<WebhookDeliveryRow, 'status'> & { status: string }) =>
  ({ ...row, status: row.status as DeliveryStatus }) satisfies WebhookDeliveryRow;

/** Webhook subscriptions and their delivery log. */
export class WebhookRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(input: {
    workspaceId: string;
    url: string;
    events: string[];
    filter: unknown;
    secret: string;
    description: string | null;
  }): Promise<WebhookSubscriptionRow> {
    const { filter, ...rest } = input;
    return toSubscription(
      await this.prisma.webhookSubscription.create({
        data: { ...rest, ...(filter === null ? {} : { filter: filter as never }) },
      }),
    );
  }

  async list(workspaceId: string): Promise<WebhookSubscriptionRow[]> {
    const rows = await this.prisma.webhookSubscription.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toSubscription);
  }

  async find(workspaceId: string, id: string): Promise<WebhookSubscriptionRow | null> {
    const row = await this.prisma.webhookSubscription.findFirst({ where: { id, workspaceId } });
    return row ? toSubscription(row) : null;
  }

  /** Changes what is given; a filter can be replaced, not removed (delete and create again). */
  async update(
    id: string,
    changes: Partial<Pick<WebhookSubscriptionRow, 'url' | 'events' | 'enabled' | 'description'>> & {
      filter?: unknown;
    },
  ): Promise<WebhookSubscriptionRow> {
    const { filter, ...rest } = changes;
    const data = { ...rest, ...(filter === undefined ? {} : { filter: filter as never }) };
    return toSubscription(await this.prisma.webhookSubscription.update({ where: { id }, data }));
  }

  async delete(id: string): Promise<void> {
    await this.prisma.webhookSubscription.delete({ where: { id } });
  }

  /** The enabled subscriptions of a workspace (filtering by event type is the caller's). */
  async enabledFor(workspaceId: string): Promise<WebhookSubscriptionRow[]> {
    const rows = await this.prisma.webhookSubscription.findMany({
      where: { workspaceId, enabled: true },
    });
    return rows.map(toSubscription);
  }

  async createDelivery(input: {
    subscriptionId: string;
    workspaceId: string;
    eventId: string;
    eventType: string;
    payload: string;
    redeliveryOf?: string;
  }): Promise<WebhookDeliveryRow> {
    return toDelivery(
      await this.prisma.webhookDelivery.create({
        data: { ...input, status: 'pending', nextAttemptAt: new Date() },
      }),
    );
  }

  /** New deliveries of many events at once (a sync page's record events), due now. */
  async createDeliveries(
    inputs: readonly {
      subscriptionId: string;
      workspaceId: string;
      eventId: string;
      eventType: string;
      payload: string;
    }[],
  ): Promise<void> {
    const now = new Date();
    for (let at = 0; at < inputs.length; at += 1000) {
      await this.prisma.webhookDelivery.createMany({
        data: inputs
          .slice(at, at + 1000)
          .map((input) => ({ ...input, status: 'pending', nextAttemptAt: now })),
      });
    }
  }

  async findDelivery(workspaceId: string, id: string): Promise<WebhookDeliveryRow | null> {
    const row = await this.prisma.webhookDelivery.findFirst({ where: { id, workspaceId } });
    return row ? toDelivery(row) : null;
  }

  /** A subscription's deliveries, newest first, a page at a time (cursor: a delivery id). */
  async listDeliveries(
    subscriptionId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ deliveries: WebhookDeliveryRow[]; nextCursor: string | null }> {
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { subscriptionId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    const deliveries = rows.slice(0, page.limit).map(toDelivery);
    return {
      deliveries,
      nextCursor: rows.length > page.limit ? (deliveries.at(-1)?.id ?? null) : null,
    };
  }

  /** Pending deliveries whose next attempt is due, oldest first. */
  async due(now: Date, limit: number): Promise<WebhookDeliveryRow[]> {
    const rows = await this.prisma.webhookDelivery.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: now } },
      orderBy: [{ nextAttemptAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map(toDelivery);
  }

  /**
   * Claims an attempt: only the process whose conditional update matches the attempt count it
   * read sends it (several processes share one PostgreSQL). The lease moves the next attempt
   * past the send's timeout, so an attempt lost with its process is tried again after it.
   */
  async claim(delivery: WebhookDeliveryRow, leaseUntil: Date): Promise<boolean> {
    const claimed = await this.prisma.webhookDelivery.updateMany({
      where: { id: delivery.id, status: 'pending', attempts: delivery.attempts },
      data: { attempts: delivery.attempts + 1, nextAttemptAt: leaseUntil },
    });
    return claimed.count === 1;
  }

  async settle(
    id: string,
    outcome: {
      status: DeliveryStatus;
      nextAttemptAt: Date | null;
      lastStatusCode: number | null;
      lastError: string | null;
      deliveredAt?: Date;
    },
  ): Promise<void> {
    await this.prisma.webhookDelivery.update({ where: { id }, data: outcome });
  }
}
