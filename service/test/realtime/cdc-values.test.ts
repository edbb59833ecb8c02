import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../support/databases.ts';
import { salesforceApi } from '../support/sync.ts';
import {
  eventually,
  startPulledRealtimeStack,
  type PulledAccount,
  type RealtimeStack,
} from './support.ts';

interface Job {
  id: string;
  kind: string;
  status: string;
  apiCalls: number;
}

describe.each(PROVIDERS)('cdc changes applied from the values events carry on %s', (provider) => {
  let stack: RealtimeStack;
  let accounts: PulledAccount[];
  const sf = () => salesforceApi(stack.local, stack.org);
  const base = () => `/api/workspaces/${stack.ws.id}`;
  const values = async (pryzmId: string) =>
    (await stack.ws.client.get<{ values: Record<string, unknown> }>(`${base()}/records/${pryzmId}`))
      .body.values;
  const realtimeCalls = async () =>
    (await stack.ws.client.get<{ data: Job[] }>(`${base()}/jobs?kind=realtime&limit=100`)).body.data
      .filter((job) => job.kind === 'realtime')
      .reduce((sum, job) => sum + job.apiCalls, 0);
  const update = (id: string, body: Record<string, unknown>) =>
    sf().request(`sobjects/Account/${id}`, { method: 'PATCH', body: JSON.stringify(body) });

  beforeAll(async () => {
    ({ stack, accounts } = await startPulledRealtimeStack(provider, {
      accounts: 25,
      changeSource: 'cdc',
    }));
  });
  afterAll(() => stack?.close());

  it('should apply changed and nulled fields without reading the records back', async () => {
    const callsBefore = await realtimeCalls();
    const changed = accounts.slice(0, 20);
    for (const [i, account] of changed.entries()) {
      await update(account.Id, {
        Name: `Carried ${i}`,
        Industry: 'Energy',
        ...(i % 2 === 0
          ? { Phone: null }
          : { Phone: `+44 20 7946 00${String(i).padStart(2, '0')}` }),
      });
    }
    for (const [i, account] of changed.entries()) {
      await eventually(
        async () =>
          (await values(account.pryzm__Pryzm_ID__c))['name'] === `Carried ${i}` ? true : undefined,
        `the change of account ${i} in Pryzm`,
        20_000,
      );
      const after = await values(account.pryzm__Pryzm_ID__c);
      expect(after['industry']).toBe('Energy');
      if (i % 2 === 0) expect(after['phone'] ?? null).toBeNull();
      else expect(after['phone']).toBe(`+44 20 7946 00${String(i).padStart(2, '0')}`);
    }
    // Every batch committed; none of them read a record back.
    await eventually(
      async () => ((await realtimeCalls()) === callsBefore ? true : undefined),
      'no API call',
      2_000,
    );
    expect(await realtimeCalls()).toBe(callsBefore);
  });

  it('should spend no API call on 1,000 changes', async () => {
    const callsBefore = await realtimeCalls();
    const eventsApplied = async () =>
      (
        await stack.ws.client.get<{ realtime: { eventsApplied: number } }>(
          `${base()}/connections/${stack.connectionId}`,
        )
      ).body.realtime.eventsApplied;
    const eventsBefore = await eventsApplied();
    const rounds = 1_000 / accounts.length;
    for (let round = 0; round < rounds; round++) {
      // One transaction of one change per Account (an sObject Collections update).
      await sf().request('composite/sobjects', {
        method: 'PATCH',
        body: JSON.stringify({
          allOrNone: true,
          records: accounts.map((account, i) => ({
            attributes: { type: 'Account' },
            id: account.Id,
            Description: `Round ${round} of ${i}`,
          })),
        }),
      });
    }
    await eventually(
      async () => ((await eventsApplied()) - eventsBefore >= 1_000 ? true : undefined),
      'the 1,000 change events applied',
      120_000,
    );
    const last = await values(accounts.at(-1)!.pryzm__Pryzm_ID__c);
    expect(last['description']).toBe(`Round ${rounds - 1} of ${accounts.length - 1}`);
    expect((await realtimeCalls()) - callsBefore).toBe(0);
  });

  it('should read back a record whose owner changed, for the owner email it cannot carry', async () => {
    const account = accounts[20]!;
    const callsBefore = await realtimeCalls();
    await update(account.Id, { OwnerId: stack.rep.id });
    await eventually(
      async () =>
        (await values(account.pryzm__Pryzm_ID__c))['owner_email'] === 'rep@rt.example.com'
          ? true
          : undefined,
      'the new owner email in Pryzm',
      20_000,
    );
    await eventually(
      async () => ((await realtimeCalls()) > callsBefore ? true : undefined),
      'the read back counted',
      20_000,
    );
  });
});
