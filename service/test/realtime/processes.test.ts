import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import { apiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import type { Provider } from '../../src/store/migrations/migration-files.ts';
import {
  expectBothSidesMatch,
  openServiceDatabase,
  salesforceAdmin,
} from '../support/pull-state.ts';
import { startProcessStack, type ProcessStack } from '../support/process-stack.ts';
import type { ServiceProcess } from '../support/service-process.ts';
import { salesforceApi } from '../support/sync.ts';
import { eventually, pubSubEnv, REALTIME_USERS } from './support.ts';

const ACCOUNTS = 150;

/** The real-time org (an admin whose writes fire the Flows), service processes subscribing. */
const startRealtimeProcessStack = (provider: Provider, accounts: number) =>
  startProcessStack(provider, {
    seed: { accounts, contacts: 0, opportunities: 0 },
    users: REALTIME_USERS,
    env: pubSubEnv,
    connectAs: REALTIME_USERS[1]!.username,
  });

/** A stack of service processes with one connection, pulled and listening to `flows`. */
async function connected(stack: ProcessStack, first: ServiceProcess) {
  const { ws, connectionId } = await stack.connect(first);
  const pulled = await ws.client.post<{ id: string }>(
    `/api/workspaces/${ws.id}/connections/${connectionId}/jobs`,
    { kind: 'pull', mode: 'full' },
  );
  await eventually(
    async () =>
      (await ws.client.get<{ status: string }>(`/api/workspaces/${ws.id}/jobs/${pulled.body.id}`))
        .body.status === 'succeeded'
        ? true
        : undefined,
    'the full pull',
    60_000,
  );
  const patched = await ws.client.patch(`/api/workspaces/${ws.id}/connections/${connectionId}`, {
    changeSource: 'flows',
  });
  expect(patched.status).toBe(200);
  return { ws, connectionId };
}

function helpers(stack: ProcessStack, database: Database, connectionId: string) {
  const sf = salesforceApi(stack.local, stack.org);
  return {
    lease: () => database.prisma.realtimeLease.findUnique({ where: { connectionId } }),
    async waitLive(holderOtherThan?: string) {
      return eventually(
        async () => {
          const lease = await database.prisma.realtimeLease.findUnique({ where: { connectionId } });
          return lease?.state === 'live' && lease.holderId !== holderOtherThan ? lease : undefined;
        },
        'a live subscription',
        40_000,
      );
    },
    /**
     * Waits for the catch-up pull a new subscription queues: run beside a burst, it may read the
     * renames itself, and real time then finds them unchanged (no `updated` result of its own).
     */
    async waitNoPull() {
      await eventually(
        async () =>
          (await database.prisma.syncJob.count({
            where: {
              connectionId,
              kind: 'pull',
              status: { in: ['queued', 'running', 'waiting_for_allowance'] },
            },
          })) === 0
            ? true
            : undefined,
        'the catch-up pull',
        60_000,
      );
    },
    async renameAll(prefix: string): Promise<Map<string, string>> {
      const rows = await sf.soql<{ Id: string }>('SELECT Id FROM Account ORDER BY Id');
      const names = new Map(rows.map((row, i) => [row.Id, `${prefix} ${i}`]));
      await sf.request('composite/sobjects', {
        method: 'PATCH',
        body: JSON.stringify({
          allOrNone: false,
          records: rows.map((row) => ({
            attributes: { type: 'Account' },
            Id: row.Id,
            Name: names.get(row.Id),
          })),
        }),
      });
      return names;
    },
    async expectApplied(names: Map<string, string>, since: Date, workspaceId: string) {
      await eventually(
        async () => {
          const links = await database.prisma.link.findMany({
            where: { connectionId, salesforceObject: 'Account' },
            include: { record: { select: { values: true } } },
          });
          const now = new Map(
            links.map((l) => [l.salesforceId, (l.record.values as { name?: string }).name]),
          );
          return [...names].every(([id, name]) => now.get(id) === name) ? true : undefined;
        },
        'every rename in Pryzm',
        60_000,
      );
      await expectBothSidesMatch({
        database,
        salesforce: salesforceAdmin(stack.local, stack.org.id),
        workspaceId,
        connectionId,
        objects: ['Account'],
        pryzmIdField: 'pryzm__Pryzm_ID__c',
      });
      const updated = await database.prisma.syncRecordResult.groupBy({
        by: ['salesforceId'],
        where: {
          action: 'updated',
          createdAt: { gte: since },
          job: { connectionId, kind: 'realtime' },
        },
        _count: { _all: true },
      });
      expect(updated).toHaveLength(names.size);
      expect(updated.filter((row) => row._count._all !== 1)).toEqual([]);
    },
  };
}

describe.each(PROVIDERS)('real-time sync killed with SIGKILL on %s', (provider) => {
  let stack: ProcessStack;
  let database: Database;
  beforeAll(async () => {
    stack = await startRealtimeProcessStack(provider, ACCOUNTS);
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await stack?.close();
  });

  it('should resume from the stored replay id after a SIGKILL mid-burst: nothing lost, nothing twice', async () => {
    const first = await stack.startService();
    const { ws, connectionId } = await connected(stack, first);
    database = await openServiceDatabase(stack.databaseUrl);
    const h = helpers(stack, database, connectionId);
    await h.waitLive();
    await h.waitNoPull();
    const since = new Date();
    const before = (await h.lease())!.eventsApplied;
    const names = await h.renameAll('Killed');
    await eventually(
      async () => ((await h.lease())!.eventsApplied > before ? true : undefined),
      'the first batch',
    );
    await first.kill();
    const second = await stack.startService();
    await h.expectApplied(names, since, ws.id);
    const lease = await h.lease();
    expect(lease?.holderId).toMatch(new RegExp(`:${second.child.pid}$`));
  }, 180_000);
});

describe('two service processes on one PostgreSQL database', () => {
  let stack: ProcessStack;
  let database: Database;
  beforeAll(async () => {
    stack = await startRealtimeProcessStack('postgresql', 20);
  }, 60_000);
  afterAll(async () => {
    await database?.close();
    await stack?.close();
  });

  it('should hold each subscription in one process and hand it over within 30 s of a SIGKILL', async () => {
    const processes = [await stack.startService(), await stack.startService()];
    const { ws, connectionId } = await connected(stack, processes[0]!);
    database = await openServiceDatabase(stack.databaseUrl);
    const h = helpers(stack, database, connectionId);
    const live = await h.waitLive();
    await h.waitNoPull();
    // One change applied: the holder has stored a replay id to resume from.
    const warmUp = await h.renameAll('Before The Kill');
    await h.expectApplied(warmUp, new Date(0), ws.id);
    const holder = processes.find((p) => live.holderId!.endsWith(`:${p.child.pid}`))!;
    const other = processes.find((p) => p !== holder)!;
    expect(holder).toBeDefined();
    const killedAt = Date.now();
    await holder.kill();
    const names = await h.renameAll('Handed Over');
    const since = new Date(killedAt);
    const taken = await h.waitLive(live.holderId!);
    expect(taken.holderId).toMatch(new RegExp(`:${other.child.pid}$`));
    await h.expectApplied(names, since, ws.id);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    // The connection's health, from the process still running, shows the subscription held.
    const survivor = apiClient(other.url, ws.key);
    let last: unknown;
    await eventually(async () => {
      const health = await survivor.get<{ realtime: { state: string; held: boolean } }>(
        `/api/workspaces/${ws.id}/connections/${connectionId}`,
      );
      last = health.body;
      return health.body.realtime?.state === 'live' && health.body.realtime.held ? true : undefined;
    }, 'the health of the handed-over subscription').catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(last)}`);
    });
  }, 180_000);
});
