import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { loadConfig } from '../../src/config/env.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { startService, type RunningService } from '../../src/service.ts';
import { serviceDir } from '../../src/store/migrations/migration-files.ts';
import { createWorkspace, testSecurityEnv, type ApiClient } from '../support/api.ts';
import { readStoredTokens } from '../support/connections.ts';
import { freshDatabaseUrl } from '../support/databases.ts';
import {
  localOrgEnv,
  runBrowserFlow,
  startTwoOrgs,
  testConnectedApp,
} from '../support/localorg.ts';

const { app, privateKeyPem } = testConnectedApp();

/**
 * Every way a secret passes through the service (the three sign-in flows, failed sign-ins,
 * refresh with rotation, a refused refresh, disconnect), logged at debug level: no secret may
 * appear in any log line or in any API answer.
 */
describe('secrets never reach the logs', () => {
  let local: LocalOrg;
  let service: RunningService;
  let databaseUrl: string;
  const chunks: string[] = [];
  const security = testSecurityEnv();
  let ws: { id: string; key: string; client: ApiClient };
  /** Every secret seen during the test. */
  const secrets = new Set<string>();
  const answers: string[] = [];
  let state = '';

  beforeAll(async () => {
    local = await startTwoOrgs(app);
    databaseUrl = await freshDatabaseUrl('sqlite');
    const config = loadConfig(
      { DATABASE_URL: databaseUrl, ...security.env, ...localOrgEnv(local, app) },
      { serviceDir },
    );
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    });
    service = await startService({ ...config, port: 0 }, createLogger('debug', sink));
    ws = await createWorkspace(service.url, security.adminToken, 'Secrets');
    for (const secret of [security.adminToken, security.encryptionKey, ws.key, app.clientSecret])
      secrets.add(secret);
    for (const line of privateKeyPem.split('\n').filter((l) => l.length > 40)) secrets.add(line);
  });
  afterAll(async () => {
    await service?.stop();
    await local?.close();
  });

  const connections = () => `/api/workspaces/${ws.id}/connections`;
  async function call(method: 'get' | 'post' | 'delete', path: string, body?: unknown) {
    const response =
      method === 'post' ? await ws.client.post(path, body) : await ws.client[method](path);
    answers.push(JSON.stringify(response.body));
    return response;
  }

  async function collectStoredTokens() {
    for (const { accessToken, refreshToken } of await readStoredTokens(
      databaseUrl,
      security.encryptionKey,
    )) {
      if (accessToken) secrets.add(accessToken);
      if (refreshToken) secrets.add(refreshToken);
    }
  }

  it('connects through every flow, refreshes, fails and disconnects', async () => {
    const production = local.orgs[0]!;
    const sandbox = local.orgs[1]!;
    const admin = production.users[0]!;
    const integration = production.users[1]!;
    for (const user of [admin, integration, ...sandbox.users]) {
      secrets.add(user.password);
      secrets.add(user.securityToken);
    }

    // Web-server flow on the production org's My Domain.
    const started = await call('post', connections(), {
      authFlow: 'web_server',
      environment: 'custom',
      loginUrl: production.instanceUrl,
    });
    const authorizationUrl = String(started.body.authorizationUrl);
    // The state is in the link handed to the caller on purpose; it must not reach the logs.
    state = new URL(authorizationUrl).searchParams.get('state')!;
    const done = await runBrowserFlow(authorizationUrl, {
      ...admin,
      tamperCallback: (url) => secrets.add(url.searchParams.get('code')!),
    });
    expect(done.status).toBe(200);
    answers.push(JSON.stringify(done.body));
    const webServer = done.body;

    // Legacy flow: a wrong password, then the right one (refused after sign-in: the org is
    // already connected, so its fresh tokens are revoked; they must stay out of logs too).
    const password = {
      authFlow: 'password',
      environment: 'production',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      username: integration.username,
      securityToken: integration.securityToken,
    };
    secrets.add('Wrong-pass-99');
    const wrong = await call('post', connections(), { ...password, password: 'Wrong-pass-99' });
    expect(wrong.status).toBe(400);
    const legacy = await call('post', connections(), {
      ...password,
      password: integration.password,
    });
    expect(legacy.status).toBe(409);

    // JWT bearer on the sandbox, after a refused assertion.
    const jwt = {
      authFlow: 'jwt_bearer',
      environment: 'sandbox',
      clientId: app.clientId,
      username: sandbox.users[0]!.username,
    };
    const wrongKey = testConnectedApp().privateKeyPem;
    for (const line of wrongKey.split('\n').filter((l) => l.length > 40)) secrets.add(line);
    expect((await call('post', connections(), { ...jwt, privateKey: wrongKey })).status).toBe(400);
    const headless = await call('post', connections(), { ...jwt, privateKey: privateKeyPem });
    expect(headless.status).toBe(201);

    // Sessions expire: each connection renews its own way (a rotated refresh token, a new
    // assertion).
    await collectStoredTokens();
    local.faults(production.id).expireTokens();
    local.faults(sandbox.id).expireTokens();
    for (const id of [webServer.id, headless.body.id]) {
      const described = await call('get', `${connections()}/${String(id)}/describe?refresh=true`);
      expect(described.status).toBe(200);
    }
    await collectStoredTokens();

    // The refresh token is revoked in Salesforce: the renewal is refused for good.
    local.faults(production.id).revokeTokens();
    const refused = await call(
      'get',
      `${connections()}/${String(webServer.id)}/describe?refresh=true`,
    );
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('needs_reauthorization');

    const disconnected = await call('delete', `${connections()}/${String(headless.body.id)}`);
    expect(disconnected.status).toBe(200);
  });

  it('wrote none of them to a log line or an API answer', () => {
    const logs = chunks.join('');
    // The log did see these events (so the check below is not vacuous).
    for (const message of [
      'org connected',
      'connection needs re-authorisation',
      'org disconnected',
    ])
      expect(logs).toContain(message);
    const everything = `${logs}\n${answers.join('\n')}`;
    const leaked = [...secrets].filter(
      (secret) => secret.length >= 8 && everything.includes(secret),
    );
    expect(leaked).toEqual([]);
    expect(state.length).toBe(43);
    expect(logs).not.toContain(state);
    expect(secrets.size).toBeGreaterThan(15);
  });
});
