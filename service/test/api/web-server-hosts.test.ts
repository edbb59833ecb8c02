import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { runBrowserFlow, testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

type Connection = Record<string, unknown> & { id: string; status: string; loginUrl: string };

const { app, privateKeyPem } = testConnectedApp();

describe('the web-server flow against the sandbox login host and a My Domain', () => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient };

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, 'sqlite', 'Hosts');
    ({ local, ws } = stack);
  });
  afterAll(() => stack?.close());

  async function start(body: Record<string, unknown>) {
    const started = await ws.client.post<{ connection: Connection; authorizationUrl: string }>(
      `/api/workspaces/${ws.id}/connections`,
      { authFlow: 'web_server', ...body },
    );
    expect(started.status).toBe(202);
    return started.body;
  }

  it('signs a sandbox user in on the sandbox login host, with PKCE and state', async () => {
    const sandbox = local.orgs[1]!;
    const { connection, authorizationUrl } = await start({ environment: 'sandbox' });
    expect(connection.loginUrl).toBe(local.sandboxLoginUrl);
    const done = await runBrowserFlow(authorizationUrl, sandbox.users[0]!);
    expect(done.salesforceUrl.origin).toBe(new URL(local.sandboxLoginUrl).origin);
    // Salesforce takes the challenge as SHA-256 of the verifier (base64url, 43 characters).
    expect(done.salesforceUrl.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(done.salesforceUrl.searchParams.get('state')).toBeTruthy();
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'active',
      environment: 'sandbox',
      orgId: sandbox.id,
      orgName: 'Acme UAT',
      isSandbox: true,
      instanceUrl: sandbox.instanceUrl,
      username: sandbox.users[0]!.username,
    });
  });

  it('signs a production user in on the org’s My Domain login URL', async () => {
    const production = local.orgs[0]!;
    const { authorizationUrl } = await start({
      environment: 'custom',
      loginUrl: `${production.instanceUrl}/some/path?ignored=1`,
    });
    const done = await runBrowserFlow(authorizationUrl, production.users[0]!);
    expect(done.salesforceUrl.origin).toBe(production.instanceUrl);
    expect(done.salesforceUrl.pathname).toBe('/services/oauth2/authorize');
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'active',
      environment: 'custom',
      loginUrl: production.instanceUrl,
      orgId: production.id,
      orgName: 'Acme Production',
      isSandbox: false,
    });

    const listed = await ws.client.get<{ data: Connection[] }>(
      `/api/workspaces/${ws.id}/connections`,
    );
    expect(listed.body.data.filter((c) => c.status === 'active')).toHaveLength(2);
  });

  it('keeps a sandbox user out of production through the My Domain of the other org', async () => {
    const production = local.orgs[0]!;
    const { connection, authorizationUrl } = await start({
      environment: 'custom',
      loginUrl: production.instanceUrl,
    });
    await expect(runBrowserFlow(authorizationUrl, local.orgs[1]!.users[0]!)).rejects.toThrow(
      'login failed',
    );
    const shown = await ws.client.get<Connection>(
      `/api/workspaces/${ws.id}/connections/${connection.id}`,
    );
    expect(shown.body.status).toBe('pending_authorization');
  });

  it('connects headlessly (JWT bearer) through the sandbox’s My Domain too', async () => {
    const sandbox = local.orgs[1]!;
    const connected = await ws.client.post<Connection>(`/api/workspaces/${ws.id}/connections`, {
      authFlow: 'jwt_bearer',
      environment: 'custom',
      loginUrl: sandbox.instanceUrl,
      clientId: app.clientId,
      username: sandbox.users[1]!.username,
      privateKey: privateKeyPem,
    });
    // The org is already connected through the web-server flow above: signed in, then refused.
    expect(connected.status).toBe(409);
    expect(connected.body).toMatchObject({ error: { code: 'org_already_connected' } });
  });
});
