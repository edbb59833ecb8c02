import { describe, expect, it } from 'vitest';
import type { Logger } from '../../logging/logger.ts';
import { Scheduler } from './scheduler.ts';
import type { SyncJobs } from './sync-jobs.ts';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const quiet = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Logger;

function scheduler(state: {
  schedules: { connectionId: string; minutes: number }[];
  active?: string[];
  lastQueued?: Record<string, Date>;
}) {
  const started: string[] = [];
  const prunedBefore: Date[] = [];
  const repositories = {
    mappings: {
      intervalSchedules: async () =>
        state.schedules.map((schedule) => ({ workspaceId: 'w', ...schedule })),
    },
    syncJobs: {
      hasActive: async (connectionId: string) => (state.active ?? []).includes(connectionId),
      lastQueuedAt: async (connectionId: string) => state.lastQueued?.[connectionId] ?? null,
      prune: async (before: Date) => {
        prunedBefore.push(before);
        return 0;
      },
    },
  };
  const jobs = {
    start: async (_workspaceId: string, connectionId: string) => {
      started.push(connectionId);
      return { ok: true, value: {} };
    },
  } as unknown as SyncJobs;
  const subject = new Scheduler(
    repositories as never,
    jobs,
    { tickMs: 60_000, retentionDays: 30 },
    quiet,
  );
  return { subject, started, prunedBefore };
}

describe('Scheduler', () => {
  it('should start a sync for a connection whose interval has passed, and only for it', async () => {
    const { subject, started } = scheduler({
      schedules: [
        { connectionId: 'due', minutes: 15 },
        { connectionId: 'recent', minutes: 15 },
        { connectionId: 'never-ran', minutes: 60 },
      ],
      lastQueued: { due: minutesAgo(16), recent: minutesAgo(5) },
    });
    expect(await subject.tick(NOW)).toEqual(['due', 'never-ran']);
    expect(started).toEqual(['due', 'never-ran']);
  });

  it('should not queue behind a job that is still queued or running', async () => {
    const { subject, started } = scheduler({
      schedules: [{ connectionId: 'busy', minutes: 5 }],
      active: ['busy'],
      lastQueued: { busy: minutesAgo(600) },
    });
    await subject.tick(NOW);
    expect(started).toEqual([]);
  });

  it('should delete finished jobs older than the retention period', async () => {
    const { subject, prunedBefore } = scheduler({ schedules: [] });
    await subject.tick(NOW);
    expect(prunedBefore).toEqual([new Date('2026-11-06T12:00:00.000Z')]);
  });
});
