import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../support/databases.ts';
import { salesforceApi } from '../support/sync.ts';
import {
  eventually,
  publishedEvents,
  setChangeSource,
  startRealtimeStack,
  type RealtimeStack,
} from './support.ts';

interface PryzmRecord {
  id: string;
  values: Record<string, unknown>;
}

interface Job {
  id: string;
  kind: string;
  mode: string;
  status: string;
  apiCalls: number;
  counts: Record<string, number>;
}

describe.each(PROVIDERS)('real-time sync with the flows change source on %s', (provider) => {
  let stack: RealtimeStack;
  const sf = () => salesforceApi(stack.local, stack.org);
  const asUser = (username: string) => {
    const { accessToken } = stack.local.issueAccessToken(stack.org.id, username);
    return (path: string, body: unknown) =>
      fetch(`${stack.org.instanceUrl}/services/data/v63.0/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
  };
  const record = async (id: string) =>
    (await stack.ws.client.get<PryzmRecord>(`/api/workspaces/${stack.ws.id}/records/${id}`)).body;
  const clickPush = async (userId: string, recordId: string) => {
    const response = await fetch(
      `${stack.org.instanceUrl}/_localorg/orgs/${stack.org.id}/events/push`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId, recordId }),
      },
    );
    expect(response.status).toBe(201);
    return ((await response.json()) as { correlationId: string }).correlationId;
  };
  const resultFor = (correlationId: string) =>
    eventually(async () => {
      return publishedEvents(stack, '/event/pryzm__Pryzm_Sync_Result__e')
        .map((event) => event.payload)
        .find((payload) => payload['pryzm__Correlation_Id__c'] === correlationId);
    }, `the sync result of ${correlationId}`);

  beforeAll(async () => {
    stack = await startRealtimeStack(provider);
    stack.local.seed(stack.org.id, { accounts: 5, contacts: 5, opportunities: 0 });
    await setChangeSource(stack, 'flows');
  });
  afterAll(() => stack?.close());

  it('should answer a Push click with the Pryzm record, Pryzm_ID__c and a success result', async () => {
    const [account] = await sf().soql<{ Id: string; Name: string }>(
      'SELECT Id, Name FROM Account ORDER BY Name LIMIT 1',
    );
    const correlationId = await clickPush(stack.admin.id, account!.Id);
    const result = await resultFor(correlationId);
    expect(result).toMatchObject({
      pryzm__Status__c: 'Success',
      pryzm__Record_Id__c: account!.Id,
      pryzm__Message__c: 'Created in Pryzm.',
      CreatedById: stack.integration.id,
    });
    const pryzmId = result['pryzm__Pryzm_Id__c'] as string;
    expect((await record(pryzmId)).values['name']).toBe(account!.Name);
    const [linked] = await sf().soql<{ pryzm__Pryzm_ID__c: string }>(
      `SELECT pryzm__Pryzm_ID__c FROM Account WHERE Id = '${account!.Id}'`,
    );
    expect(linked!.pryzm__Pryzm_ID__c).toBe(pryzmId);
    // The message never carries record data.
    expect(String(result['pryzm__Message__c'])).not.toContain(account!.Name);
  });

  it('should refuse a push by a user who cannot edit the record, with an error result', async () => {
    const [account] = await sf().soql<{ Id: string }>(
      'SELECT Id FROM Account ORDER BY Name DESC LIMIT 1',
    );
    const correlationId = await clickPush(stack.rep.id, account!.Id);
    const result = await resultFor(correlationId);
    expect(result).toMatchObject({
      pryzm__Status__c: 'Error',
      pryzm__Message__c: "You can't push this record: you don't have edit access to it.",
      pryzm__Pryzm_Id__c: null,
    });
    const [untouched] = await sf().soql<{ pryzm__Pryzm_ID__c: string | null }>(
      `SELECT pryzm__Pryzm_ID__c FROM Account WHERE Id = '${account!.Id}'`,
    );
    expect(untouched!.pryzm__Pryzm_ID__c).toBeNull();
  });

  it("should refuse a forged request naming another user, trusting only the event's CreatedById", async () => {
    const [account] = await sf().soql<{ Id: string }>(
      'SELECT Id FROM Account ORDER BY Name DESC LIMIT 1',
    );
    const published = await asUser(stack.rep.username)('sobjects/pryzm__Pryzm_Push_Request__e', {
      pryzm__Record_Id__c: account!.Id,
      pryzm__Object_Name__c: 'Account',
      pryzm__Requested_By__c: stack.admin.id,
      pryzm__Correlation_Id__c: 'forged-request-1',
    });
    expect(published.status).toBe(201);
    const result = await resultFor('forged-request-1');
    expect(result).toMatchObject({
      pryzm__Status__c: 'Error',
      pryzm__Message__c:
        'This push request was refused: it names another user than the one who sent it.',
    });
  });

  it('should bring a change and a new record made in Salesforce into Pryzm within a second', async () => {
    const pulled = await stack.ws.client.post<Job>(
      `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}/jobs`,
      { kind: 'pull', mode: 'full' },
    );
    expect(pulled.status).toBe(202);
    await eventually(async () => {
      const job = (
        await stack.ws.client.get<Job>(`/api/workspaces/${stack.ws.id}/jobs/${pulled.body.id}`)
      ).body;
      return job.status === 'succeeded' ? job : undefined;
    }, 'the full pull');
    const [account] = await sf().soql<{ Id: string; pryzm__Pryzm_ID__c: string }>(
      'SELECT Id, pryzm__Pryzm_ID__c FROM Account ORDER BY Name LIMIT 1 OFFSET 1',
    );
    const started = Date.now();
    await sf().request(`sobjects/Account/${account!.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Renamed In Salesforce', Industry: 'Energy' }),
    });
    const changed = await eventually(async () => {
      const now = await record(account!.pryzm__Pryzm_ID__c);
      return now.values['name'] === 'Renamed In Salesforce' ? now : undefined;
    }, 'the rename in Pryzm');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(changed.values['industry']).toBe('Energy');

    const created = await sf().request<{ id: string }>('sobjects/Account', {
      method: 'POST',
      body: JSON.stringify({ Name: 'Born In Salesforce' }),
    });
    const pryzmId = await eventually(async () => {
      const [row] = await sf().soql<{ pryzm__Pryzm_ID__c: string | null }>(
        `SELECT pryzm__Pryzm_ID__c FROM Account WHERE Id = '${created.id}'`,
      );
      return row?.pryzm__Pryzm_ID__c ?? undefined;
    }, 'Pryzm_ID__c on the new Account');
    expect((await record(pryzmId)).values['name']).toBe('Born In Salesforce');

    // The window is a real-time job with per-record results; the write-back did not echo.
    const jobs = await stack.ws.client.get<{ data: Job[] }>(
      `/api/workspaces/${stack.ws.id}/jobs?kind=realtime`,
    );
    expect(jobs.status, JSON.stringify(jobs.body)).toBe(200);
    const window = jobs.body.data[0]!;
    expect(window).toMatchObject({ kind: 'realtime', mode: 'window' });
    const results = await stack.ws.client.get<{ data: { salesforceId: string; action: string }[] }>(
      `/api/workspaces/${stack.ws.id}/jobs/${window.id}/records`,
    );
    expect(results.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ salesforceId: account!.Id, action: 'updated' }),
        expect.objectContaining({ salesforceId: created.id, action: 'created' }),
      ]),
    );
    const health = await stack.ws.client.get<{
      changeSource: string;
      realtime: { state: string; eventsApplied: number; lastEventAt: string; lagMs: number };
    }>(`/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}`);
    expect(health.body.changeSource).toBe('flows');
    expect(health.body.realtime).toMatchObject({ state: 'live' });
    expect(health.body.realtime.eventsApplied).toBeGreaterThan(0);
    expect(health.body.realtime.lastEventAt).toBeTruthy();
  });
});
