import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { verifySignature } from '../../src/webhooks/signature.ts';
import { createWorkspace, type ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { openEventStream } from '../support/event-stream.ts';
import { testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import { connectWithDefaults, runJob, salesforceApi } from '../support/sync.ts';
import { startReceiver, type Receiver } from '../webhooks/receiver.ts';

const { app, privateKeyPem } = testConnectedApp();

type Account = { Id: string; Name: string; pryzm__Pryzm_ID__c: string };

describe.each(PROVIDERS)('server-sent events and sync webhooks on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient; key: string };
  let sandbox: LocalOrg['orgs'][number];
  let connectionId: string;
  let receiver: Receiver;
  let secret: string;

  const streamUrl = (query = '') =>
    `${stack!.service.url}/api/v1/workspaces/${ws.id}/events${query}`;

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Events', {
      PRYZM_SYNC_POLL_MS: '20',
      PRYZM_EVENTS_HEARTBEAT_MS: '100',
      PRYZM_WEBHOOK_PRIVATE_TARGETS: 'on',
      PRYZM_WEBHOOK_POLL_MS: '50',
    });
    local = stack.local;
    ws = stack.ws as typeof ws;
    sandbox = local.orgs[1]!;
    local.seed(sandbox.id, { accounts: 6, contacts: 0, opportunities: 0 });
    connectionId = (await connectWithDefaults(ws, sandbox, app, privateKeyPem)).connectionId;
    receiver = await startReceiver();
    const hook = await ws.client.post<{ secret: string }>(`/api/workspaces/${ws.id}/webhooks`, {
      url: receiver.url,
      events: ['job.finished', 'job.failed', 'conflict.created'],
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    secret = hook.body.secret;
  });
  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  it('streams job progress and the job end, with heartbeats between events', async () => {
    const stream = await openEventStream(streamUrl(), ws.key);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const job = await runJob(ws, connectionId, { kind: 'pull', mode: 'full' });
    await stream.until(() => stream.events.some((e) => e.event === 'job.finished'));
    await stream.until(() => stream.comments.includes('heartbeat'));
    await stream.close();

    const progress = stream.events.filter((e) => e.event === 'job.progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.data).toMatchObject({
      type: 'job.progress',
      workspaceId: ws.id,
      data: { job: { id: job.id, status: 'running', progress: expect.any(Array) } },
    });
    const finished = stream.events.find((e) => e.event === 'job.finished')!;
    expect(finished.data).toMatchObject({
      data: { job: { id: job.id, status: 'succeeded', counts: { created: 6 } } },
    });
    expect(finished.id).toBe((finished.data as { id: string }).id);

    // The same end reached the webhook, signed.
    await receiver.waitFor(1);
    const delivered = receiver.received.find(
      (r) => r.headers['pryzm-event-type'] === 'job.finished',
    )!;
    expect(JSON.parse(delivered.body)).toMatchObject({ data: { job: { id: job.id } } });
    expect(
      verifySignature(secret, String(delivered.headers['pryzm-signature']), delivered.body),
    ).toBe(true);
  });

  it('streams record changes and conflicts a pull opens, filtered by type on request', async () => {
    const stream = await openEventStream(
      streamUrl('?types=record.updated,conflict.created'),
      ws.key,
    );
    const mappings = await ws.client.get<{ data: { id: string; salesforceObject: string }[] }>(
      `/api/workspaces/${ws.id}/connections/${connectionId}/mappings`,
    );
    const account = mappings.body.data.find((m) => m.salesforceObject === 'Account')!;
    await ws.client.patch(
      `/api/workspaces/${ws.id}/connections/${connectionId}/mappings/${account.id}`,
      {
        conflictStrategy: 'manual',
      },
    );
    const api = salesforceApi(local, sandbox);
    const [first] = await api.soql<Account>(
      'SELECT Id, Name, pryzm__Pryzm_ID__c FROM Account ORDER BY Id LIMIT 1',
    );
    await api.request(`sobjects/Account/${first!.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Renamed in Salesforce' }),
    });
    const patched = await ws.client.patch(
      `/api/workspaces/${ws.id}/records/${first!.pryzm__Pryzm_ID__c}`,
      {
        values: { name: 'Renamed in Pryzm' },
      },
    );
    expect(patched.status).toBe(200);
    const job = await runJob(ws, connectionId, { kind: 'pull', mode: 'incremental' });
    expect(job.counts.conflicts).toBe(1);
    await stream.until(() => stream.events.some((e) => e.event === 'conflict.created'));
    await stream.close();

    expect(stream.events.map((e) => e.event)).toEqual(['record.updated', 'conflict.created']);
    expect(stream.events[0]!.data).toMatchObject({
      data: {
        record: { id: first!.pryzm__Pryzm_ID__c, values: { name: 'Renamed in Pryzm' } },
        changed: ['name'],
      },
    });
    expect(stream.events[1]!.data).toMatchObject({
      data: {
        conflict: {
          recordId: first!.pryzm__Pryzm_ID__c,
          salesforceId: first!.Id,
          attributes: ['name'],
          jobId: job.id,
        },
      },
    });
    await receiver.waitFor(3);
    expect(receiver.received.map((r) => r.headers['pryzm-event-type'])).toEqual(
      expect.arrayContaining(['conflict.created']),
    );
  });

  it('needs a token of the workspace, and refuses unknown event types', async () => {
    const anonymous = await fetch(streamUrl());
    expect(anonymous.status).toBe(401);
    const other = await createWorkspace(
      stack!.service.url,
      stack!.security.adminToken,
      'Other events',
    );
    const foreign = await fetch(streamUrl(), { headers: { authorization: `Bearer ${other.key}` } });
    expect(foreign.status).toBe(404);
    const bad = await fetch(streamUrl('?types=record.exploded'), {
      headers: { authorization: `Bearer ${ws.key}` },
    });
    expect(bad.status).toBe(400);
  });
});
