import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { passwordConnectionRequest, testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

type Connection = Record<string, unknown> & {
  id: string;
  status: string;
  statusMessage: string | null;
  authCallCount: number;
};
type Body = Record<string, unknown> & { error?: { code: string; message: string } };

const connectedApp = testConnectedApp();
const { app } = connectedApp;

/**
 * Headless connections renew their session by signing in again. When Salesforce refuses that
 * for good (the certificate was replaced, the password changed), the connection needs
 * re-authorisation, says why, stops asking, and comes back with new credentials.
 */
describe.each(PROVIDERS)(
  'renewals refused for JWT bearer and password connections on %s',
  (provider) => {
    let stack: ServiceWithTwoOrgs | undefined;
    let local: LocalOrg;
    let ws: { id: string; client: ApiClient };

    beforeAll(async () => {
      stack = await startServiceWithTwoOrgs(app, provider, 'Renewals');
      ({ local, ws } = stack);
    });
    afterAll(() => stack?.close());

    const connections = () => `/api/workspaces/${ws.id}/connections`;
    const show = async (id: string) =>
      (await ws.client.get<Connection>(`${connections()}/${id}`)).body;

    async function expectNeedsReauthorization(id: string, reason: RegExp) {
      const call = await ws.client.get<Body>(`${connections()}/${id}/describe?refresh=true`);
      expect(call.status).toBe(409);
      expect(call.body.error?.code).toBe('needs_reauthorization');
      const shown = await show(id);
      expect(shown).toMatchObject({
        status: 'needs_reauthorization',
        statusLabel: 'Needs re-authorisation',
      });
      expect(shown.statusMessage).toMatch(reason);
      // No retry loop: later calls fail at once without another sign-in attempt.
      const again = await ws.client.get<Body>(`${connections()}/${id}/describe?refresh=true`);
      expect(again.status).toBe(409);
      expect((await show(id)).authCallCount).toBe(shown.authCallCount);
    }

    it('JWT bearer: a replaced certificate needs a new key, and the new key is kept', async () => {
      const sandbox = local.orgs[1]!;
      const connected = await ws.client.post<Connection>(connections(), {
        authFlow: 'jwt_bearer',
        environment: 'sandbox',
        clientId: app.clientId,
        username: sandbox.users[0]!.username,
        privateKey: connectedApp.privateKeyPem,
      });
      expect(connected.status).toBe(201);
      const id = connected.body.id;

      // The admin uploads a new certificate to the connected app; the old key no longer signs.
      const next = testConnectedApp();
      const oldCertificate = app.certificatePem;
      app.certificatePem = next.app.certificatePem;
      try {
        local.faults(sandbox.id).expireTokens();
        await expectNeedsReauthorization(id, /invalid_grant/);

        const withOldKey = await ws.client.post<Body>(`${connections()}/${id}/reauthorize`);
        expect(withOldKey.status).toBe(400);
        expect(withOldKey.body.error?.code).toBe('authentication_failed');
        const notAKey = await ws.client.post<Body>(`${connections()}/${id}/reauthorize`, {
          privateKey: 'not a key',
        });
        expect(notAKey.status).toBe(400);
        expect(notAKey.body.error?.code).toBe('invalid_request');
        const wrongKind = await ws.client.post<Body>(`${connections()}/${id}/reauthorize`, {
          password: 'x',
        });
        expect(wrongKind.status).toBe(400);
        expect(wrongKind.body.error?.code).toBe('credentials_not_applicable');

        const renewed = await ws.client.post<Connection>(`${connections()}/${id}/reauthorize`, {
          privateKey: next.privateKeyPem,
        });
        expect(renewed.status).toBe(200);
        expect(renewed.body).toMatchObject({ status: 'active', statusMessage: null });
        // The new key is the stored one now: the next renewal signs with it.
        local.faults(sandbox.id).expireTokens();
        const call = await ws.client.get(`${connections()}/${id}/describe?refresh=true`);
        expect(call.status).toBe(200);
      } finally {
        app.certificatePem = oldCertificate;
      }
    });

    it('password: a changed password needs the new one; a wrong one changes nothing', async () => {
      const production = local.orgs[0]!;
      const user = production.users[1]!;
      const connected = await ws.client.post<Connection>(
        connections(),
        passwordConnectionRequest(app, user, { environment: 'production' }),
      );
      expect(connected.status).toBe(201);
      const id = connected.body.id;

      const orgUser = local.org(production.id).userByUsername(user.username)!;
      const oldPassword = orgUser.config.password;
      orgUser.config.password = 'Changed-password-7';
      try {
        local.faults(production.id).expireTokens();
        await expectNeedsReauthorization(id, /invalid_grant/);

        const wrong = await ws.client.post<Body>(`${connections()}/${id}/reauthorize`, {
          password: 'Still-wrong-1',
          securityToken: user.securityToken,
        });
        expect(wrong.status).toBe(400);
        expect(wrong.body.error?.code).toBe('authentication_failed');
        expect((await show(id)).status).toBe('needs_reauthorization');
        const tokenOnly = await ws.client.post<Body>(`${connections()}/${id}/reauthorize`, {
          securityToken: user.securityToken,
        });
        expect(tokenOnly.body.error?.code).toBe('password_required');

        const renewed = await ws.client.post<Connection>(`${connections()}/${id}/reauthorize`, {
          password: 'Changed-password-7',
          securityToken: user.securityToken,
        });
        expect(renewed.status).toBe(200);
        expect(renewed.body.status).toBe('active');
        local.faults(production.id).expireTokens();
        expect((await ws.client.get(`${connections()}/${id}/describe?refresh=true`)).status).toBe(
          200,
        );
      } finally {
        orgUser.config.password = oldPassword;
      }
    });

    it('a web-server connection re-authorises in the browser only', async () => {
      const list = (await ws.client.get<{ data: Connection[] }>(connections())).body.data;
      const started = await ws.client.post<{ connection: Connection }>(connections(), {
        authFlow: 'web_server',
        environment: 'production',
      });
      expect(list).toHaveLength(2);
      const refused = await ws.client.post<Body>(
        `${connections()}/${started.body.connection.id}/reauthorize`,
        { password: 'x' },
      );
      expect(refused.status).toBe(400);
      expect(refused.body.error?.code).toBe('credentials_not_applicable');
    });
  },
);
