import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorkspace, testSecurityEnv, type ApiClient } from '../support/api.ts';
import { freshDatabaseUrl, PROVIDERS } from '../support/databases.ts';
import { bootService } from '../support/service.ts';
import { addMemberWithToken } from './support.ts';

interface AuditEvent {
  id: string;
  at: string;
  actor: { kind: string; id: string | null };
  action: string;
  target: string | null;
  ip: string | null;
  outcome: string;
  status: number | null;
  detail: Record<string, unknown> | null;
}
type Page = { data: AuditEvent[]; nextCursor: string | null };

describe.each(PROVIDERS)('the audit trail on %s', (provider) => {
  let service: Awaited<ReturnType<typeof bootService>>;
  let workspaceId: string;
  let adminKeyId: string;
  let admin: ApiClient;
  let operator: ApiClient;
  const security = testSecurityEnv();
  const ws = (path: string) => `/api/workspaces/${workspaceId}${path}`;

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl(provider), security.env);
    operator = apiClient(service.url, security.adminToken);
    const created = await createWorkspace(service.url, security.adminToken, 'Audited');
    workspaceId = created.id;
    adminKeyId = created.apiKeyId;
    admin = created.client;
  });
  afterAll(async () => {
    await service.stop();
  });

  it('records who did what, when, from where and how it ended', async () => {
    const key = await admin.post<{ id: string }>(ws('/api-keys'), { name: 'ci' });
    await admin.delete(ws(`/api-keys/${key.body.id}`));
    const missingJob = await admin.post(
      ws('/connections/00000000-0000-4000-8000-000000000000/jobs'),
      { kind: 'pull' },
    );
    expect(missingJob.status).toBeGreaterThanOrEqual(400);
    const viewer = await addMemberWithToken(admin, workspaceId, 'viewer');
    const denied = await apiClient(service.url, viewer.secret).post(ws('/api-keys'), { name: 'x' });
    expect(denied.status).toBe(403);

    const trail = await admin.get<Page>(ws('/audit'));
    expect(trail.status).toBe(200);
    const events = trail.body.data;
    const actions = events.map((event) => `${event.action} ${event.outcome}`);
    // Newest first.
    expect(actions.slice(0, 6)).toEqual([
      'POST /api-keys denied',
      'POST /members/:memberId/tokens succeeded',
      'POST /members succeeded',
      'POST /connections/:connectionId/jobs failed',
      'DELETE /api-keys/:apiKeyId succeeded',
      'POST /api-keys succeeded',
    ]);
    const [deniedEvent] = events;
    expect(deniedEvent).toMatchObject({
      actor: { kind: 'api_key', id: viewer.tokenId },
      status: 403,
      target: ws('/api-keys'),
    });
    expect(deniedEvent!.ip).toMatch(/127\.0\.0\.1|::1/);
    const created = events.find(
      (event) => event.action === 'POST /api-keys' && event.status === 201,
    );
    expect(created).toMatchObject({
      actor: { kind: 'api_key', id: adminKeyId },
      detail: { id: key.body.id },
    });
    // Creating the workspace is the operator's action in that workspace.
    expect(events.at(-1)).toMatchObject({
      action: 'POST /api/workspaces',
      actor: { kind: 'operator', id: null },
      outcome: 'succeeded',
    });
    // Reads are not admin actions.
    expect(events.some((event) => event.action.startsWith('GET'))).toBe(false);
    // No secret ever lands in the trail.
    expect(JSON.stringify(events)).not.toContain('pryzm_live_');
  });

  it('takes entries from use cases through services.audit.record', async () => {
    // The same entry point other features record their actions with.
    const { AuditLog } = await import('../../src/access/audit-log.ts');
    const { createRepositories } = await import('../../src/store/repositories/index.ts');
    const audit = new AuditLog(createRepositories(service.database.prisma).auditEvents);
    await audit.record({
      workspaceId,
      actor: { kind: 'api_key', id: adminKeyId },
      action: 'webhook.redeliver',
      target: 'delivery 1',
      ip: '127.0.0.1',
      outcome: 'succeeded',
      detail: { attempt: 2 },
    });
    const trail = await admin.get<Page>(ws('/audit?limit=1'));
    expect(trail.body.data[0]).toMatchObject({
      action: 'webhook.redeliver',
      target: 'delivery 1',
      detail: { attempt: 2 },
    });
  });

  it('pages newest first with a cursor, and refuses a cursor it did not give', async () => {
    const all = await admin.get<Page>(ws('/audit?limit=500'));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page: Awaited<ReturnType<typeof admin.get<Page>>> = await admin.get<Page>(
        ws(`/audit${query}`),
      );
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((event) => event.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.data.map((event) => event.id));

    const bad = await admin.get(ws('/audit?cursor=not-a-cursor'));
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'invalid_cursor' } } });
  });

  it('filters by outcome and by actor, paging through the filtered trail', async () => {
    const denied = await admin.get<Page>(ws('/audit?outcome=denied&limit=500'));
    expect(denied.body.data.length).toBeGreaterThan(0);
    expect(denied.body.data.every((event) => event.outcome === 'denied')).toBe(true);

    const all = await admin.get<Page>(ws('/audit?limit=500'));
    const byAdminKey = all.body.data.filter((event) => event.actor.id === adminKeyId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=1&actorId=${adminKeyId}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: Awaited<ReturnType<typeof admin.get<Page>>> = await admin.get<Page>(
        ws(`/audit${query}`),
      );
      seen.push(...page.body.data.map((event) => event.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(byAdminKey.map((event) => event.id));

    const bad = await admin.get(ws('/audit?outcome=maybe'));
    expect(bad.status).toBe(400);
  });

  it('is readable by Admins and the operator only, and only for their own workspace', async () => {
    const editor = await addMemberWithToken(admin, workspaceId, 'editor');
    expect((await apiClient(service.url, editor.secret).get(ws('/audit'))).status).toBe(403);
    expect((await operator.get(ws('/audit'))).status).toBe(200);

    const other = await createWorkspace(service.url, security.adminToken, 'Other');
    expect((await other.client.get(ws('/audit'))).status).toBe(404);
    const own = await other.client.get<Page>(`/api/workspaces/${other.id}/audit`);
    expect(own.body.data.map((event) => event.action)).toEqual(['POST /api/workspaces']);
  });
});
