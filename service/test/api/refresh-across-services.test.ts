import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { createWorkspace, testSecurityEnv, apiClient } from '../support/api.ts';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';
import {
  localOrgEnv,
  runBrowserFlow,
  startTwoOrgs,
  testConnectedApp,
} from '../support/localorg.ts';
import { bootService } from '../support/service.ts';

type Connection = { id: string; status: string; authCallCount: number };

const { app } = testConnectedApp();

/**
 * Two service processes on one database (a scaled-out deployment) renew the same expired session
 * at once. With refresh-token rotation only one renewal can win: the other's refresh token was
 * spent by the winner and Salesforce answers `invalid_grant`. That loser must pick up the session
 * the winner stored instead of declaring the connection in need of re-authorisation.
 */
describe.each(PROVIDERS)('session renewal shared by two services on %s', (provider) => {
  let local: LocalOrg;
  let first: Awaited<ReturnType<typeof bootService>>;
  let second: Awaited<ReturnType<typeof bootService>>;
  const security = testSecurityEnv();

  beforeAll(async () => {
    local = await startTwoOrgs(app);
    const databaseUrl = await freshDatabaseUrl(provider);
    const env = { ...security.env, ...localOrgEnv(local, app) };
    first = await bootService(databaseUrl, env);
    second = await bootService(databaseUrl, env);
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await local?.close();
  });

  it('keeps the connection active when the other service rotated the refresh token first', async () => {
    const ws = await createWorkspace(first.url, security.adminToken, 'Scaled out');
    const connections = `/api/workspaces/${ws.id}/connections`;
    const started = await ws.client.post<{ connection: Connection; authorizationUrl: string }>(
      connections,
      { authFlow: 'web_server', environment: 'production' },
    );
    const done = await runBrowserFlow(started.body.authorizationUrl, local.orgs[0]!.users[0]!);
    expect(done.body).toMatchObject({ status: 'active' });
    const id = started.body.connection.id;
    const viaSecond = apiClient(second.url, ws.key);

    for (let round = 0; round < 3; round += 1) {
      local.faults(local.orgs[0]!.id).expireTokens();
      const results = await Promise.all([
        ws.client.get(`${connections}/${id}/describe/Account?refresh=true`),
        viaSecond.get(`${connections}/${id}/describe/Contact?refresh=true`),
      ]);
      expect(
        results.map((r) => r.status),
        `round ${round}`,
      ).toEqual([200, 200]);
    }
    const shown = (await ws.client.get<Connection>(`${connections}/${id}`)).body;
    expect(shown.status).toBe('active');
  });
});
