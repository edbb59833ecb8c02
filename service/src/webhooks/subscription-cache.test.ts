import { describe, expect, it } from 'vitest';
import { EventBus } from '../events/event-bus.ts';
import type { WebhookRepository, WebhookSubscriptionRow } from '../store/repositories/webhooks.ts';
import { SubscriptionCache } from './subscription-cache.ts';
import { WebhookSender } from './webhook-sender.ts';

const subscription = (workspaceId: string, events: string[]) =>
  ({ id: `${workspaceId}-hook`, workspaceId, events, enabled: true }) as WebhookSubscriptionRow;

/** A subscription store that counts its reads (the boundary the cache saves calls to). */
function countingReads(rows: Map<string, WebhookSubscriptionRow[]>) {
  const reads: string[] = [];
  return {
    reads,
    read: async (workspaceId: string) => {
      reads.push(workspaceId);
      return rows.get(workspaceId) ?? [];
    },
  };
}

describe('SubscriptionCache', () => {
  it('reads a workspace once until it is forgotten or its entry expires', async () => {
    const rows = new Map([['w1', [subscription('w1', ['record.created'])]]]);
    const store = countingReads(rows);
    let now = 0;
    const cache = new SubscriptionCache(store.read, 5_000, () => now);

    for (let page = 0; page < 50; page += 1) await cache.enabledFor('w1');
    await cache.enabledFor('w2');
    expect(store.reads).toEqual(['w1', 'w2']);

    // A change through this process: read again at once.
    rows.set('w1', []);
    cache.forget('w1');
    expect(await cache.enabledFor('w1')).toEqual([]);
    expect(store.reads).toEqual(['w1', 'w2', 'w1']);

    // A change through another process: seen once the entry is older than the TTL.
    rows.set('w1', [subscription('w1', ['record.updated'])]);
    now = 4_999;
    expect(await cache.enabledFor('w1')).toEqual([]);
    now = 5_000;
    expect((await cache.enabledFor('w1')).map((row) => row.events)).toEqual([['record.updated']]);
  });

  it('does not remember a failed read', async () => {
    let fail = true;
    const cache = new SubscriptionCache(async () => {
      if (fail) throw new Error('database gone');
      return [];
    }, 5_000);
    await expect(cache.enabledFor('w1')).rejects.toThrow('database gone');
    fail = false;
    expect(await cache.enabledFor('w1')).toEqual([]);
  });
});

describe('WebhookSender and the sync engine’s question', () => {
  it('answers "does a webhook want this?" for every page and type with one read', async () => {
    const rows = new Map([['w1', [subscription('w1', ['record.updated'])]]]);
    let reads = 0;
    const store = {
      enabledFor: async (workspaceId: string) => {
        reads += 1;
        return rows.get(workspaceId) ?? [];
      },
      due: async () => [],
    } as unknown as WebhookRepository;
    const bus = new EventBus();
    const sender = new WebhookSender(
      store,
      {} as never,
      bus,
      { allowPrivateTargets: false, firstRetryMs: 1, retryForMs: 1, timeoutMs: 1, pollMs: 60_000 },
      { error: () => undefined, warn: () => undefined } as never,
    );
    sender.start();
    const types = ['record.created', 'record.updated', 'record.deleted'] as const;
    const answers: string[][] = [];
    for (let page = 0; page < 20; page += 1) {
      answers.push([...(await bus.wanted('w1', [...types]))]);
      answers.push([...(await bus.wanted('w2', [...types]))]);
    }
    expect(new Set(answers.map((answer) => answer.join()))).toEqual(
      new Set(['record.updated', '']),
    );
    expect(reads).toBe(2);

    rows.set('w2', [subscription('w2', ['record.created'])]);
    sender.subscriptionsChanged('w2');
    expect([...(await bus.wanted('w2', [...types]))]).toEqual(['record.created']);
    expect(reads).toBe(3);
    await sender.stop();
  });
});
