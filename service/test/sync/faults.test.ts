import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

const { app, privateKeyPem } = testConnectedApp();

interface Job {
  id: string;
  status: string;
  error: string | null;
  apiCalls: number;
  counts: Record<string, number>;
}

describe.each(PROVIDERS)('sync jobs against a faulty org on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient };
  let connectionId: string;
  let sandbox: LocalOrg['orgs'][number];

  const faults = () => local.faults(sandbox.id);
  const jobs = () => `/api/workspaces/${ws.id}/connections/${connectionId}/jobs`;

  async function job(id: string): Promise<Job> {
    return (await ws.client.get<Job>(`/api/workspaces/${ws.id}/jobs/${id}`)).body;
  }

  async function start(body: Record<string, unknown>): Promise<string> {
    const started = await ws.client.post<Job>(jobs(), body);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    return started.body.id;
  }

  async function until(id: string, statuses: string[]): Promise<Job> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const current = await job(id);
      if (statuses.includes(current.status)) return current;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${current.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const finished = (id: string) =>
    until(id, ['succeeded', 'partially_succeeded', 'failed', 'cancelled']);

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Faults', {
      PRYZM_SYNC_PAGE_SIZE: '10',
      PRYZM_SYNC_POLL_MS: '20',
      PRYZM_ALLOWANCE_RETRY_MS: '200',
    });
    ({ local, ws } = stack);
    sandbox = local.orgs[1]!;
    local.seed(sandbox.id, { accounts: 30, contacts: 0, opportunities: 0 });
    const connected = await ws.client.post<{ id: string }>(`/api/workspaces/${ws.id}/connections`, {
      authFlow: 'jwt_bearer',
      environment: 'sandbox',
      clientId: app.clientId,
      username: sandbox.users[0]!.username,
      privateKey: privateKeyPem,
    });
    connectionId = connected.body.id;
    await ws.client.post(`${jobs().replace('/jobs', '/mappings/defaults')}`, {});
  });
  afterAll(() => stack?.close());

  it('should renew an expired session once and carry on', async () => {
    faults().expireTokens();
    const done = await finished(await start({ kind: 'pull', mode: 'full' }));
    expect(done.status, done.error ?? '').toBe('succeeded');
    expect(done.counts.created).toBe(30);
  });

  it('should retry requests that fail with 503 and finish', async () => {
    faults().failRequests(2, 503);
    const done = await finished(await start({ kind: 'pull', mode: 'full' }));
    expect(done.status, done.error ?? '').toBe('succeeded');
    expect(done.counts).toMatchObject({ created: 0, failed: 0 });
  });

  it('should send again, alone, the records another transaction had locked', async () => {
    for (let i = 0; i < 5; i += 1) {
      await ws.client.post(`/api/workspaces/${ws.id}/record-types/organization/records`, {
        values: { name: `Locked Org ${i}` },
      });
    }
    faults().lockRows(3);
    const done = await finished(await start({ kind: 'push' }));
    expect(done.status, done.error ?? '').toBe('succeeded');
    expect(done.counts).toMatchObject({ created: 5, failed: 0 });
  });

  it('should wait while the org has no API requests left today, then resume by itself', async () => {
    const { apiLimit } = faults().snapshot();
    faults().setApiUsage(apiLimit);
    const id = await start({ kind: 'pull', mode: 'incremental' });
    const waiting = await until(id, ['waiting_for_allowance', 'failed', 'succeeded']);
    expect(waiting.status).toBe('waiting_for_allowance');
    faults().setApiUsage(0);
    const done = await finished(id);
    expect(done.status, done.error ?? '').toBe('succeeded');
  });

  it('should wait once its own share of the allocation is spent, and resume when it grows', async () => {
    local.org(sandbox.id).limits.setMax('DailyApiRequests', 1_000);
    const connection = `/api/workspaces/${ws.id}/connections/${connectionId}`;
    expect((await ws.client.patch(connection, { apiAllowancePercent: 1 })).status).toBe(200);
    const id = await start({ kind: 'pull', mode: 'incremental' });
    const waiting = await until(id, ['waiting_for_allowance', 'failed', 'succeeded']);
    expect(waiting.status).toBe('waiting_for_allowance');
    const shown = await ws.client.get<{ apiAllowance: Record<string, unknown> }>(connection);
    expect(shown.body.apiAllowance).toMatchObject({ percent: 1, budget: 10, exhausted: true });

    expect((await ws.client.patch(connection, { apiAllowancePercent: 100 })).status).toBe(200);
    const done = await finished(id);
    expect(done.status, done.error ?? '').toBe('succeeded');
  });

  it('should refuse a bad allowance with a clear code and change nothing', async () => {
    const connection = `/api/workspaces/${ws.id}/connections/${connectionId}`;
    const refused = await ws.client.patch<{ error: { code: string } }>(connection, {
      apiAllowancePercent: 0,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_request');
    const shown = await ws.client.get<{ apiAllowancePercent: number }>(connection);
    expect(shown.body.apiAllowancePercent).toBe(100);
  });
});
