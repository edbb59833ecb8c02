import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, testSecurityEnv, type ApiClient } from '../support/api.ts';
import { freshDatabaseUrl, PROVIDERS } from '../support/databases.ts';
import { bootService } from '../support/service.ts';

type ErrorBody = { error?: { code: string; message: string } };

/** Input an attacker sends; each must answer 4xx with a code and store nothing. */
describe.each(PROVIDERS)('hostile input on %s', (provider) => {
  let service: Awaited<ReturnType<typeof bootService>>;
  let ws: { id: string; client: ApiClient; key: string };

  beforeAll(async () => {
    const security = testSecurityEnv();
    service = await bootService(await freshDatabaseUrl(provider), security.env);
    ws = await createWorkspace(service.url, security.adminToken, 'Hostile');
  });
  afterAll(() => service?.stop());

  const records = () => `/api/workspaces/${ws.id}/record-types/organization/records`;
  const count = async () =>
    (await ws.client.get<{ data: unknown[] }>(`${records()}?limit=500`)).body.data.length;

  it.each([
    ['a NUL byte', { values: { name: 'Acme\u0000Evil' } }],
    ['a lone surrogate', { values: { name: 'Acme\uD800' } }],
    ['a NUL byte in a key', { values: { ['na\u0000me']: 'Acme' } }],
  ])('should refuse %s in a body with 400 invalid_text and store nothing', async (_name, body) => {
    const before = await count();
    const response = await ws.client.post<ErrorBody>(records(), body);
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe('invalid_text');
    expect(await count()).toBe(before);
  });

  it('should refuse a NUL byte in a query string and a path', async () => {
    const query = await ws.client.get<ErrorBody>(`${records()}?cursor=%00`);
    expect(query.status).toBe(400);
    expect(query.body.error?.code).toBe('invalid_text');
    const path = await ws.client.get<ErrorBody>(`/api/workspaces/${ws.id}/records/a%00b`);
    expect(path.status).toBe(400);
  });

  it('should check required values of attributes named like Object.prototype members', async () => {
    const created = await ws.client.post<ErrorBody>(`/api/workspaces/${ws.id}/record-types`, {
      key: 'gadget',
      name: 'Gadget',
      pluralName: 'Gadgets',
      kind: 'custom',
      attributes: [
        { key: 'name', name: 'Name', type: 'text' },
        { key: 'constructor', name: 'Constructor', type: 'text', required: true },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const missing = await ws.client.post<ErrorBody>(
      `/api/workspaces/${ws.id}/record-types/gadget/records`,
      { values: { name: 'No constructor given' } },
    );
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('constructor');
  });

  it('should refuse a private key that is not RSA with a clear error', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const response = await ws.client.post<ErrorBody>(`/api/workspaces/${ws.id}/connections`, {
      authFlow: 'jwt_bearer',
      environment: 'production',
      clientId: 'x',
      username: 'someone@example.com',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    expect(response.status).toBe(400);
    expect(response.body.error?.message).toContain('RSA');
  });

  it('should answer a malformed OAuth binding cookie as an unknown state, not a 500', async () => {
    const response = await fetch(`${service.url}/oauth/callback?state=abc&code=x`, {
      headers: { cookie: 'pryzm_oauth_0123456789abcdef=%E0%A4%A; other=%zz' },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as ErrorBody).error?.code).toBe('invalid_state');
  });

  it('should refuse a huge email address as invalid rather than work through it', async () => {
    const response = await ws.client.post<ErrorBody>(
      `/api/workspaces/${ws.id}/record-types/person/records`,
      { values: { full_name: 'Long Mail', primary_email: `${'a'.repeat(40_000)}@example.com` } },
    );
    expect(response.status).toBe(400);
  });

  it('should authenticate before it reads a body', async () => {
    const response = await fetch(`${service.url}/api/workspaces/${ws.id}/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"this is": not json',
    });
    expect(response.status).toBe(401);
    // Authenticated, the same body is malformed JSON.
    const authenticated = await fetch(`${service.url}/api/workspaces/${ws.id}/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ws.key}` },
      body: '{"this is": not json',
    });
    expect(authenticated.status).toBe(400);
    expect(((await authenticated.json()) as ErrorBody).error?.code).toBe('invalid_json');
  });

  it('should refuse a long text longer than Salesforce could hold and store nothing', async () => {
    const before = await count();
    const response = await ws.client.post<ErrorBody>(records(), {
      values: { name: 'Verbose', description: 'x'.repeat(131_073) },
    });
    expect(response.status).toBe(400);
    expect(await count()).toBe(before);
  });
});
