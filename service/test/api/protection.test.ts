import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/http/routes.ts';
import { freshDatabaseUrl } from '../support/databases.ts';
import { bootService } from '../support/service.ts';
import { apiClient, createWorkspace, testSecurityEnv } from '../support/api.ts';

/** Fills route parameters with ids of a real workspace so only the token decides the answer. */
function concretePath(path: string, workspaceId: string): string {
  return path
    .replace(':workspaceId', workspaceId)
    .replace(':recordTypeKey', 'person')
    .replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
}

describe('every API endpoint is protected', () => {
  let service: Awaited<ReturnType<typeof bootService>>;
  let workspaceId: string;
  let otherKey: string;
  const security = testSecurityEnv();

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl('sqlite'), security.env);
    workspaceId = (await createWorkspace(service.url, security.adminToken, 'Protected')).id;
    otherKey = (await createWorkspace(service.url, security.adminToken, 'Other')).key;
  });
  afterAll(async () => {
    await service.stop();
  });

  it('lists a meaningful number of routes', () => {
    expect(API_ROUTES.length).toBeGreaterThanOrEqual(16);
  });

  // Public routes (exchanging a sign-in link) take no token; route-role-matrix.test.ts covers them.
  const protectedRoutes = API_ROUTES.filter(([, , rule]) => rule !== 'public');

  it.each(protectedRoutes.map(([method, path]) => [method.toUpperCase(), path]))(
    '%s %s should be protected',
    async (method, path) => {
      const url = concretePath(path, workspaceId);
      const anonymous = await apiClient(service.url).call(
        method,
        url,
        method === 'GET' ? undefined : {},
      );
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toMatchObject({ error: { code: 'unauthorized' } });
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);

      const bad = await apiClient(service.url, 'pryzm_live_not-a-real-key').call(
        method,
        url,
        method === 'GET' ? undefined : {},
      );
      expect(bad.status).toBe(401);
      expect(bad.body).toMatchObject({ error: { code: 'invalid_token' } });

      // Another workspace's key: the workspace does not exist for it.
      if (path.includes(':workspaceId')) {
        const foreign = await apiClient(service.url, otherKey).call(
          method,
          url,
          method === 'GET' ? undefined : {},
        );
        expect(foreign.status).toBe(404);
        expect(foreign.body).toMatchObject({ error: { code: 'workspace_not_found' } });
      }
    },
  );

  it('rejects a malformed Authorization header', async () => {
    const response = await fetch(`${service.url}/api/workspaces`, {
      headers: { authorization: `Basic ${security.adminToken}` },
    });
    expect(response.status).toBe(401);
  });
});
