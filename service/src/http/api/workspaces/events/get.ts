import type { RequestHandler } from 'express';
import { z } from 'zod';
import { EVENT_TYPES, type PryzmEvent } from '../../../../events/event-bus.ts';
import type { PryzmValues } from '../../../../mapping/attribute-types.ts';
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
 * service stops (EventSource reconnects by itself after `retry` ms). Events are those of the
 * process serving the stream; a record's sensitive attributes are hidden from Viewers.
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
    const send = (event: PryzmEvent) => {
      queue = queue
        .then(async () => {
          const visible = await visibleToCaller(services, event, role);
          if (!res.writableEnded) {
            res.write(
              `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(visible)}\n\n`,
            );
          }
        })
        .catch(() => end());
    };
    const unsubscribe = services.events.subscribe((event) => {
      if (event.workspaceId !== workspaceId) return;
      if (types && !types.has(event.type)) return;
      send(event);
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

async function visibleToCaller(
  services: Services,
  event: PryzmEvent,
  role: ReturnType<typeof roleOfCaller>,
): Promise<PryzmEvent> {
  const record = event.data.record as { recordType: string; values: PryzmValues } | undefined;
  if (!record) return event;
  const values = await services.fieldHiding.forReader(
    event.workspaceId,
    record.recordType,
    record.values,
    role,
  );
  return { ...event, data: { ...event.data, record: { ...record, values } } };
}
