import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/webhooks/signature.ts';
import { createWorkspace, testSecurityEnv, type ApiClient } from '../support/api.ts';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';
import { bootService } from '../support/service.ts';
import { typedClient, type TypedClient } from '../support/typed-client.ts';
import { startReceiver, type Receiver } from './receiver.ts';

/** Webhook settings for tests: a loopback receiver, and retries within milliseconds. */
const WEBHOOK_ENV = {
  PRYZM_WEBHOOK_PRIVATE_TARGETS: 'on',
  PRYZM_WEBHOOK_FIRST_RETRY_MS: '50',
  PRYZM_WEBHOOK_POLL_MS: '50',
};

const DEAL_TYPE = {
  key: 'deal',
  name: 'Deal',
  pluralName: 'Deals',
  kind: 'custom',
  attributes: [
    { key: 'name', name: 'Name', type: 'text', required: true },
    { key: 'stage', name: 'Stage', type: 'text' },
    { key: 'amount', name: 'Amount', type: 'number' },
    { key: 'notes', name: 'Notes', type: 'text' },
  ],
};

type Event = { id: string; type: string; workspaceId: string; data: Record<string, unknown> };

describe.each(PROVIDERS)('webhooks on %s', (provider) => {
  const security = testSecurityEnv();
  let databaseUrl: string;
  let service: Awaited<ReturnType<typeof bootService>>;
  let receiver: Receiver;
  let workspaceId: string;
  let client: TypedClient;
  let raw: ApiClient;
  let webhookId: string;
  let secret: string;
  let key: string;

  const records = (values: Record<string, unknown>) =>
    client.ok('post /api/workspaces/:workspaceId/record-types/:recordTypeKey/records', {
      params: { workspaceId, recordTypeKey: 'deal' },
      body: { values: values as Record<string, string | number> },
    });
  const deliveries = () =>
    client.ok('get /api/workspaces/:workspaceId/webhooks/:webhookId/deliveries', {
      params: { workspaceId, webhookId },
    });

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl(provider);
    service = await bootService(databaseUrl, { ...security.env, ...WEBHOOK_ENV });
    receiver = await startReceiver();
    const workspace = await createWorkspace(service.url, security.adminToken, 'Hooks');
    workspaceId = workspace.id;
    raw = workspace.client;
    key = workspace.key;
    client = typedClient(service.url, workspace.key);
    await client.ok('post /api/workspaces/:workspaceId/record-types', {
      params: { workspaceId },
      body: DEAL_TYPE as never,
    });
  });
  afterAll(async () => {
    await service.stop();
    await receiver.close();
  });

  it('delivers only the events its filter passes, signed over timestamp and body', async () => {
    const created = await client.ok('post /api/workspaces/:workspaceId/webhooks', {
      params: { workspaceId },
      body: {
        url: receiver.url,
        events: ['record.created', 'record.updated'],
        filter: {
          all: [
            { attribute: 'stage', op: 'eq', value: 'Closed Won' },
            { attribute: 'amount', op: 'gt', value: 50000 },
          ],
        },
        description: 'Large won deals',
      },
    });
    webhookId = created.id;
    secret = created.secret;
    expect(secret).toMatch(/^whsec_/);
    expect(
      JSON.stringify(
        await client.ok('get /api/workspaces/:workspaceId/webhooks', { params: { workspaceId } }),
      ),
    ).not.toContain(secret);

    await records({ name: 'Small', stage: 'Closed Won', amount: 1000 });
    await records({ name: 'Open', stage: 'Prospecting', amount: 90000 });
    const won = await records({ name: 'Big', stage: 'Closed Won', amount: 75000 });
    await receiver.waitFor(1);

    const [delivery] = receiver.received;
    const event = JSON.parse(delivery!.body) as Event;
    expect(event).toMatchObject({
      type: 'record.created',
      workspaceId,
      data: { record: { id: won.id, recordType: 'deal', values: { name: 'Big', amount: 75000 } } },
    });
    const header = String(delivery!.headers['pryzm-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, header, delivery!.body)).toBe(true);
    expect(verifySignature('whsec_wrong', header, delivery!.body)).toBe(false);
    expect(verifySignature(secret, header, delivery!.body.replace('Big', 'Bug'))).toBe(false);
    expect(delivery!.headers['pryzm-event-id']).toBe(event.id);
    expect(delivery!.headers['pryzm-event-type']).toBe('record.created');
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a failed delivery with backoff until the receiver takes it, and logs each attempt', async () => {
    receiver.failNext(2);
    const before = receiver.received.length;
    await records({ name: 'Retry', stage: 'Closed Won', amount: 60000 });
    await receiver.waitFor(before + 3);
    const attempts = receiver.received
      .slice(before)
      .map((r) => r.headers['pryzm-delivery-attempt']);
    expect(attempts).toEqual(['1', '2', '3']);
    // Each attempt is signed afresh over the same body.
    for (const request of receiver.received.slice(before)) {
      expect(
        verifySignature(secret, String(request.headers['pryzm-signature']), request.body),
      ).toBe(true);
    }
    await expect.poll(async () => (await deliveries()).data[0]?.status).toBe('succeeded');
    const [latest] = (await deliveries()).data;
    expect(latest).toMatchObject({ attempts: 3, lastStatusCode: 204, lastError: null });
  });

  it('redelivers a delivery on request: same event id and body, a new delivery, signed again', async () => {
    const log = await deliveries();
    const original = log.data.at(-1)!;
    const before = receiver.received.length;
    const copy = await client.request(
      'post /api/workspaces/:workspaceId/webhooks/:webhookId/deliveries/:deliveryId/redeliver',
      { params: { workspaceId, webhookId, deliveryId: original.id } },
    );
    expect(copy.status).toBe(202);
    expect(copy.body).toMatchObject({ redeliveryOf: original.id, eventId: original.eventId });
    await receiver.waitFor(before + 1);
    const again = receiver.received[before]!;
    expect(again.headers['pryzm-event-id']).toBe(original.eventId);
    expect(JSON.parse(again.body)).toEqual(original.payload);
    expect(verifySignature(secret, String(again.headers['pryzm-signature']), again.body)).toBe(
      true,
    );

    const foreign = await createWorkspace(service.url, security.adminToken, 'Other hooks');
    const stranger = await foreign.client.post(
      `/api/workspaces/${workspaceId}/webhooks/${webhookId}/deliveries/${original.id}/redeliver`,
    );
    expect(stranger.status).toBe(404);
  });

  it('keeps sensitive attributes out of webhooks', async () => {
    const marked = await raw.call(
      'PUT',
      `/api/workspaces/${workspaceId}/record-types/deal/sensitive-attributes`,
      {
        attributes: ['notes'],
      },
    );
    expect(marked.status).toBe(200);
    const before = receiver.received.length;
    await records({ name: 'Secretive', stage: 'Closed Won', amount: 99000, notes: 'margin 40%' });
    await receiver.waitFor(before + 1);
    const event = JSON.parse(receiver.received[before]!.body) as Event;
    expect(event.data.record).toMatchObject({ values: { name: 'Secretive' } });
    expect(receiver.received[before]!.body).not.toContain('margin');
  });

  it('delivers to a subscription from its first event on, though the workspace was asked before', async () => {
    const doomed = await Promise.all(['One', 'Two'].map((name) => records({ name })));
    const remove = (id: string) => raw.delete(`/api/workspaces/${workspaceId}/records/${id}`);
    // No subscription takes record.deleted yet: this process now knows the workspace's list.
    expect((await remove(doomed[0]!.id)).status).toBe(200);
    const before = receiver.received.length;
    const deletes = await client.ok('post /api/workspaces/:workspaceId/webhooks', {
      params: { workspaceId },
      body: { url: receiver.url, events: ['record.deleted'] },
    });
    // Creating it dropped that list: the very next delete is delivered.
    expect((await remove(doomed[1]!.id)).status).toBe(200);
    await receiver.waitFor(before + 1);
    const event = JSON.parse(receiver.received[before]!.body) as Event;
    expect(event).toMatchObject({ type: 'record.deleted' });
    expect(JSON.stringify(event.data)).toContain(doomed[1]!.id);
    await client.ok('delete /api/workspaces/:workspaceId/webhooks/:webhookId', {
      params: { workspaceId, webhookId: deletes.id },
    });
  });

  it('refuses bad subscriptions with 400 and saves nothing', async () => {
    const count = (
      await client.ok('get /api/workspaces/:workspaceId/webhooks', { params: { workspaceId } })
    ).data.length;
    for (const body of [
      { url: 'ftp://example.com/x', events: ['record.created'] },
      { url: receiver.url, events: ['job.progress'] },
      { url: receiver.url, events: [] },
      {
        url: receiver.url,
        events: ['record.created'],
        filter: { all: [{ attribute: 'a', op: 'regex', value: 'x' }] },
      },
      { url: 'https://user:pw@example.com/', events: ['record.created'] },
    ]) {
      const response = await raw.post(`/api/workspaces/${workspaceId}/webhooks`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect(
      (await client.ok('get /api/workspaces/:workspaceId/webhooks', { params: { workspaceId } }))
        .data,
    ).toHaveLength(count);
  });

  it('resumes pending deliveries after a restart', async () => {
    // The receiver refuses while the service stops: the delivery is left pending in the log.
    receiver.failNext(1000);
    const before = receiver.received.length;
    const record = await records({ name: 'Across restarts', stage: 'Closed Won', amount: 51000 });
    await receiver.waitFor(before + 1);
    await service.stop();
    receiver.acceptAll();
    const seen = receiver.received.length;

    service = await bootService(databaseUrl, { ...security.env, ...WEBHOOK_ENV });
    client = typedClient(service.url, key);
    await receiver.waitFor(seen + 1);
    const resumed = JSON.parse(receiver.received.at(-1)!.body) as Event;
    expect(resumed.data.record).toMatchObject({ id: record.id });
    await expect.poll(async () => (await deliveries()).data[0]?.status).toBe('succeeded');
  });
});

describe('webhook targets under the default configuration', () => {
  const security = testSecurityEnv();
  let service: Awaited<ReturnType<typeof bootService>>;

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl('sqlite'), security.env);
  });
  afterAll(async () => {
    await service.stop();
  });

  it('refuses loopback and private URLs (400 private_target_url) and saves nothing', async () => {
    const workspace = await createWorkspace(service.url, security.adminToken, 'Private');
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://[::1]/hook',
      'http://10.0.0.8/hook',
      'http://169.254.169.254/latest/meta-data',
    ]) {
      const refused = await workspace.client.post(`/api/workspaces/${workspace.id}/webhooks`, {
        url,
        events: ['record.created'],
      });
      expect(refused.status, url).toBe(400);
      expect(refused.body, url).toMatchObject({ error: { code: 'private_target_url' } });
    }
    const listed = await workspace.client.get<{ data: unknown[] }>(
      `/api/workspaces/${workspace.id}/webhooks`,
    );
    expect(listed.body.data).toEqual([]);
  });
});
