import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, createWorkspace, testSecurityEnv, type ApiClient } from '../support/api.ts';
import { freshDatabaseUrl, PROVIDERS } from '../support/databases.ts';
import { bootService } from '../support/service.ts';

type ErrorBody = { error?: { code: string; message: string; requestId?: string } };
type Service = Awaited<ReturnType<typeof bootService>>;

/** Headers helmet sets that matter for an API and its console. */
function expectSecurityHeaders(headers: Headers): void {
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('content-security-policy')).toContain("default-src 'self'");
  // The console is served over plain http too: its own files must not be upgraded to https.
  expect(headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  expect(headers.get('strict-transport-security')).toContain('max-age=');
  expect(headers.get('x-powered-by')).toBeNull();
}

describe('answers of the service under its defaults', () => {
  let service: Service;
  let security: ReturnType<typeof testSecurityEnv>;
  let ws: { id: string; client: ApiClient; key: string };

  beforeAll(async () => {
    security = testSecurityEnv();
    service = await bootService(await freshDatabaseUrl('sqlite'), security.env);
    ws = await createWorkspace(service.url, security.adminToken, 'Hardening');
  });
  afterAll(() => service?.stop());

  it('should carry security headers on every answer, API, OAuth, health and unknown paths', async () => {
    for (const path of ['/healthz', '/api/workspaces', '/oauth/callback?state=x', '/nowhere']) {
      const response = await fetch(`${service.url}${path}`, { redirect: 'manual' });
      expectSecurityHeaders(response.headers);
    }
  });

  it('should forbid caching of a key shown once and of every other API and OAuth answer', async () => {
    const minted = await ws.client.post<{ secret?: string }>(`/api/workspaces/${ws.id}/api-keys`, {
      name: 'shown once',
    });
    expect(minted.status).toBe(201);
    expect(minted.headers.get('cache-control')).toBe('no-store');
    const read = await ws.client.get(`/api/workspaces/${ws.id}`);
    expect(read.headers.get('cache-control')).toBe('no-store');
    const refused = await fetch(`${service.url}/api/workspaces`);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const callback = await fetch(`${service.url}/oauth/callback?state=unknown&code=x`);
    expect(callback.headers.get('cache-control')).toBe('no-store');
  });

  it('should echo a sane X-Request-Id and put it in the error body and every log line', async () => {
    const requestId = `client-${randomBytes(6).toString('hex')}`;
    const response = await ws.client.get<ErrorBody>(
      `/api/workspaces/${ws.id}/records/${randomUUID()}`,
      {
        'x-request-id': requestId,
      },
    );
    expect(response.status).toBe(404);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(response.body.error?.requestId).toBe(requestId);
    const lines = service.logs().filter((line) => line['requestId'] === requestId);
    expect(lines.map((line) => line['msg'])).toContain('request');
    // A body read through the JSON parser stays in the request's context too.
    const posted = await ws.client.post<ErrorBody>(
      `/api/workspaces/${ws.id}/record-types`,
      { key: 1 },
      { 'x-request-id': `${requestId}-post` },
    );
    expect(posted.status).toBe(400);
    expect(posted.body.error?.requestId).toBe(`${requestId}-post`);
  });

  it('should replace an X-Request-Id that is not sane with its own', async () => {
    for (const given of ['', 'a b', 'x'.repeat(200), '<script>', 'line\u00e9']) {
      const response = await fetch(`${service.url}/api/workspaces`, {
        headers: given ? { 'x-request-id': given } : {},
      });
      const made = response.headers.get('x-request-id');
      expect(made).toMatch(/^[0-9a-f-]{36}$/);
      expect(((await response.json()) as ErrorBody).error?.requestId).toBe(made);
    }
  });

  it('should keep /metrics off unless it is configured', async () => {
    const response = await fetch(`${service.url}/metrics`);
    expect(response.status).toBe(404);
  });
});

describe.each(PROVIDERS)('rate limits and /metrics on %s', (provider) => {
  const metricsToken = `metrics-${randomBytes(24).toString('hex')}`;
  let service: Service;
  let security: ReturnType<typeof testSecurityEnv>;
  let ws: { id: string; client: ApiClient; key: string };

  beforeAll(async () => {
    security = testSecurityEnv();
    service = await bootService(await freshDatabaseUrl(provider), {
      ...security.env,
      PRYZM_RATE_LIMIT_API: '8',
      PRYZM_RATE_LIMIT_AUTH: '3',
      PRYZM_METRICS_TOKEN: metricsToken,
      PRYZM_METRICS_PORT: '0',
    });
    ws = await createWorkspace(service.url, security.adminToken, 'Limits');
  });
  afterAll(() => service?.stop());

  it('should answer 429 with Retry-After and the error body once a token used its share', async () => {
    const other = await ws.client.post<{ secret: string }>(`/api/workspaces/${ws.id}/api-keys`, {
      name: 'another token',
    });
    let last: Awaited<ReturnType<ApiClient['get']>> | undefined;
    for (let i = 0; i < 10; i++) last = await ws.client.get<ErrorBody>(`/api/workspaces/${ws.id}`);
    expect(last?.status).toBe(429);
    const body = last?.body as ErrorBody;
    expect(body.error?.code).toBe('rate_limited');
    expect(body.error?.requestId).toBeTruthy();
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last?.headers.get('cache-control')).toBe('no-store');
    // Another token of the same workspace has a share of its own.
    const fresh = apiClient(service.url, other.body.secret);
    expect((await fresh.get(`/api/workspaces/${ws.id}`)).status).toBe(200);
  });

  it('should limit the sign-in routes per IP address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${service.url}/oauth/callback?state=guess-${i}&code=x`);
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get('retry-after')).toBeTruthy();
        expect(((await response.json()) as ErrorBody).error?.code).toBe('rate_limited');
      }
    }
    expect(statuses.slice(0, 3).every((status) => status !== 429)).toBe(true);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });

  it('should serve /metrics in the Prometheus format behind its token', async () => {
    expect((await fetch(`${service.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${service.url}/metrics`, {
      headers: { authorization: `Bearer ${ws.key}` },
    });
    expect(wrong.status).toBe(401);
    const response = await fetch(`${service.url}/metrics`, {
      headers: { authorization: `Bearer ${metricsToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    for (const name of [
      '# TYPE pryzm_http_request_duration_seconds histogram',
      '# TYPE pryzm_sync_jobs gauge',
      '# TYPE pryzm_records_synced gauge',
      '# TYPE pryzm_salesforce_api_calls gauge',
      'pryzm_realtime_subscribers{state="live"} 0',
      'pryzm_http_rate_limited_total{limit="api"}',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toMatch(/pryzm_http_request_duration_seconds_count\{[^}]*status="429"[^}]*\} \d/);
  });

  it('should serve /metrics without a token on its own listener only', async () => {
    expect(service.metricsUrl).toBeTruthy();
    const response = await fetch(`${service.metricsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('pryzm_sync_jobs');
    expect((await fetch(`${service.metricsUrl}/api/workspaces`)).status).toBe(404);
  });
});
