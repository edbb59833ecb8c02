import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorkspace, testSecurityEnv } from '../support/api.ts';
import { freshDatabaseUrl, PROVIDERS } from '../support/databases.ts';
import { bootService } from '../support/service.ts';
import { addMemberWithToken } from './support.ts';

/** The link's secret from the URL the first start printed. */
function printedLink(logs: Record<string, unknown>[]): string | undefined {
  const line = logs.find((entry) => typeof entry.consoleSignIn === 'string');
  return (line?.consoleSignIn as string | undefined)?.split('#sign-in=')[1];
}

function cookiesOf(response: { headers: Headers }): Record<string, string> {
  return Object.fromEntries(
    response.headers.getSetCookie().map((cookie) => {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      return [name!, value.join('=')];
    }),
  );
}

describe.each(PROVIDERS)('console sessions on %s', (provider) => {
  let databaseUrl: string;
  let service: Awaited<ReturnType<typeof bootService>>;
  const security = testSecurityEnv();
  let cookie = '';
  let csrf = '';

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl(provider);
    service = await bootService(databaseUrl, security.env);
  });
  afterAll(async () => {
    await service.stop();
  });

  const withSession = (extra: Record<string, string> = {}) => ({ cookie, ...extra });

  it('exchanges the link the first start printed, once, for httpOnly SameSite=Strict cookies', async () => {
    const link = printedLink(service.logs());
    expect(link).toMatch(/^pryzm_link_/);
    const anonymous = apiClient(service.url);
    const signIn = await anonymous.post<{ csrfToken: string }>('/api/session', { link });
    expect(signIn.status).toBe(201);
    const setCookies = signIn.headers.getSetCookie();
    const sessionCookie = setCookies.find((c) => c.startsWith('pryzm_session='))!;
    expect(sessionCookie).toMatch(/; HttpOnly/);
    expect(sessionCookie).toMatch(/SameSite=Strict/);
    expect(sessionCookie).toMatch(/Path=\/api/);
    const csrfCookie = setCookies.find((c) => c.startsWith('pryzm_csrf='))!;
    expect(csrfCookie).not.toMatch(/HttpOnly/);
    // Readable by the console's page under /console after a reload, not only by /api.
    expect(csrfCookie).toMatch(/Path=\/(;|$)/);
    expect(csrfCookie).toMatch(/SameSite=Strict/);
    const values = cookiesOf(signIn);
    expect(values.pryzm_csrf).toBe(signIn.body.csrfToken);
    cookie = `pryzm_session=${values.pryzm_session}; pryzm_csrf=${values.pryzm_csrf}`;
    csrf = signIn.body.csrfToken;

    const again = await anonymous.post('/api/session', { link });
    expect(again).toMatchObject({ status: 401, body: { error: { code: 'invalid_link' } } });
    const forged = await anonymous.post('/api/session', { link: 'pryzm_link_forged' });
    expect(forged.status).toBe(401);
  });

  it('reads with the cookie alone and writes only with the CSRF token repeated', async () => {
    const client = apiClient(service.url);
    const me = await client.get('/api/session', withSession());
    expect(me.body).toEqual({ kind: 'operator', via: 'session' });

    const noHeader = await client.post('/api/workspaces', { name: 'Via console' }, withSession());
    expect(noHeader).toMatchObject({ status: 403, body: { error: { code: 'csrf_failed' } } });
    const wrongHeader = await client.post(
      '/api/workspaces',
      { name: 'Via console' },
      withSession({ 'x-csrf-token': 'guess' }),
    );
    expect(wrongHeader.status).toBe(403);
    // A page that planted its own csrf cookie still lacks this session's token.
    const planted = await client.post(
      '/api/workspaces',
      { name: 'Via console' },
      {
        cookie: `${cookie.split(';')[0]}; pryzm_csrf=planted`,
        'x-csrf-token': 'planted',
      },
    );
    expect(planted.status).toBe(403);
    const workspaces = await service.database.prisma.workspace.count();
    expect(workspaces).toBe(0);

    const created = await client.post<{ id: string }>(
      '/api/workspaces',
      { name: 'Via console' },
      withSession({ 'x-csrf-token': csrf }),
    );
    expect(created.status).toBe(201);
    const trail = await client.get<{ data: { actor: { kind: string } }[] }>(
      `/api/workspaces/${created.body.id}/audit`,
      withSession(),
    );
    expect(trail.body.data[0]!.actor.kind).toBe('console_session');
  });

  it('signs out at once and prints no new link once the console was signed in to', async () => {
    const client = apiClient(service.url);
    const out = await client.delete('/api/session', withSession({ 'x-csrf-token': csrf }));
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join(';')).toMatch(/pryzm_session=;.*Max-Age=0/);
    // Cleared on the path it was set with, or the browser would keep it.
    expect(out.headers.getSetCookie().find((c) => c.startsWith('pryzm_csrf='))).toMatch(
      /^pryzm_csrf=; Path=\/;.*Max-Age=0/,
    );
    const after = await client.get('/api/session', withSession());
    expect(after).toMatchObject({ status: 401, body: { error: { code: 'invalid_session' } } });

    await service.stop();
    service = await bootService(databaseUrl, security.env);
    expect(printedLink(service.logs())).toBeUndefined();
  });

  it('mints a new link for the operator only', async () => {
    const operator = apiClient(service.url, security.adminToken);
    const minted = await operator.post<{ link: string; url: string }>('/api/session/links');
    expect(minted.status).toBe(201);
    expect(minted.body.url).toBe(`${service.url}/console/#sign-in=${minted.body.link}`);
    const signIn = await apiClient(service.url).post('/api/session', { link: minted.body.link });
    expect(signIn.status).toBe(201);
  });

  it("signs a member in with a one-time link an Admin minted, acting with the member's role", async () => {
    const ws = await createWorkspace(service.url, security.adminToken, 'Members sign in');
    const viewer = await addMemberWithToken(ws.client, ws.id, 'viewer');
    const linksPath = `/api/workspaces/${ws.id}/members/${viewer.memberId}/sign-in-links`;
    // Only an Admin of the member's workspace mints one.
    const byViewer = await apiClient(service.url, viewer.secret).post(linksPath, {});
    expect(byViewer.status).toBe(403);
    const other = await createWorkspace(service.url, security.adminToken, 'Other members');
    const foreign = await other.client.post(linksPath, {});
    expect(foreign.status).toBe(404);
    const unknown = await ws.client.post(
      `/api/workspaces/${ws.id}/members/00000000-0000-4000-8000-000000000000/sign-in-links`,
      {},
    );
    expect(unknown.status).toBe(404);

    const minted = await ws.client.post<{ link: string; url: string; expiresAt: string }>(
      linksPath,
      {},
    );
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    expect(minted.headers.get('cache-control')).toBe('no-store');
    expect(minted.body.url).toBe(`${service.url}/console/#sign-in=${minted.body.link}`);
    const lifetime = Date.parse(minted.body.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(0);
    expect(lifetime).toBeLessThanOrEqual(15 * 60_000);

    const anonymous = apiClient(service.url);
    const signIn = await anonymous.post<{ csrfToken: string }>('/api/session', {
      link: minted.body.link,
    });
    expect(signIn.status).toBe(201);
    expect(signIn.body).toMatchObject({
      kind: 'workspace',
      workspaceId: ws.id,
      memberId: viewer.memberId,
      role: 'viewer',
    });
    const again = await anonymous.post('/api/session', { link: minted.body.link });
    expect(again).toMatchObject({ status: 401, body: { error: { code: 'invalid_link' } } });

    const values = cookiesOf(signIn);
    const member = {
      cookie: `pryzm_session=${values.pryzm_session}; pryzm_csrf=${values.pryzm_csrf}`,
      'x-csrf-token': signIn.body.csrfToken,
    };
    const me = await anonymous.get('/api/session', member);
    expect(me.body).toMatchObject({
      kind: 'workspace',
      via: 'session',
      workspaceId: ws.id,
      role: 'viewer',
      memberId: viewer.memberId,
    });
    // A Viewer reads its workspace, writes nothing, and sees no other workspace.
    expect((await anonymous.get(`/api/workspaces/${ws.id}/record-types`, member)).status).toBe(200);
    const write = await anonymous.post(
      `/api/workspaces/${ws.id}/record-types/organization/records`,
      { values: { name: 'By a viewer' } },
      member,
    );
    expect(write.status).toBe(403);
    expect((await anonymous.get(`/api/workspaces/${other.id}`, member)).status).toBe(404);
    expect((await anonymous.post('/api/session/links', {}, member)).status).toBe(403);

    // The session follows the member's role as it is now.
    const promoted = await ws.client.patch(`/api/workspaces/${ws.id}/members/${viewer.memberId}`, {
      role: 'editor',
    });
    expect(promoted.status).toBe(200);
    const written = await anonymous.post(
      `/api/workspaces/${ws.id}/record-types/organization/records`,
      { values: { name: 'By an editor' } },
      member,
    );
    expect(written.status).toBe(201);

    // The audit log names who minted the link and the member's sign-in.
    const trail = await ws.client.get<{ data: { action: string; actor: { kind: string } }[] }>(
      `/api/workspaces/${ws.id}/audit?limit=20`,
    );
    const actions = trail.body.data.map((entry) => `${entry.actor.kind} ${entry.action}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'api_key POST /members/:memberId/sign-in-links',
        'console_session console.sign_in',
      ]),
    );

    // Removing the member ends the session.
    const removed = await ws.client.delete(`/api/workspaces/${ws.id}/members/${viewer.memberId}`);
    expect(removed.status).toBe(200);
    const after = await anonymous.get('/api/session', member);
    expect(after).toMatchObject({ status: 401, body: { error: { code: 'invalid_session' } } });
  });
});
