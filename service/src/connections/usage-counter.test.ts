import { describe, expect, it } from 'vitest';
import { UsageCounter, type UsageStore } from './usage-counter.ts';

/** A store whose UPDATE takes a while to commit, as a database's does under load. */
function slowStore(delayMs: number) {
  const totals = new Map<string, { api: number; auth: number }>();
  const store: UsageStore = {
    async addUsage(id, api, auth) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      const total = totals.get(id) ?? { api: 0, auth: 0 };
      totals.set(id, { api: total.api + api, auth: total.auth + auth });
    },
  };
  return { store, totals };
}

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe('UsageCounter', () => {
  it('should let flush() wait for a write already under way', async () => {
    const { store, totals } = slowStore(20);
    const counter = new UsageCounter(store, (error) => {
      throw error;
    });
    counter.recorder('c1')('api');
    await nextTick(); // the scheduled write has taken the batch and its UPDATE is in flight
    await nextTick();
    await counter.flush();
    expect(totals.get('c1'), 'the count is stored once flush() resolves').toEqual({
      api: 1,
      auth: 0,
    });
  });

  it('should write counts recorded during a write in a later write, losing none', async () => {
    const { store, totals } = slowStore(5);
    const counter = new UsageCounter(store, (error) => {
      throw error;
    });
    const record = counter.recorder('c1');
    record('api');
    await nextTick();
    record('api');
    record('auth');
    await counter.flush();
    expect(totals.get('c1')).toEqual({ api: 2, auth: 1 });
  });

  it('should report a failed scheduled write and keep counting', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const counter = new UsageCounter(
      {
        async addUsage() {
          if (fail) throw new Error('database gone');
        },
      },
      (error) => errors.push(error),
    );
    counter.recorder('c1')('api');
    await nextTick();
    await nextTick();
    await counter.flush();
    expect(errors).toHaveLength(1);
    fail = false;
    counter.recorder('c1')('api');
    await expect(counter.flush()).resolves.toBeUndefined();
  });
});
