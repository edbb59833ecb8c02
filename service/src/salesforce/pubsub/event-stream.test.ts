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

const events = (from: number, count: number) => ({
  events: Array.from({ length: count }, (_, i) => ({ replay_id: Buffer.from([from + i]) })),
});

describe('EventStream batches', () => {
  it('hands over what arrived while a batch applied as one batch, within flow control', async () => {
    const { call, requests, responses } = fakeCall();
    const client = {
      session: async () => ({ accessToken: 't', instanceUrl: 'https://x' }),
      openSubscribe: () => call,
      decode: async (event: { replay_id: Buffer }): Promise<DecodedEvent> => ({
        replayId: event.replay_id,
        eventId: String(event.replay_id[0]),
        schemaId: 's',
        payload: {},
      }),
    } as unknown as PubSubClient;
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
    await expect.poll(() => requests.length).toBe(1);
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
