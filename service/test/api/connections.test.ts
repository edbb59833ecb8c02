import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { SecretBox } from '../../src/crypto/secret-box.ts';
import { apiClient, createWorkspace, type ApiClient } from '../support/api.ts';
import { readStoredTokens, type StoredTokens } from '../support/connections.ts';
import { PROVIDERS } from '../support/databases.ts';
import {
  passwordConnectionRequest,
  runBrowserFlow,
  testConnectedApp,
} from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

type Connection = Record<string, unknown> & {
  id: string;
  status: string;
  apiCallCount: number;
  authCallCount: number;
};
type Body = Record<string, unknown> & { error?: { code: string; message: string } };

const { app, privateKeyPem } = testConnectedApp();

// Shuffled: every test stands alone, whatever ran before it.
describe.shuffle.each(PROVIDERS)('connections to local orgs on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let service: ServiceWithTwoOrgs['service'];
  let databaseUrl: string;
  let security: ServiceWithTwoOrgs['security'];
  let prodUser: { username: string; password: string; securityToken: string };
  let sandboxUser: { username: string; password: string; securityToken: string };

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Connections');
    ({ local, service, databaseUrl, security } = stack);
    prodUser = local.orgs[0]!.users[0]!;
    sandboxUser = local.orgs[1]!.users[0]!;
  });
  afterAll(() => stack?.close());

  type Workspace = { id: string; client: ApiClient };
  let workspaces = 0;

  /** Each test starts from its own workspace, so no test depends on another's connections. */
  async function newWorkspace(): Promise<Workspace> {
    workspaces += 1;
    return createWorkspace(service.url, security.adminToken, `Connections ${workspaces}`);
  }

  const connections = (ws: Workspace) => `/api/workspaces/${ws.id}/connections`;

  async function startWebServer(
    ws: Workspace,
    environment: 'production' | 'sandbox' = 'production',
  ) {
    const started = await ws.client.post<{
      connection: Connection;
      authorizationUrl: string;
    }>(connections(ws), { authFlow: 'web_server', environment });
    expect(started.status).toBe(202);
    expect(started.body.connection.status).toBe('pending_authorization');
    return started.body;
  }

  /** The stored secrets of a connection, decrypted with the test key. */
  async function storedTokens(id: string): Promise<StoredTokens> {
    const stored = await readStoredTokens(databaseUrl, security.encryptionKey);
    return (
      stored.find((tokens) => tokens.row.id === id) ?? {
        row: {},
        accessToken: null,
        refreshToken: null,
      }
    );
  }

  async function revokeAtSalesforce(token: string) {
    const response = await fetch(`${local.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token }),
    });
    expect(response.status).toBe(200);
  }

  /** Production, connected through the web-server flow. */
  async function connectProduction(ws: Workspace): Promise<Connection> {
    const { authorizationUrl } = await startWebServer(ws);
    const done = await runBrowserFlow(authorizationUrl, prodUser);
    expect(done.status).toBe(200);
    return done.body as unknown as Connection;
  }

  /** The sandbox, connected headlessly with JWT bearer and labelled UAT. */
  async function connectSandbox(ws: Workspace): Promise<Connection> {
    const connected = await ws.client.post<Connection>(connections(ws), {
      authFlow: 'jwt_bearer',
      environment: 'sandbox',
      label: 'UAT',
      clientId: app.clientId,
      username: sandboxUser.username,
      privateKey: privateKeyPem,
    });
    expect(connected.status).toBe(201);
    return connected.body;
  }

  it('connects production through the web-server flow with PKCE and shows the org', async () => {
    const ws = await newWorkspace();
    const { connection, authorizationUrl } = await startWebServer(ws);
    expect(authorizationUrl).toMatch(/\/oauth\/authorize\?state=[A-Za-z0-9_-]{43}$/);
    const done = await runBrowserFlow(authorizationUrl, prodUser);
    expect(done.salesforceUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      id: connection.id,
      status: 'active',
      statusLabel: 'Active',
      orgId: local.orgs[0]!.id,
      orgName: 'Acme Production',
      edition: 'Enterprise Edition',
      isSandbox: false,
      instanceUrl: local.orgs[0]!.instanceUrl,
      username: prodUser.username,
      authFlow: 'web_server',
    });
    const replayed = await done.replay();
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as Body).error?.code).toBe('invalid_state');
    const shown = await ws.client.get<Connection>(`${connections(ws)}/${connection.id}`);
    expect(shown.body.apiCallCount).toBeGreaterThanOrEqual(1);
    expect(shown.body.authCallCount).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(shown.body)).not.toMatch(/Encrypted|token"/i);
  });

  it('stores tokens encrypted: the database alone does not reveal them', async () => {
    const ws = await newWorkspace();
    const connection = await connectProduction(ws);
    const { row, accessToken, refreshToken } = await storedTokens(connection.id);
    expect(accessToken).toBeTruthy();
    expect(refreshToken).toBeTruthy();
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(accessToken);
    expect(raw).not.toContain(refreshToken);
    expect(row.accessTokenEncrypted).toMatch(/^enc1\./);
    const wrongKey = new SecretBox(Buffer.alloc(32, 7));
    expect(() =>
      wrongKey.decrypt(String(row.accessTokenEncrypted), `connection:${connection.id}:accessToken`),
    ).toThrow();
    expect(JSON.stringify(service.logs())).not.toContain(accessToken);
  });

  it('reports denied consent and leaves the connection unconnected', async () => {
    const ws = await newWorkspace();
    const { connection, authorizationUrl } = await startWebServer(ws);
    const done = await runBrowserFlow(authorizationUrl, { ...prodUser, decision: 'deny' });
    expect(done.status).toBe(400);
    expect(done.body.error?.code).toBe('authorization_denied');
    expect(done.body.error?.message).toContain('end-user denied authorization');
    const shown = await ws.client.get<Connection>(`${connections(ws)}/${connection.id}`);
    expect(shown.body.status).toBe('pending_authorization');
    expect(shown.body.orgId).toBeNull();
  });

  it('refuses a bad state, a callback from another browser and a replayed callback', async () => {
    const ws = await newWorkspace();
    const forged = await runBrowserFlow((await startWebServer(ws)).authorizationUrl, {
      ...prodUser,
      tamperCallback: (url) => url.searchParams.set('state', 'forged-state'),
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error?.code).toBe('invalid_state');

    const otherBrowser = await runBrowserFlow((await startWebServer(ws)).authorizationUrl, {
      ...prodUser,
      dropCookie: true,
    });
    expect(otherBrowser.status).toBe(401);
    expect(otherBrowser.body.error?.message).toContain('did not start');

    const noState = await fetch(`${service.url}/oauth/callback?code=abc`, {
      headers: { accept: 'application/json' },
    });
    expect(noState.status).toBe(401);
    const noStateAuthorize = await fetch(`${service.url}/oauth/authorize`, { redirect: 'manual' });
    expect(noStateAuthorize.status).toBe(401);
  });

  it('refuses an authorisation link once the API key that made it is revoked', async () => {
    const ws = await newWorkspace();
    const issued = await ws.client.post<{ id: string; secret: string }>(
      `/api/workspaces/${ws.id}/api-keys`,
      { name: 'Short-lived' },
    );
    const keyClient = apiClient(service.url, issued.body.secret);
    const started = await keyClient.post<{ authorizationUrl: string }>(connections(ws), {
      authFlow: 'web_server',
      environment: 'production',
    });
    expect(started.status).toBe(202);
    await ws.client.delete(`/api/workspaces/${ws.id}/api-keys/${issued.body.id}`);
    const opened = await fetch(started.body.authorizationUrl, { redirect: 'manual' });
    expect(opened.status).toBe(401);
    expect(((await opened.json()) as Body).error?.code).toBe('invalid_state');
  });

  it('fails cleanly on a PKCE mismatch', async () => {
    const ws = await newWorkspace();
    const { connection, authorizationUrl } = await startWebServer(ws);
    const done = await runBrowserFlow(authorizationUrl, {
      ...prodUser,
      tamper: (url) => url.searchParams.set('code_challenge', 'A'.repeat(43)),
    });
    expect(done.status).toBe(400);
    expect(done.body.error).toMatchObject({ code: 'token_exchange_failed' });
    expect(done.body.error?.message).toContain('invalid code verifier');
    const shown = await ws.client.get<Connection>(`${connections(ws)}/${connection.id}`);
    expect(shown.body.status).toBe('pending_authorization');
  });

  it('connects the sandbox headlessly with JWT bearer; a wrong key changes nothing', async () => {
    const ws = await newWorkspace();
    const before = (await ws.client.get<{ data: unknown[] }>(connections(ws))).body.data.length;
    const other = testConnectedApp();
    const refused = await ws.client.post<Body>(connections(ws), {
      authFlow: 'jwt_bearer',
      environment: 'sandbox',
      clientId: app.clientId,
      username: sandboxUser.username,
      privateKey: other.privateKeyPem,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe('authentication_failed');
    expect(refused.body.error?.message).toContain('invalid_grant');
    expect((await ws.client.get<{ data: unknown[] }>(connections(ws))).body.data).toHaveLength(
      before,
    );

    const connected = await ws.client.post<Connection>(connections(ws), {
      authFlow: 'jwt_bearer',
      environment: 'sandbox',
      label: 'UAT',
      clientId: app.clientId,
      username: sandboxUser.username,
      privateKey: privateKeyPem,
    });
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({
      status: 'active',
      orgId: local.orgs[1]!.id,
      orgName: 'Acme UAT',
      isSandbox: true,
      username: sandboxUser.username,
      label: 'UAT',
    });
  });

  it('resolves the package’s names with or without the namespace and caches describes', async () => {
    const ws = await newWorkspace();
    const sandbox = await connectSandbox(ws);
    const base = `${connections(ws)}/${sandbox.id}/describe`;
    const global = await ws.client.get<{ sobjects: { name: string }[] }>(base);
    expect(global.status).toBe(200);
    expect(global.body.sobjects.map((s) => s.name)).toContain('Account');
    const account = await ws.client.get<{ describe: { name: string; fields: { name: string }[] } }>(
      `${base}/Account`,
    );
    expect(account.body.describe.fields.map((f) => f.name)).toContain('pryzm__Pryzm_ID__c');
    const event = await ws.client.get<{ describe: { name: string } }>(
      `${base}/Pryzm_Record_Change__e`,
    );
    expect(event.body.describe.name).toBe('pryzm__Pryzm_Record_Change__e');

    const counted = (await ws.client.get<Connection>(`${connections(ws)}/${sandbox.id}`)).body;
    await ws.client.get(`${base}/Account`);
    await ws.client.get(base);
    const cached = (await ws.client.get<Connection>(`${connections(ws)}/${sandbox.id}`)).body;
    expect(cached.apiCallCount).toBe(counted.apiCallCount);
    await ws.client.get(`${base}/Account?refresh=true`);
    const refreshed = (await ws.client.get<Connection>(`${connections(ws)}/${sandbox.id}`)).body;
    expect(refreshed.apiCallCount).toBe(counted.apiCallCount + 1);

    const missing = await ws.client.get<Body>(`${base}/No_Such_Object__c`);
    expect(missing.status).toBe(404);
    expect(missing.body.error?.code).toBe('unknown_object');
  });

  it('shows the org’s own API usage and allocation as Salesforce reports them', async () => {
    const ws = await newWorkspace();
    const sandbox = await connectSandbox(ws);
    const faults = local.faults(local.orgs[1]!.id);
    const { apiLimit } = faults.snapshot();
    // Other clients of the org have spent half of today's allocation.
    faults.setApiUsage(Math.floor(apiLimit / 2));
    const described = await ws.client.get(
      `${connections(ws)}/${sandbox.id}/describe/Contact?refresh=true`,
    );
    expect(described.status).toBe(200);
    const shown = (
      await ws.client.get<
        Connection & { orgApiUsage: { used: number; limit: number; reportedAt: string } }
      >(`${connections(ws)}/${sandbox.id}`)
    ).body;
    expect(shown.orgApiUsage).toMatchObject({ used: faults.snapshot().apiUsage, limit: apiLimit });
    expect(shown.orgApiUsage.used).toBeGreaterThanOrEqual(Math.floor(apiLimit / 2));
    expect(Date.parse(shown.orgApiUsage.reportedAt)).not.toBeNaN();
  });

  it('connects with username, password and security token (legacy) and refuses a bad password', async () => {
    const ws = await newWorkspace();
    await connectProduction(ws);
    const production = local.orgs[0]!.users[1]!;
    const bad = await ws.client.post<Body>(
      connections(ws),
      passwordConnectionRequest(app, production, { environment: 'production', password: 'wrong' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('authentication_failed');
    // The org is already connected through the web-server flow: a second connection is refused.
    const duplicate = await ws.client.post<Body>(
      connections(ws),
      passwordConnectionRequest(app, production, { environment: 'production' }),
    );
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error?.code).toBe('org_already_connected');
    // The refused attempt keeps nothing secret: no token, no password, no consumer secret.
    const stored = await readStoredTokens(databaseUrl, security.encryptionKey);
    const refused = stored.find(
      (tokens) =>
        tokens.row.status === 'disconnected' &&
        String(tokens.row.statusMessage).includes('already connected'),
    );
    expect(refused?.row).toMatchObject({
      accessTokenEncrypted: null,
      refreshTokenEncrypted: null,
      credentialEncrypted: null,
      clientSecretEncrypted: null,
    });
  });

  it('refreshes once for concurrent callers and stores the rotated refresh token', async () => {
    const ws = await newWorkspace();
    const production = await connectProduction(ws);
    const before = await storedTokens(production.id);
    await revokeAtSalesforce(before.accessToken!);
    const authCallsBefore = (await ws.client.get<Connection>(`${connections(ws)}/${production.id}`))
      .body.authCallCount;
    const base = `${connections(ws)}/${production.id}/describe`;
    const results = await Promise.all(
      ['Account', 'Contact', 'Lead', 'Case'].map((name) =>
        ws.client.get(`${base}/${name}?refresh=true`),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const after = await storedTokens(production.id);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
    const shown = (await ws.client.get<Connection>(`${connections(ws)}/${production.id}`)).body;
    expect(shown.status).toBe('active');
    // Four callers found the session expired; one token request renewed it for all of them.
    expect(shown.authCallCount - authCallsBefore).toBe(1);
  });

  it('marks a connection whose refresh token was revoked as needing re-authorisation', async () => {
    const ws = await newWorkspace();
    const production = await connectProduction(ws);
    const tokens = await storedTokens(production.id);
    await revokeAtSalesforce(tokens.refreshToken!);
    const call = await ws.client.get<Body>(
      `${connections(ws)}/${production.id}/describe?refresh=true`,
    );
    expect(call.status).toBe(409);
    expect(call.body.error?.code).toBe('needs_reauthorization');
    const shown = (await ws.client.get<Connection>(`${connections(ws)}/${production.id}`)).body;
    expect(shown.status).toBe('needs_reauthorization');
    expect(shown.statusMessage).toContain('invalid_grant');
    // No retry loop: the next call fails at once without asking Salesforce again.
    const again = await ws.client.get<Body>(
      `${connections(ws)}/${production.id}/describe?refresh=true`,
    );
    expect(again.status).toBe(409);
    const unchanged = (await ws.client.get<Connection>(`${connections(ws)}/${production.id}`)).body;
    expect(unchanged.authCallCount).toBe(shown.authCallCount);

    // Re-authorising through the browser brings it back.
    const reauth = await ws.client.post<{ authorizationUrl: string }>(
      `${connections(ws)}/${production.id}/reauthorize`,
    );
    expect(reauth.status).toBe(202);
    const done = await runBrowserFlow(reauth.body.authorizationUrl, prodUser);
    expect(done.body).toMatchObject({ id: production.id, status: 'active' });
  });

  it('disconnects: revokes the token, keeps records, refuses further calls', async () => {
    const ws = await newWorkspace();
    const sandbox = await connectSandbox(ws);
    const record = await ws.client.post<Body>(
      `/api/workspaces/${ws.id}/record-types/organization/records`,
      { values: { name: 'Kept' } },
    );
    const { accessToken } = await storedTokens(sandbox.id);
    const disconnected = await ws.client.delete<Connection>(`${connections(ws)}/${sandbox.id}`);
    expect(disconnected.status).toBe(200);
    expect(disconnected.body).toMatchObject({ status: 'disconnected', tokenRevoked: true });
    const userinfo = await fetch(`${local.orgs[1]!.instanceUrl}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(userinfo.status).toBe(403);
    expect((await storedTokens(sandbox.id)).accessToken).toBeNull();
    const kept = await ws.client.get<Body>(
      `/api/workspaces/${ws.id}/records/${String(record.body.id)}`,
    );
    expect(kept.body).toMatchObject({ values: { name: 'Kept' }, deletedAt: null });
    const call = await ws.client.get<Body>(
      `${connections(ws)}/${sandbox.id}/describe?refresh=true`,
    );
    expect(call.status).toBe(409);
  });

  it('reconnects the disconnected sandbox through its My Domain login URL', async () => {
    const ws = await newWorkspace();
    const sandbox = await connectSandbox(ws);
    expect((await ws.client.delete(`${connections(ws)}/${sandbox.id}`)).status).toBe(200);
    const sandboxOrg = local.orgs[1]!;
    const connected = await ws.client.post<Connection>(
      connections(ws),
      passwordConnectionRequest(app, sandboxUser, {
        environment: 'custom',
        loginUrl: sandboxOrg.instanceUrl,
      }),
    );
    expect(connected.status).toBe(201);
    expect(connected.body).toMatchObject({
      status: 'active',
      environment: 'custom',
      loginUrl: sandboxOrg.instanceUrl,
      orgId: sandboxOrg.id,
      label: 'Salesforce',
    });
  });

  it('rejects bad connection requests with machine-readable codes', async () => {
    const ws = await newWorkspace();
    const unknownFlow = await ws.client.post<Body>(connections(ws), { authFlow: 'magic' });
    expect(unknownFlow.status).toBe(400);
    expect(unknownFlow.body.error?.code).toBe('invalid_request');
    const foreignHost = await ws.client.post<Body>(connections(ws), {
      authFlow: 'web_server',
      environment: 'custom',
      loginUrl: 'https://evil.example.com',
    });
    expect(foreignHost.status).toBe(400);
    expect(foreignHost.body.error?.code).toBe('invalid_login_url');
    const badKey = await ws.client.post<Body>(connections(ws), {
      authFlow: 'jwt_bearer',
      clientId: 'x',
      username: 'someone@example.com',
      privateKey: 'not a key',
    });
    expect(badKey.status).toBe(400);
  });
});
