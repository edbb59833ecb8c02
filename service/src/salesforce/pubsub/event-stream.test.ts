/**
 * Flow control and batching of EventStream against a fake Subscribe call (the gRPC boundary):
 * events that arrive while a batch applies go over together as the next batch, no FetchRequest
 * asks for more than 100, and no more than a batch's worth is held besides the batch in hand.
 */
import type { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EventStream } from './event-stream.ts';
import type { DecodedEvent, PubSubClient } from './pubsub-client.ts';

/** A Subscribe call: responses are pushed by the test, requests are recorded. */
function fakeCall() {
  const responses = new PassThrough({ objectMode: true });
  const requests: Record<string, unknown>[] = [];
  const call = Object.assign(responses, {
    write: (request: Record<string, unknown>) => {
      requests.push(request);
      return true;
    },
    cancel: () => responses.destroy(Object.assign(new Error('Cancelled'), { code: 1 })),
  });
  return { call: call as unknown as EventEmitter, requests, responses };
}

/** A Pub/Sub client whose every Subscribe call is a new fake call, kept in `calls`. */
function fakeClient() {
  const calls: ReturnType<typeof fakeCall>[] = [];
  const client = {
    session: async () => ({ accessToken: 't', instanceUrl: 'https://x' }),
    openSubscribe: () => {
      const next = fakeCall();
      calls.push(next);
      return next.call;
    },
    decode: async (event: { replay_id: Buffer }): Promise<DecodedEvent> => ({
      replayId: event.replay_id,
      eventId: String(event.replay_id[0]),
      schemaId: 's',
      payload: {},
    }),
  } as unknown as PubSubClient;
  return { client, calls };
}

const events = (from: number, count: number) => ({
  events: Array.from({ length: count }, (_, i) => ({ replay_id: Buffer.from([from + i]) })),
});

describe('EventStream batches', () => {
  it('hands over what arrived while a batch applied as one batch, within flow control', async () => {
    const { client, calls } = fakeClient();
    const batches: number[] = [];
    let release: () => void = () => {};
    let applied = 0;
    const stream = new EventStream(client, {
      topicName: '/event/Pryzm_Record_Change__e',
      resumeAfter: async () => undefined,
      onReplayRejected: async () => {},
      batchSize: 100,
      maxBatch: 200,
      onEvents: async (batch) => {
        batches.push(batch.length);
        if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
        applied += batch.length;
      },
    });
    stream.start();
    await expect.poll(() => calls[0]?.requests.length).toBe(1);
    const { requests, responses } = calls[0]!;
    responses.push(events(0, 50));
    await expect.poll(() => batches).toEqual([50]);
    // While the first batch applies, two more bursts arrive.
    responses.push(events(50, 50));
    responses.push(events(100, 50));
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    await expect.poll(() => applied).toBe(150);
    expect(batches).toEqual([50, 100]);
    expect(requests[0]).toMatchObject({ num_requested: 100, replay_preset: 'LATEST' });
    const asked = requests.map((r) => Number(r['num_requested']));
    expect(asked.every((n) => n > 0 && n <= 100)).toBe(true);
    // Requested, minus received: never more than a batch's worth outstanding.
    expect(asked.reduce((a, b) => a + b, 0) - 150).toBeLessThanOrEqual(200);
    await stream.stop();
  });
});

describe('EventStream after a refused replay id', () => {
  /** What Salesforce answers a replay id past its retention (INVALID_ARGUMENT, its error code). */
  const replayIdCorrupted = () =>
    Object.assign(new Error('The Replay ID validation failed.'), {
      code: 3,
      details: 'The Replay ID validation failed.',
      metadata: {
        get: () => ['sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted'],
      },
    });

  it('subscribes at LATEST first, then catches up, and hands over no event before the catch-up', async () => {
    const { client, calls } = fakeClient();
    const log: string[] = [];
    let catchUps = 0;
    let finishCatchUp: () => void = () => {};
    const stream = new EventStream(client, {
      topicName: '/data/AccountChangeEvent',
      backoff: { initialMs: 1, maxMs: 1 },
      resumeAfter: async () => Buffer.from([7]),
      onEvents: async (batch) => {
        log.push(`applied ${batch.length}`);
      },
      onReplayRejected: async () => {
        catchUps += 1;
        log.push(`catch-up ${catchUps} after ${calls.length} subscriptions`);
        if (catchUps === 1) throw new Error('the database is unreachable');
        await new Promise<void>((resolve) => (finishCatchUp = resolve));
        log.push('caught up');
      },
      onState: (state) => log.push(state),
    });
    stream.start();
    await expect.poll(() => calls[0]?.requests.length).toBe(1);
    expect(calls[0]!.requests[0]).toMatchObject({ replay_preset: 'CUSTOM' });
    calls[0]!.responses.destroy(replayIdCorrupted());

    // The new subscription starts at LATEST; once live, the catch-up runs, and fails.
    await expect.poll(() => calls[1]?.requests.length).toBe(1);
    expect(calls[1]!.requests[0]).toMatchObject({ replay_preset: 'LATEST' });
    calls[1]!.responses.emit('metadata', {});
    // A failed catch-up ends that stream; the next one starts at LATEST again and catches up again.
    await expect.poll(() => calls[2]?.requests.length).toBe(1);
    expect(calls[2]!.requests[0]).toMatchObject({ replay_preset: 'LATEST' });
    calls[2]!.responses.emit('metadata', {});
    await expect.poll(() => catchUps).toBe(2);
    calls[2]!.responses.push(events(10, 3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log).not.toContain('applied 3');
    finishCatchUp();
    await expect.poll(() => log).toContain('applied 3');
    expect(log.filter((entry) => !['connecting', 'reconnecting'].includes(entry))).toEqual([
      'reconciling',
      'catch-up 1 after 2 subscriptions',
      'reconciling',
      'catch-up 2 after 3 subscriptions',
      'caught up',
      'live',
      'applied 3',
    ]);
    await stream.stop();
  });
});
