import { describe, expect, it } from 'vitest';
import {
  parseLimitInfo,
  SalesforceApiError,
  SalesforceClient,
  type HttpFetch,
  type Session,
} from './client.ts';
import type { CallKind, OrgApiUsage } from './usage.ts';

const INSTANCE = 'https://acme.my.salesforce.com';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json;charset=UTF-8', ...headers },
  });
}

function setup(answer: (url: string, init: RequestInit) => Response) {
  const calls: CallKind[] = [];
  const usage: OrgApiUsage[] = [];
  const requests: { url: string; init: RequestInit }[] = [];
  let session: Session = { accessToken: 'token-1', instanceUrl: INSTANCE };
  const refreshed: Session[] = [];
  const httpFetch: HttpFetch = async (url, init) => {
    requests.push({ url, init });
    return answer(url, init);
  };
  const client = new SalesforceClient(
    {
      current: async () => session,
      refresh: async (expired) => {
        refreshed.push(expired);
        session = { accessToken: 'token-2', instanceUrl: INSTANCE };
        return session;
      },
    },
    '63.0',
    (kind) => calls.push(kind),
    (u) => usage.push(u),
    httpFetch,
    [1, 1],
  );
  return { client, calls, usage, requests, refreshed };
}

const header = (init: RequestInit, name: string) =>
  (init.headers as Record<string, string>)[name.toLowerCase()];

describe('SalesforceClient.fetch', () => {
  it('sends the bearer token to the instance, counts one api call, observes the org usage', async () => {
    const t = setup(() => json(200, { ok: true }, { 'Sforce-Limit-Info': 'api-usage=25/15000' }));
    const response = await t.client.fetch(t.client.dataPath('jobs/query'), {
      method: 'POST',
      body: '{}',
    });
    expect(await response.json()).toEqual({ ok: true });
    expect(t.requests).toHaveLength(1);
    const [request] = t.requests;
    expect(request?.url).toBe(`${INSTANCE}/services/data/v63.0/jobs/query`);
    expect(header(request!.init, 'authorization')).toBe('Bearer token-1');
    expect(header(request!.init, 'content-type')).toBe('application/json');
    expect(request?.init.redirect).toBe('manual');
    expect(t.calls).toEqual(['api']);
    expect(t.usage).toEqual([{ used: 25, limit: 15000 }]);
  });

  it('refreshes an expired session once and repeats the request, each request counted', async () => {
    const t = setup((_url, init) =>
      header(init, 'authorization') === 'Bearer token-1'
        ? json(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
        : json(200, []),
    );
    const response = await t.client.fetch('/services/data/v63.0/limits', {
      method: 'PATCH',
      body: '{"a":1}',
    });
    expect(response.status).toBe(200);
    expect(t.refreshed).toEqual([{ accessToken: 'token-1', instanceUrl: INSTANCE }]);
    expect(t.requests.map((r) => [header(r.init, 'authorization'), r.init.body])).toEqual([
      ['Bearer token-1', '{"a":1}'],
      ['Bearer token-2', '{"a":1}'],
    ]);
    expect(t.calls).toEqual(['api', 'api']);
  });

  it('gives up when the refreshed session is refused too', async () => {
    const t = setup(() =>
      json(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]),
    );
    await expect(t.client.fetch('/services/data/v63.0/limits')).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      status: 401,
    });
    expect(t.requests).toHaveLength(2);
  });

  it("throws Salesforce's error code and message from the error body", async () => {
    const t = setup(() =>
      json(400, [
        { message: "No such column 'Nope' on entity 'Account'", errorCode: 'INVALID_FIELD' },
      ]),
    );
    const error = await t.client.fetch('/services/data/v63.0/query').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Nope' on entity 'Account'",
      status: 400,
    });
    expect(t.refreshed).toHaveLength(0);
  });

  it('names an error without a Salesforce body by its status, after retrying it', async () => {
    const t = setup(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(t.client.fetch('/services/data/v63.0/limits')).rejects.toMatchObject({
      errorCode: 'HTTP_502',
      status: 502,
    });
    expect(t.requests, 'the first try and one retry per delay').toHaveLength(3);
  });

  it('retries a locked row and a dropped connection, then succeeds', async () => {
    let attempt = 0;
    const t = setup(() => {
      attempt += 1;
      if (attempt === 1) {
        return json(400, [
          { message: 'unable to obtain exclusive access', errorCode: 'UNABLE_TO_LOCK_ROW' },
        ]);
      }
      if (attempt === 2) throw new TypeError('fetch failed');
      return json(200, { ok: true });
    });
    const response = await t.client.fetch('/services/data/v63.0/limits');
    expect(response.status).toBe(200);
    expect(t.calls, 'every attempt is counted').toEqual(['api', 'api', 'api']);
  });

  it('does not retry what a retry cannot fix', async () => {
    const t = setup(() =>
      json(403, [
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]),
    );
    await expect(t.client.fetch('/services/data/v63.0/limits')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    });
    expect(t.requests).toHaveLength(1);
  });

  it('never follows a redirect: the token stays on the instance', async () => {
    const t = setup(
      () => new Response(null, { status: 302, headers: { location: 'https://evil.example/x' } }),
    );
    await expect(t.client.fetch('/services/data/v63.0/limits')).rejects.toMatchObject({
      errorCode: 'REDIRECT',
      status: 302,
    });
    expect(t.requests.map((r) => r.url)).toEqual([`${INSTANCE}/services/data/v63.0/limits`]);
  });

  it('refuses paths that leave the instance', async () => {
    const t = setup(() => json(200, {}));
    for (const path of ['//evil.example/x', 'https://evil.example/x', 'services/data']) {
      await expect(t.client.fetch(path)).rejects.toThrow();
    }
    expect(t.requests).toHaveLength(0);
    expect(t.calls).toHaveLength(0);
  });

  it('builds data paths for its API version', () => {
    const t = setup(() => json(200, {}));
    expect(t.client.dataPath('/composite/sobjects')).toBe(
      '/services/data/v63.0/composite/sobjects',
    );
  });
});

describe('parseLimitInfo', () => {
  it('reads api-usage among other entries', () => {
    expect(parseLimitInfo('api-usage=18/5000')).toEqual({ used: 18, limit: 5000 });
    expect(parseLimitInfo('per-app-api-usage=2/250(appName=x), api-usage=7/15000')).toEqual({
      used: 7,
      limit: 15000,
    });
    expect(parseLimitInfo(null)).toBeUndefined();
    expect(parseLimitInfo('per-app-api-usage=2/250(appName=x)')).toBeUndefined();
  });
});
