import { z } from 'zod';
import { EVENT_TYPES, WEBHOOK_EVENT_TYPES } from '../../../../events/event-bus.ts';
import { valueFilterSchema } from '../../../../webhooks/value-filter.ts';
import type { WebhookDelivery, WebhookSubscription } from '../../../../webhooks/webhook-service.ts';
import { recordAnswer } from '../../../contract/answers.ts';
import { timestamp } from '../../../contract/route-contract.ts';

/** What a subscription is made of, as a request body. */
export const subscriptionBody = z
  .object({
    url: z.string().url().max(2000),
    events: z
      .array(z.enum(WEBHOOK_EVENT_TYPES as [string, ...string[]]))
      .min(1)
      .max(WEBHOOK_EVENT_TYPES.length),
    filter: valueFilterSchema.optional(),
    description: z.string().max(500).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const webhookAnswer = z.object({
  id: z.string().uuid(),
  url: z.string(),
  events: z.array(z.string()),
  filter: valueFilterSchema.nullable(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

/**
 * An event as webhooks and server-sent event streams carry it: `data` holds a record (record
 * events; `changed` on updates, `source` when the sync engine wrote it), a job (job events) or a
 * conflict (`conflict.created`).
 */
export const eventAnswer = z.object({
  id: z.string().uuid(),
  type: z.enum(EVENT_TYPES),
  workspaceId: z.string().uuid(),
  occurredAt: timestamp,
  data: z.object({
    record: recordAnswer.optional(),
    changed: z.array(z.string()).optional().describe('The attributes a record update wrote'),
    source: z
      .object({
        kind: z.literal('sync'),
        jobId: z.string().uuid().nullable(),
        connectionId: z.string().uuid().nullable(),
      })
      .optional()
      .describe('Set when the sync engine wrote the record'),
    job: z
      .object({
        id: z.string().uuid(),
        connectionId: z.string().uuid(),
        kind: z.string(),
        mode: z.string(),
        startedBy: z.string(),
        status: z.string(),
        error: z.string().nullable().optional(),
        counts: z.record(z.string(), z.number().int()).optional(),
        apiCalls: z.number().int().optional(),
      })
      .optional(),
    conflict: z
      .object({
        id: z.string().uuid(),
        connectionId: z.string().uuid(),
        recordId: z.string().uuid(),
        salesforceObject: z.string(),
        salesforceId: z.string(),
        attributes: z.array(z.string()),
        jobId: z.string().uuid().nullable(),
      })
      .optional(),
  }),
});

export const deliveryAnswer = z.object({
  id: z.string().uuid(),
  webhookId: z.string().uuid(),
  eventId: z.string().uuid(),
  eventType: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: timestamp.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  redeliveryOf: z.string().uuid().nullable(),
  createdAt: timestamp,
  deliveredAt: timestamp.nullable(),
  /** The body exactly as it was (or will be) signed and sent. */
  payload: eventAnswer,
});

export const webhookView = (row: WebhookSubscription) => ({
  id: row.id,
  url: row.url,
  events: row.events,
  filter: row.filter,
  description: row.description,
  enabled: row.enabled,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const deliveryView = (row: WebhookDelivery) => ({
  id: row.id,
  webhookId: row.subscriptionId,
  eventId: row.eventId,
  eventType: row.eventType,
  status: row.status,
  attempts: row.attempts,
  nextAttemptAt: row.nextAttemptAt,
  lastStatusCode: row.lastStatusCode,
  lastError: row.lastError,
  redeliveryOf: row.redeliveryOf,
  createdAt: row.createdAt,
  deliveredAt: row.deliveredAt,
  payload: row.payload,
});
