import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../support/databases.ts';
import { expectBothSidesMatch, salesforceAdmin } from '../support/pull-state.ts';
import { salesforceApi } from '../support/sync.ts';
import {
  eventually,
  noPullRunning,
  setChangeSource,
  startRealtimeStack,
  type RealtimeStack,
} from './support.ts';

const ACCOUNTS = 150;

describe.each(PROVIDERS)('real-time sync under faults on %s', (provider) => {
  let stack: RealtimeStack;
  const sf = () => salesforceApi(stack.local, stack.org);
  const control = (path: string, body: unknown = {}) =>
    fetch(`${stack.org.instanceUrl}/_localorg/orgs/${stack.org.id}/events/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const health = async () =>
    (
      await stack.ws.client.get<{ realtime: { state: string; eventsApplied: number } }>(
        `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}`,
      )
    ).body.realtime;

  /** Renames every Account in one sObject Collections call: one event per record. */
  async function renameAll(prefix: string): Promise<Map<string, string>> {
    const rows = await sf().soql<{ Id: string }>('SELECT Id FROM Account ORDER BY Id');
    const names = new Map(rows.map((row, i) => [row.Id, `${prefix} ${i}`]));
    await sf().request('composite/sobjects', {
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
  }

  /** Every Account's name in Pryzm, by Salesforce Id, through the links. */
  async function namesInPryzm(): Promise<Map<string, unknown>> {
    const links = await stack.service.database.prisma.link.findMany({
      where: { connectionId: stack.connectionId, salesforceObject: 'Account' },
      include: { record: { select: { values: true } } },
    });
    return new Map(
      links.map((link) => [link.salesforceId, (link.record.values as { name?: unknown }).name]),
    );
  }

  async function expectAllApplied(names: Map<string, string>, what: string) {
    await eventually(
      async () => {
        const now = await namesInPryzm();
        return [...names].every(([id, name]) => now.get(id) === name) ? true : undefined;
      },
      what,
      30_000,
    );
    await expectBothSidesMatch({
      database: stack.service.database,
      salesforce: salesforceAdmin(stack.local, stack.org.id),
      workspaceId: stack.ws.id,
      connectionId: stack.connectionId,
      objects: ['Account'],
      pryzmIdField: 'pryzm__Pryzm_ID__c',
    });
  }

  /** Real-time results per Salesforce Id with the action "updated" since `since`. */
  async function updatesSince(since: Date): Promise<Map<string, number>> {
    const results = await stack.service.database.prisma.syncRecordResult.findMany({
      where: {
        action: 'updated',
        createdAt: { gte: since },
        job: { connectionId: stack.connectionId, kind: 'realtime' },
      },
      select: { salesforceId: true },
    });
    const counts = new Map<string, number>();
    for (const { salesforceId } of results) {
      counts.set(salesforceId!, (counts.get(salesforceId!) ?? 0) + 1);
    }
    return counts;
  }

  beforeAll(async () => {
    stack = await startRealtimeStack(provider);
    stack.local.seed(stack.org.id, { accounts: ACCOUNTS, contacts: 0, opportunities: 0 });
    const pulled = await stack.ws.client.post<{ id: string }>(
      `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}/jobs`,
      { kind: 'pull', mode: 'full' },
    );
    await eventually(
      async () => {
        const job = await stack.ws.client.get<{ status: string }>(
          `/api/workspaces/${stack.ws.id}/jobs/${pulled.body.id}`,
        );
        return job.body.status === 'succeeded' ? true : undefined;
      },
      'the full pull',
      30_000,
    );
    await setChangeSource(stack, 'flows');
    // The catch-up pull a new subscription queues may read the burst's renames itself (then
    // real time finds them unchanged): let it finish before the burst.
    await noPullRunning(stack, 'the catch-up pull');
  });
  afterAll(() => stack?.close());

  it('should lose nothing and apply nothing twice when the stream drops in the middle of a burst', async () => {
    const since = new Date();
    const before = (await health()).eventsApplied;
    const names = await renameAll('Burst');
    // Drop the streams once the first batches are in, with the rest of the burst still to come.
    await eventually(
      async () => ((await health()).eventsApplied > before ? true : undefined),
      'the first batch',
    );
    expect((await control('faults/drop-streams')).status).toBe(204);
    await expectAllApplied(names, 'every rename of the burst');
    const updates = await updatesSince(since);
    expect(updates.size).toBe(ACCOUNTS);
    expect([...updates.values()].filter((n) => n !== 1)).toEqual([]);
  });

  it('should renew an expired session and resume the stream', async () => {
    stack.local.faults(stack.org.id).expireTokens();
    const [account] = await sf().soql<{ Id: string }>('SELECT Id FROM Account ORDER BY Id LIMIT 1');
    await sf().request(`sobjects/Account/${account!.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'After The Token Expired' }),
    });
    await eventually(
      async () =>
        (await namesInPryzm()).get(account!.Id) === 'After The Token Expired' ? true : undefined,
      'the change after the session expired',
      20_000,
    );
    // The stream the expired session held was ended and a renewed one carries the next change.
    await eventually(async () => ((await health()).state === 'live' ? true : undefined), 'live');
    await sf().request(`sobjects/Account/${account!.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'On A Renewed Session' }),
    });
    await eventually(
      async () =>
        (await namesInPryzm()).get(account!.Id) === 'On A Renewed Session' ? true : undefined,
      'the change on the renewed session',
      20_000,
    );
  });
});
