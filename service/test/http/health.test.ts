import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';
import { KEEP_ALIVE_MS } from '../../src/lifecycle/http-server.ts';
import { bootService } from '../support/service.ts';

describe.each(PROVIDERS)('health endpoints on %s', (provider) => {
  let service: Awaited<ReturnType<typeof bootService>>;

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl(provider));
  });
  afterAll(async () => {
    await service.stop();
  });

  it('GET /healthz answers while the process is alive', async () => {
    const response = await fetch(`${service.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 once the database is reachable and migrated', async () => {
    const response = await fetch(`${service.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ready', database: { provider } });
  });

  it('keeps an idle connection open longer than a load balancer in front of it (60 s)', async () => {
    const response = await fetch(`${service.url}/healthz`);
    await response.arrayBuffer();
    expect(response.headers.get('keep-alive')).toBe(`timeout=${KEEP_ALIVE_MS / 1000}`);
    expect(KEEP_ALIVE_MS).toBeGreaterThan(60_000);
  });

  it('answers unknown routes with a machine-readable 404', async () => {
    const response = await fetch(`${service.url}/no/such/route`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        code: 'not_found',
        message: 'No route for GET /no/such/route',
        requestId: response.headers.get('x-request-id'),
      },
    });
  });
});

describe('readiness when the database goes away', () => {
  it('GET /readyz answers 503 database_unreachable', async () => {
    // Parts of the service still polling the closed database give up after the shutdown timeout.
    const service = await bootService(await freshDatabaseUrl('postgresql'), {
      SHUTDOWN_TIMEOUT_MS: '2000',
    });
    try {
      const url = new URL(service.url);
      await service.database.close();
      const response = await fetch(`${url.origin}/readyz`);
      expect(response.status).toBe(503);
      expect((await response.json()).error.code).toBe('database_unreachable');
    } finally {
      await service.stop().catch(() => undefined);
    }
  });
});
