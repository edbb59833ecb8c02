import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Configuration a test service boots with: fixed secrets, secrets folder in a temp dir. */
export function testSecurityEnv(): {
  env: Record<string, string>;
  adminToken: string;
  encryptionKey: string;
} {
  const adminToken = `test-admin-${randomBytes(24).toString('hex')}`;
  const encryptionKey = randomBytes(32).toString('base64');
  return {
    adminToken,
    encryptionKey,
    env: {
      PRYZM_ADMIN_TOKEN: adminToken,
      PRYZM_ENCRYPTION_KEY: encryptionKey,
      PRYZM_SECRETS_DIR: mkdtempSync(join(tmpdir(), 'pryzm-secrets-')),
      // No Pub/Sub subscriptions unless a suite turns real-time sync on (test/realtime does).
      PRYZM_REALTIME: 'off',
    },
  };
}

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A minimal JSON client for the service's API with one bearer token. */
export function apiClient(baseUrl: string, token?: string) {
  async function call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await response.text();
    const parsed =
      text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
  return {
    get: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) =>
      call<T>('GET', path, undefined, headers),
    post: <T = Record<string, unknown>>(
      path: string,
      body?: unknown,
      headers?: Record<string, string>,
    ) => call<T>('POST', path, body ?? {}, headers),
    patch: <T = Record<string, unknown>>(
      path: string,
      body?: unknown,
      headers?: Record<string, string>,
    ) => call<T>('PATCH', path, body ?? {}, headers),
    delete: <T = Record<string, unknown>>(path: string, headers?: Record<string, string>) =>
      call<T>('DELETE', path, undefined, headers),
    call,
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

/** Creates a workspace with the admin token; returns it with a client bound to its first key. */
export async function createWorkspace(baseUrl: string, adminToken: string, name: string) {
  const admin = apiClient(baseUrl, adminToken);
  const created = await admin.post<{ id: string; apiKey: { secret: string; id: string } }>(
    '/api/workspaces',
    { name },
  );
  if (created.status !== 201)
    throw new Error(`workspace creation failed: ${JSON.stringify(created.body)}`);
  return {
    id: created.body.id,
    key: created.body.apiKey.secret,
    apiKeyId: created.body.apiKey.id,
    client: apiClient(baseUrl, created.body.apiKey.secret),
  };
}
