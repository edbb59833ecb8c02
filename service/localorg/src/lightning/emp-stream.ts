/**
 * The server side of the local org's `lightning/empApi`: one server-sent events stream per
 * subscription, fed from the org's event bus, each event in the shape empApi hands a callback,
 * `{ channel, data: { schema, payload, event: { replayId } } }` (CometD's JSON: date-times as
 * ISO 8601 text; https://developer.salesforce.com/docs/component-library/bundle/lightning-emp-api/documentation).
 * replayId -1 starts after the newest event, -2 at the oldest retained one, another number after
 * that event when it is still retained. The stream says `subscribed` once it listens, so a
 * component that subscribes before publishing misses nothing; a refusal is a `failure` event
 * with a Bayeux-style error text. Each event's `id:` is its replay id, so a browser that
 * reconnects (Last-Event-ID) resumes after the last event it received.
 */
import type { Request, Response } from 'express';
import type { EventBus } from '../events/event-bus.ts';
import type { StoredEvent } from '../events/event-log.ts';

/** Comments keep idle streams open through proxies (CometD reconnects every 40 s or so). */
const HEARTBEAT_MS = 25_000;
const BATCH = 100;

function write(res: Response, event: string | undefined, data: unknown, id?: string): void {
  const lines = [
    ...(id === undefined ? [] : [`id: ${id}`]),
    ...(event === undefined ? [] : [`event: ${event}`]),
    `data: ${JSON.stringify(data)}`,
  ];
  res.write(`${lines.join('\n')}\n\n`);
}

function startPosition(
  requested: string,
  lastEventId: string | undefined,
  log: ReturnType<EventBus['log']>,
): bigint | string {
  const value = lastEventId ?? requested;
  if (!/^-?\d+$/.test(value)) return `400::Invalid replayId: ${value}`;
  const replayId = BigInt(value);
  if (replayId === -1n) return log.latestReplayId();
  if (replayId === -2n) return log.earliestPosition();
  if (replayId < 0n) return `400::Invalid replayId: ${value}`;
  const check = log.check(replayId);
  if (check === 'ok') return replayId;
  return `400::The replayId {${value}} you provided was invalid. Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;
}

/** Streams `channel` of `orgId` until the browser goes away. */
export function empStream(bus: EventBus, orgId: string, req: Request, res: Response): void {
  res.status(200);
  res.set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-store',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const channel = String(req.query['channel'] ?? '');
  const topic = bus.topic(orgId, channel);
  if (!topic) {
    write(res, 'failure', { error: `403::Unknown channel: ${channel}` });
    res.end();
    return;
  }
  const log = bus.log(orgId, topic.name);
  const lastEventId = req.get('last-event-id') || undefined;
  const start = startPosition(String(req.query['replayId'] ?? '-1'), lastEventId, log);
  if (typeof start === 'string') {
    write(res, 'failure', { error: start });
    res.end();
    return;
  }
  let cursor = start;
  const deliver = (event: StoredEvent): void => {
    const schema = bus.schemaById(event.schemaId);
    if (!schema) return;
    const decoded = schema.type.fromBuffer(event.payload) as Record<string, unknown>;
    const payload: Record<string, unknown> = {};
    for (const field of schema.fields) {
      if (!(field.name in decoded)) continue;
      const value = decoded[field.name];
      payload[field.name] =
        field.kind === 'scalar' && field.fieldType === 'datetime' && typeof value === 'number'
          ? new Date(value).toISOString()
          : value;
    }
    const replayId = Number(event.replayId);
    write(
      res,
      undefined,
      { channel, data: { schema: event.schemaId, payload, event: { replayId } } },
      String(event.replayId),
    );
  };
  const drain = (): void => {
    for (;;) {
      const events = log.readAfter(cursor, BATCH);
      for (const event of events) deliver(event);
      if (events.length < BATCH) {
        if (events.length) cursor = events[events.length - 1]!.replayId;
        return;
      }
      cursor = events[events.length - 1]!.replayId;
    }
  };
  const stop = log.onAppend(drain);
  // The subscription reports the replay option it was made with, as empApi's subscription does.
  write(res, 'subscribed', { channel, replayId: Number(req.query['replayId'] ?? -1) });
  drain();
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  req.on('close', () => {
    clearInterval(heartbeat);
    stop();
  });
}
