import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, roleAllows, type Role } from '../../src/access/roles.ts';
import { ROUTE_RULES, type RouteRule } from '../../src/http/auth/authorize.ts';
import { API_ROUTES } from '../../src/http/routes.ts';
import { createWorkspace, testSecurityEnv } from '../support/api.ts';
import { freshDatabaseUrl, PROVIDERS } from '../support/databases.ts';
import { bootService } from '../support/service.ts';
import { addMemberWithToken } from './support.ts';

/**
 * Every route in API_ROUTES × every kind of caller, with the status the route's rule implies,
 * on both databases (a lookup that answers differently on PostgreSQL, e.g. a malformed id it
 * refuses where SQLite finds nothing, would show here). A route added without a rule fails here
 * (and in the type check); a rule that lets the wrong caller through fails the cell of that
 * caller. A route's callers are asked at once, so the whole matrix takes seconds per database.
 */
type Caller = Role | 'foreign' | 'none' | 'revoked' | 'expired';
const CALLERS: Caller[] = ['admin', 'editor', 'viewer', 'foreign', 'none', 'revoked', 'expired'];

/** Fills route parameters with ids that exist nowhere, so only the caller decides 401/403/404. */
function concretePath(path: string, workspaceId: string): string {
  return path
    .replace(':workspaceId', workspaceId)
    .replace(':recordTypeKey', 'person')
    .replace(':objectName', 'Account')
    .replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');
}

/**
 * One request; only a JSON answer's body is read, so a stream the caller was admitted to
 * (server-sent events, CSV exports) is ended once its headers arrive.
 */
async function callOnce(
  baseUrl: string,
  token: string | undefined,
  method: string,
  path: string,
): Promise<{ status: number; body: unknown }> {
  const withBody = method !== 'GET' && method !== 'DELETE';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(withBody ? { 'content-type': 'application/json' } : {}),
    },
    body: withBody ? '{}' : undefined,
    redirect: 'manual',
  });
  if (!response.headers.get('content-type')?.includes('application/json')) {
    await response.body?.cancel();
    return { status: response.status, body: null };
  }
  return { status: response.status, body: await response.json() };
}

/** What a caller gets: an exact status and code, or "admitted" (anything but 401 and 403). */
type Expected = { status: number; code: string } | 'admitted';

function expected(caller: Caller, rule: RouteRule, path: string): Expected {
  if (rule === 'public') return 'admitted';
  if (caller === 'none') return { status: 401, code: 'unauthorized' };
  if (caller === 'revoked' || caller === 'expired') return { status: 401, code: 'invalid_token' };
  if (caller === 'foreign') {
    if (path.includes(':workspaceId')) return { status: 404, code: 'workspace_not_found' };
    return rule === 'operator' ? { status: 403, code: 'forbidden' } : 'admitted';
  }
  if (rule === 'operator') return { status: 403, code: 'forbidden' };
  if (rule === 'signed-in') return 'admitted';
  return roleAllows(caller, rule) ? 'admitted' : { status: 403, code: 'forbidden' };
}

describe.each(PROVIDERS)('route × role matrix on %s', (provider) => {
  let service: Awaited<ReturnType<typeof bootService>>;
  let workspaceId: string;
  const tokens = new Map<Caller, string | undefined>();
  const security = testSecurityEnv();

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl(provider), security.env);
    const own = await createWorkspace(service.url, security.adminToken, 'Matrix');
    workspaceId = own.id;
    tokens.set('admin', own.key);
    tokens.set('none', undefined);
    for (const role of ['editor', 'viewer'] as const) {
      tokens.set(role, (await addMemberWithToken(own.client, workspaceId, role)).secret);
    }
    tokens.set('foreign', (await createWorkspace(service.url, security.adminToken, 'Foreign')).key);

    const revoked = await own.client.post<{ id: string; secret: string }>(
      `/api/workspaces/${workspaceId}/api-keys`,
      { name: 'to revoke' },
    );
    await own.client.delete(`/api/workspaces/${workspaceId}/api-keys/${revoked.body.id}`);
    tokens.set('revoked', revoked.body.secret);

    // An expired token: minted with a near expiry, then moved into the past in the database
    // (no test waits for a clock).
    const expiring = await own.client.post<{ id: string; secret: string }>(
      `/api/workspaces/${workspaceId}/api-keys`,
      { name: 'expiring', expiresAt: new Date(Date.now() + 60_000).toISOString() },
    );
    await service.database.prisma.apiKey.update({
      where: { id: expiring.body.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    tokens.set('expired', expiring.body.secret);
  });
  afterAll(async () => {
    await service.stop();
  });

  it('gives every route a known rule', () => {
    expect(API_ROUTES.length).toBeGreaterThanOrEqual(50);
    for (const [method, path, rule] of API_ROUTES) {
      expect(ROUTE_RULES, `${method} ${path}`).toContain(rule);
    }
    // Every permission guards at least one route, so none is dead.
    for (const permission of PERMISSIONS) {
      expect(API_ROUTES.some(([, , rule]) => rule === permission)).toBe(true);
    }
  });

  it.each(API_ROUTES.map(([method, path, rule]) => [method.toUpperCase(), path, rule] as const))(
    '%s %s',
    async (method, path, rule) => {
      const cells = await Promise.all(
        CALLERS.map(async (caller) => {
          const want = expected(caller, rule, path);
          const response = await callOnce(
            service.url,
            tokens.get(caller),
            method,
            concretePath(path, workspaceId),
          );
          const body = (response.body ?? {}) as { error?: { code?: string } };
          const got = { status: response.status, code: body.error?.code };
          const fits =
            want === 'admitted'
              ? ![401, 403].includes(response.status)
              : got.status === want.status && got.code === want.code;
          return { caller, fits, want, got };
        }),
      );
      // Every caller that got something else, with what it got: empty when the route is right.
      expect(cells.filter((cell) => !cell.fits)).toEqual([]);
    },
  );
});
