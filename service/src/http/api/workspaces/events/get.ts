import type { RequestHandler } from 'express';
import { z } from 'zod';
import { EVENT_TYPES, type PryzmEvent } from '../../../../events/event-bus.ts';
import type { PryzmValues } from '../../../../mapping/attribute-types.ts';
import { seesSensitive, withoutKeys } from '../../../../access/field-hiding.ts';
import type { Services } from '../../../../services.ts';
import { roleOfCaller } from '../../../auth/principal.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { parseInput } from '../../../validation.ts';
import { param } from '../../params.ts';

const typeList = z
  .string()
  .max(500)
  .transform((text) => text.split(',').map((type) => type.trim()))
  .pipe(z.array(z.enum(EVENT_TYPES)).min(1));

export const getEventsContract = defineContract({
  summary: 'Server-sent events of the workspace: job progress and ends, record changes, conflicts',
  query: z.object({ types: typeList.optional() }).strict(),
  produces: 'text/event-stream',
  responses: {
    200: z
      .string()
      .describe(
        'A text/event-stream: `id:` (the event id), `event:` (its type) and `data:` (the event ' +
          'as JSON, as webhooks carry it) per event; a `: heartbeat` comment between them',
      ),
  },
});

/**
 * GET /api/workspaces/:workspaceId/events?types=job.progress,job.finished: a stream that stays
 * open. Heartbeat comments keep proxies from closing an idle stream; the stream ends when the
 * service stops (EventSource reconnects by itself after `retry` ms). On PostgreSQL the stream
 * also carries what other service processes published (the event relay); a record's sensitive
 * attributes are hidden from Viewers.
 */
export function getEvents(services: Services, heartbeatMs: number): RequestHandler {
  return (req, res, next) => {
    let types: Set<string> | null;
    try {
      const query = parseInput(getEventsContract.query, req.query);
      types = query.types ? new Set(query.types) : null;
    } catch (error) {
      next(error);
      return;
    }
    const workspaceId = param(req, 'workspaceId');
    const role = roleOfCaller(req);
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('connection', 'keep-alive');
    // Nginx and similar proxies buffer responses unless told not to.
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    res.write('retry: 3000\n: connected\n\n');

    // Events are written in order even when hiding a record's fields takes a database read.
    let queue = Promise.resolve();
    const send = (events: readonly PryzmEvent[]) => {
      queue = queue
        .then(async () => {
          const visible = await visibleToCaller(services, events, role);
          if (res.writableEnded) return;
          res.write(
            visible
              .map(
                (event) =>
                  `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`,
              )
              .join(''),
          );
        })
        .catch(() => end());
    };
    // Events of other processes on the same database come through the relay (PostgreSQL).
    const unsubscribe = services.events.subscribe(send, {
      workspaceId,
      ...(types ? { types } : {}),
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unsubscribe();
      stopOnClose();
      if (!res.writableEnded) res.end();
    };
    const stopOnClose = services.events.onClose(end);
    req.on('close', end);
    res.on('error', end);
  };
}

/** The events with a record's sensitive attributes taken out when the caller may not see them. */
async function visibleToCaller(
  services: Services,
  events: readonly PryzmEvent[],
  role: ReturnType<typeof roleOfCaller>,
): Promise<readonly PryzmEvent[]> {
  if (seesSensitive(role)) return events;
  // One read per record type in the batch (a sync page carries thousands of one type).
  const hiddenByType = new Map<string, Promise<Set<string>>>();
  const visible: PryzmEvent[] = [];
  for (const event of events) {
    const record = event.data.record as { recordType: string; values: PryzmValues } | undefined;
    if (!record) {
      visible.push(event);
      continue;
    }
    let hidden = hiddenByType.get(record.recordType);
    if (!hidden) {
      hidden = services.fieldHiding.sensitiveAttributes(event.workspaceId, record.recordType);
      hiddenByType.set(record.recordType, hidden);
    }
    const values = withoutKeys(record.values, await hidden);
    visible.push({ ...event, data: { ...event.data, record: { ...record, values } } });
  }
  return visible;
}
