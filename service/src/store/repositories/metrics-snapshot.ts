import type { MetricsFigures } from '../../metrics/service-metrics.ts';
import type { PrismaClient } from '../database.ts';

/** Counts of a job that are records written; `unchanged` and `skipped` wrote nothing. */
const WRITTEN = ['created', 'updated', 'deleted', 'linked'];

/** Reads the figures of `/metrics`: a few grouped queries, no per-record reads. */
export async function readMetricsSnapshot(prisma: PrismaClient): Promise<MetricsFigures> {
  const [jobs, finished, connections, leases] = await Promise.all([
    prisma.syncJob.groupBy({ by: ['kind', 'status'], _count: { _all: true } }),
    prisma.syncJob.findMany({
      where: { finishedAt: { not: null } },
      select: { connectionId: true, counts: true },
    }),
    prisma.connection.findMany({
      select: { id: true, workspaceId: true, apiCallCount: true, authCallCount: true },
    }),
    prisma.realtimeLease.findMany({
      select: { connectionId: true, state: true, eventsApplied: true, lagMs: true },
    }),
  ]);
  const synced = new Map<string, number>();
  for (const job of finished) {
    const counts = (job.counts ?? {}) as Record<string, unknown>;
    for (const action of WRITTEN) {
      const count = counts[action];
      if (typeof count !== 'number' || count === 0) continue;
      const key = `${job.connectionId}\u0000${action}`;
      synced.set(key, (synced.get(key) ?? 0) + count);
    }
  }
  return {
    jobsByStatus: jobs.map((row) => ({
      kind: row.kind,
      status: row.status,
      count: row._count._all,
    })),
    recordsSynced: [...synced].map(([key, count]) => {
      const [connectionId = '', action = ''] = key.split('\u0000');
      return { connectionId, action, count };
    }),
    connections: connections.map((row) => ({
      connectionId: row.id,
      workspaceId: row.workspaceId,
      apiCalls: row.apiCallCount,
      authCalls: row.authCallCount,
    })),
    subscribers: leases,
  };
}
