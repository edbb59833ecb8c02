import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { testConnectedApp } from '../support/localorg.ts';
import { connectWithDefaults, startJob, waitForJob, type Job } from '../support/sync.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

const { app, privateKeyPem } = testConnectedApp();

describe.each(PROVIDERS)('sync jobs against a faulty org on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient };
  let connectionId: string;
  let sandbox: LocalOrg['orgs'][number];

  const faults = () => local.faults(sandbox.id);

  const start = (body: Record<string, unknown>) => startJob(ws, connectionId, body);
  const until = (id: string, statuses: string[]) => waitForJob(ws, id, statuses);
  const finished = (id: string) => waitForJob(ws, id);

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Faults', {
      PRYZM_SYNC_PAGE_SIZE: '10',
      PRYZM_SYNC_POLL_MS: '20',
      PRYZM_ALLOWANCE_RETRY_MS: '200',
    });
    ({ local, ws } = stack);
    sandbox = local.orgs[1]!;
    local.seed(sandbox.id, { accounts: 30, contacts: 0, opportunities: 0 });
    ({ connectionId } = await connectWithDefaults(ws, sandbox, app, privateKeyPem));
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

  it('should wait when the preflight’s describes meet REQUEST_LIMIT_EXCEEDED, then resume', async () => {
    // The connection's own share is far from spent (it made a few calls): the org's daily
    // allocation is, and the first request of the job, the preflight's describe, is refused
    // with 403 REQUEST_LIMIT_EXCEEDED.
    const { apiLimit } = faults().snapshot();
    faults().setApiUsage(apiLimit);
    try {
      const id = await start({ kind: 'pull', mode: 'full' });
      const waiting = await until(id, ['waiting_for_allowance', 'failed', 'succeeded']);
      expect(waiting.status, waiting.error ?? '').toBe('waiting_for_allowance');
      // Refused before any object was read: none started, nothing counted.
      for (const entry of waiting.objects as (Job['objects'][number] & { startedAt: unknown })[]) {
        expect(entry).toMatchObject({ processed: 0, startedAt: null });
      }
      expect(Object.values(waiting.counts).every((count) => count === 0)).toBe(true);
      // Looked at again while the org still refuses: waiting still, not failed.
      await new Promise((resolve) => setTimeout(resolve, 400));
      const still = await until(id, ['waiting_for_allowance', 'running', 'failed']);
      expect(still.status).not.toBe('failed');
      faults().setApiUsage(0);
      const done = await finished(id);
      expect(done.status, done.error ?? '').toBe('succeeded');
      // Every Account of the org read (the 30 seeded and those earlier tests pushed).
      const accounts = done.objects.find((entry) => entry.salesforceObject === 'Account');
      expect(accounts?.total).toBeGreaterThanOrEqual(30);
      expect(accounts?.processed).toBe(accounts?.total);
    } finally {
      faults().setApiUsage(0);
    }
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
