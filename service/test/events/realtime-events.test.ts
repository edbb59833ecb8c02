import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../support/databases.ts';
import { openEventStream } from '../support/event-stream.ts';
import { salesforceApi } from '../support/sync.ts';
import { setChangeSource, startRealtimeStack, type RealtimeStack } from '../realtime/support.ts';

type Account = { Id: string; Name: string };
type EventBody = { data: Record<string, Record<string, unknown>> };

/**
 * A real-time window (Salesforce Outbound Messages as the change source, answered only once
 * applied) announces its records and its conflicts as each batch commits, while the window's
 * job is still open.
 */
describe.each(PROVIDERS)('events of real-time windows on %s', (provider) => {
  let stack: RealtimeStack;
  let endpointUrl: string;
  let key: string;
  let accounts: Account[];
  const sf = () => salesforceApi(stack.local, stack.org);
  const streamUrl = (types: string) =>
    `${stack.service.url}/api/v1/workspaces/${stack.ws.id}/events?types=${types}`;
  const notify = async (ids: string[]) => {
    const response = await fetch(
      `${stack.org.instanceUrl}/_localorg/orgs/${stack.org.id}/events/outbound-messages`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: endpointUrl, object: 'Account', ids }),
      },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ delivered: true });
  };

  beforeAll(async () => {
    stack = await startRealtimeStack(provider);
    stack.local.seed(stack.org.id, { accounts: 3, contacts: 0, opportunities: 0 });
    await setChangeSource(stack, 'paused');
    const issued = await stack.ws.client.post<{ url: string }>(
      `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}/outbound-messages/endpoint`,
      {},
    );
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    endpointUrl = issued.body.url;
    const minted = await stack.ws.client.post<{ secret: string }>(
      `/api/workspaces/${stack.ws.id}/api-keys`,
      { name: 'event stream' },
    );
    expect(minted.status).toBe(201);
    key = minted.body.secret;
    accounts = await sf().soql<Account>('SELECT Id, Name FROM Account ORDER BY Name');
  });
  afterAll(() => stack?.close());

  it("announces a window's new records and a conflict as their batch commits, before the window ends", async () => {
    const stream = await openEventStream(
      streamUrl('record.created,conflict.created,job.finished'),
      key,
    );
    await notify(accounts.map((account) => account.Id));
    await stream.until(
      () => stream.events.filter((e) => e.event === 'record.created').length === 3,
    );
    const created = stream.events
      .filter((e) => e.event === 'record.created')
      .map((e) => (e.data as EventBody).data);
    expect(created.map((data) => data['record']!['values'])).toEqual(
      expect.arrayContaining(
        accounts.map((account) => expect.objectContaining({ name: account.Name })),
      ),
    );
    expect(created[0]!['source']).toMatchObject({ kind: 'sync', connectionId: stack.connectionId });

    // Both sides change the first account; the manual strategy keeps a conflict open.
    const mappings = await stack.ws.client.get<{
      data: { id: string; salesforceObject: string }[];
    }>(`/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}/mappings`);
    const mapping = mappings.body.data.find((m) => m.salesforceObject === 'Account')!;
    await stack.ws.client.patch(
      `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}/mappings/${mapping.id}`,
      { conflictStrategy: 'manual' },
    );
    const recordId = created.find(
      (data) =>
        data['record']!['values'] &&
        (data['record']!['values'] as { name: string }).name === accounts[0]!.Name,
    )!['record']!['id'] as string;
    await sf().request(`sobjects/Account/${accounts[0]!.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Contested in Salesforce' }),
    });
    const patched = await stack.ws.client.patch(
      `/api/workspaces/${stack.ws.id}/records/${recordId}`,
      {
        values: { name: 'Contested in Pryzm' },
      },
    );
    expect(patched.status).toBe(200);
    await notify([accounts[0]!.Id]);
    await stream.until(() => stream.events.some((e) => e.event === 'conflict.created'));
    await stream.close();

    const conflict = stream.events.find((e) => e.event === 'conflict.created')!;
    const stored = (conflict.data as EventBody).data['conflict']!;
    expect(stored).toMatchObject({ recordId, salesforceId: accounts[0]!.Id, attributes: ['name'] });
    const job = await stack.ws.client.get<{ kind: string }>(
      `/api/workspaces/${stack.ws.id}/jobs/${stored['jobId'] as string}`,
    );
    expect(job.body.kind).toBe('realtime');
    // Announced when its batch committed, not at the end of the real-time job that stored it.
    const order = stream.events.map((e) => {
      const job = (e.data as EventBody).data['job'];
      return e.event === 'job.finished' ? `end:${job!['id'] as string}` : e.event;
    });
    const ended = order.indexOf(`end:${stored['jobId'] as string}`);
    expect(ended === -1 || ended > order.indexOf('conflict.created'), order.join(', ')).toBe(true);
  });
});
