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

  it("announces a pull's created, updated and deleted records and each conflict as their page commits, before the job ends", async () => {
    const marked = await ws.client.call(
      'PUT',
      `/api/workspaces/${ws.id}/record-types/organization/sensitive-attributes`,
      { attributes: ['phone'] },
    );
    expect(marked.status, JSON.stringify(marked.body)).toBe(200);
    const recordHook = await ws.client.post<{ id: string }>(`/api/workspaces/${ws.id}/webhooks`, {
      url: receiver.url,
      events: ['record.created', 'record.updated', 'record.deleted'],
    });
    expect(recordHook.status).toBe(201);
    const stream = await openEventStream(
      streamUrl(
        '?types=record.created,record.updated,record.deleted,conflict.created,job.finished',
      ),
      ws.key,
    );
    const api = salesforceApi(local, sandbox);
    const accounts = await api.soql<Account>(
      'SELECT Id, Name, pryzm__Pryzm_ID__c FROM Account ORDER BY Id',
    );
    const [renamed, deleted, contested] = accounts.slice(1) as [Account, Account, Account];
    const created = (await api.request('sobjects/Account', {
      method: 'POST',
      body: JSON.stringify({ Name: 'Announced Newcomer', Phone: '+1 555 0100' }),
    })) as { id: string };
    await api.request(`sobjects/Account/${renamed.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Renamed For Events' }),
    });
    await api.request(`sobjects/Account/${deleted.Id}`, { method: 'DELETE' });
    // Both sides change one record: the mapping's manual strategy opens a conflict.
    await api.request(`sobjects/Account/${contested.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Contested in Salesforce' }),
    });
    const patched = await ws.client.patch(
      `/api/workspaces/${ws.id}/records/${contested.pryzm__Pryzm_ID__c}`,
      { values: { name: 'Contested in Pryzm' } },
    );
    expect(patched.status).toBe(200);
    const deliveredBefore = receiver.received.length;

    const job = await runJob(ws, connectionId, { kind: 'pull', mode: 'incremental' });
    await stream.until(() => stream.events.some((e) => e.event === 'job.finished'));
    await stream.close();

    const order = stream.events.map((e) => e.event);
    const ended = order.indexOf('job.finished');
    for (const type of ['record.created', 'record.updated', 'record.deleted', 'conflict.created']) {
      expect(order.indexOf(type), `${type} in ${order.join(', ')}`).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(type)).toBeLessThan(ended);
    }
    const data = (type: string) =>
      stream.events
        .filter((e) => e.event === type)
        .map((e) => (e.data as { data: Record<string, unknown> }).data);
    const source = { kind: 'sync', jobId: job.id, connectionId };
    expect(data('record.created')).toEqual([
      expect.objectContaining({
        record: expect.objectContaining({
          recordType: 'organization',
          version: 1,
          values: expect.objectContaining({ name: 'Announced Newcomer', phone: '+1 555 0100' }),
        }),
        source,
      }),
    ]);
    expect(data('record.updated')).toContainEqual(
      expect.objectContaining({
        record: expect.objectContaining({
          id: renamed.pryzm__Pryzm_ID__c,
          values: expect.objectContaining({ name: 'Renamed For Events' }),
        }),
        changed: ['name'],
        source,
      }),
    );
    expect(data('record.deleted')).toEqual([
      expect.objectContaining({
        record: expect.objectContaining({
          id: deleted.pryzm__Pryzm_ID__c,
          deletedAt: expect.any(String),
        }),
        source,
      }),
    ]);
    expect(data('conflict.created')).toEqual([
      { conflict: expect.objectContaining({ salesforceId: contested.Id, jobId: job.id }) },
    ]);
    expect(created.id).toBeTruthy();

    // The webhook got the same records, signed, without the attribute marked sensitive.
    await receiver.waitFor(deliveredBefore + 3);
    const bodies = receiver.received.slice(deliveredBefore).map((r) => r.body);
    const newcomer = bodies.find((body) => body.includes('Announced Newcomer'))!;
    expect(JSON.parse(newcomer)).toMatchObject({ type: 'record.created', data: { source } });
    expect(newcomer).not.toContain('555 0100');
    expect(bodies.some((body) => body.includes('Renamed For Events'))).toBe(true);

    // Settling the conflict with Salesforce's value writes the record: announced too.
    const settling = await openEventStream(streamUrl('?types=record.updated'), ws.key);
    const conflictId = (data('conflict.created')[0]!['conflict'] as { id: string }).id;
    const resolved = await ws.client.post(
      `/api/workspaces/${ws.id}/conflicts/${conflictId}/resolve`,
      { choices: { name: 'salesforce' } },
    );
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    await settling.until(() => settling.events.length > 0);
    await settling.close();
    expect((settling.events[0]!.data as { data: unknown }).data).toMatchObject({
      record: { id: contested.pryzm__Pryzm_ID__c, values: { name: 'Contested in Salesforce' } },
      changed: ['name'],
      source: { kind: 'sync', jobId: null, connectionId },
    });
    await ws.client.delete(`/api/workspaces/${ws.id}/webhooks/${recordHook.body.id}`);
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
