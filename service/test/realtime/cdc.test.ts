import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../support/databases.ts';
import { salesforceApi } from '../support/sync.ts';
import { eventually, setChangeSource, startRealtimeStack, type RealtimeStack } from './support.ts';

interface Job {
  id: string;
  kind: string;
  status: string;
  startedBy: string;
}

describe.each(PROVIDERS)('real-time sync with the cdc change source on %s', (provider) => {
  let stack: RealtimeStack;
  const sf = () => salesforceApi(stack.local, stack.org);
  const control = (path: string, body: unknown = {}) =>
    fetch(`${stack.org.instanceUrl}/_localorg/orgs/${stack.org.id}/events/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const nameInPryzm = async (pryzmId: string) =>
    (
      await stack.ws.client.get<{ values: Record<string, unknown> }>(
        `/api/workspaces/${stack.ws.id}/records/${pryzmId}`,
      )
    ).body.values['name'];
  const rename = (id: string, name: string) =>
    sf().request(`sobjects/Account/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: name }),
    });
  const accounts = () =>
    sf().soql<{ Id: string; pryzm__Pryzm_ID__c: string }>(
      'SELECT Id, pryzm__Pryzm_ID__c FROM Account ORDER BY Name',
    );
  const realtimeState = async () =>
    (
      await stack.ws.client.get<{ realtime: { state: string } }>(
        `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}`,
      )
    ).body.realtime.state;
  const jobs = async () =>
    (await stack.ws.client.get<{ data: Job[] }>(`/api/workspaces/${stack.ws.id}/jobs?limit=100`))
      .body.data;

  beforeAll(async () => {
    stack = await startRealtimeStack(provider);
    stack.local.seed(stack.org.id, { accounts: 6, contacts: 0, opportunities: 0 });
    const pulled = await stack.ws.client.post<Job>(
      `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}/jobs`,
      { kind: 'pull', mode: 'full' },
    );
    await eventually(async () => {
      const job = (await jobs()).find((j) => j.id === pulled.body.id);
      return job?.status === 'succeeded' ? job : undefined;
    }, 'the full pull');
    await setChangeSource(stack, 'cdc');
  });
  afterAll(() => stack?.close());

  it('should tell the org the change source and apply a change event', async () => {
    const [settings] = await sf().soql<{ pryzm__Change_Source__c: string }>(
      `SELECT pryzm__Change_Source__c FROM pryzm__Pryzm_Settings__c WHERE SetupOwnerId = '${stack.org.id}'`,
    );
    expect(settings?.pryzm__Change_Source__c).toBe('cdc');
    const [account] = await accounts();
    await rename(account!.Id, 'Captured By CDC');
    await eventually(
      async () =>
        (await nameInPryzm(account!.pryzm__Pryzm_ID__c)) === 'Captured By CDC' ? true : undefined,
      'the CDC change in Pryzm',
    );
  });

  it('should read again the records a gap event names', async () => {
    const [, account] = await accounts();
    // The change's own event is lost (held back, then expired); only a gap event names the record.
    expect((await control('faults/stall')).status).toBe(204);
    await rename(account!.Id, 'Seen Through A Gap');
    await control('faults/expire', { olderThanSeconds: 0 });
    expect(
      (await control('faults/gap', { objectName: 'Account', recordIds: [account!.Id] })).status,
    ).toBe(204);
    await control('faults/resume');
    await eventually(
      async () =>
        (await nameInPryzm(account!.pryzm__Pryzm_ID__c)) === 'Seen Through A Gap'
          ? true
          : undefined,
      'the record a gap event named',
    );
  });

  it('should reconcile by SystemModstamp when the stored replay id has expired, then resume', async () => {
    const [, , account, other] = await accounts();
    // The stream is down while the change happens and every event it could resume from expires.
    // Subscriptions are refused until the expiry is done: under load, a refusal of a fixed time
    // could end first, and the subscriber would then resume in time to receive the change.
    await control('faults/refuse-subscriptions', { seconds: 600 });
    await control('faults/drop-streams');
    await rename(account!.Id, 'Changed While Away');
    await control('faults/expire', { olderThanSeconds: 0 });
    await control('faults/refuse-subscriptions', { seconds: 0 });
    await eventually(
      async () =>
        (await nameInPryzm(account!.pryzm__Pryzm_ID__c)) === 'Changed While Away'
          ? true
          : undefined,
      'the change a reconciliation pull found',
      20_000,
    );
    expect((await jobs()).map((job) => job.startedBy)).toContain('realtime:replay_id_expired');
    // Then the subscription is live again at LATEST.
    await eventually(
      async () => ((await realtimeState()) === 'live' ? true : undefined),
      'the subscription live again',
    );
    await rename(other!.Id, 'After The Reconciliation');
    await eventually(
      async () =>
        (await nameInPryzm(other!.pryzm__Pryzm_ID__c)) === 'After The Reconciliation'
          ? true
          : undefined,
      'a change after the reconciliation',
    );
  });

  it('should queue a reconciliation pull on an overflow event', async () => {
    await eventually(
      async () => ((await realtimeState()) === 'live' ? true : undefined),
      'the subscription live',
    );
    expect((await control('faults/overflow', { objectName: 'Account' })).status).toBe(204);
    await eventually(
      async () => (await jobs()).find((job) => job.startedBy === 'realtime:overflow on Account'),
      'the reconciliation pull',
    );
  });
});
