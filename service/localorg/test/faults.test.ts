import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../src/index.ts';

let local: LocalOrg;

beforeAll(async () => {
  local = await startLocalOrg({ orgs: [{ myDomain: 'faulty' }, { myDomain: 'steady' }] });
});

afterAll(async () => {
  await local.close();
});

function connect(org: string): Connection {
  const { accessToken, instanceUrl } = local.issueAccessToken(org);
  return new Connection({ instanceUrl, accessToken, version: '62.0' });
}

async function admin(path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${local.loginUrl}/_localorg/orgs/faulty/faults${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('faults', () => {
  it('locks the next N writes with UNABLE_TO_LOCK_ROW, in one org only', async () => {
    const conn = connect('faulty');
    local.faults('faulty').lockRows(1);
    await expect(
      connect('steady').sobject('Account').create({ Name: 'Other org' }),
    ).resolves.toMatchObject({ success: true });
    await expect(conn.sobject('Account').create({ Name: 'Locked' })).rejects.toMatchObject({
      errorCode: 'UNABLE_TO_LOCK_ROW',
    });
    await expect(conn.sobject('Account').create({ Name: 'Free' })).resolves.toMatchObject({
      success: true,
    });
  });

  it('fails and delays the next N requests through the admin endpoint', async () => {
    const { accessToken, instanceUrl } = local.issueAccessToken('faulty');
    const get = (): Promise<Response> =>
      fetch(`${instanceUrl}/services/data/v62.0/limits`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
    expect((await admin('/fail-requests', { count: 2, status: 503 })).status).toBe(200);
    const first = await get();
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual([
      { message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' },
    ]);
    expect((await get()).status).toBe(503);
    expect((await get()).status).toBe(200);
    await admin('/delay-requests', { count: 1, ms: 300 });
    const started = Date.now();
    expect((await get()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('sets API usage so the limit is hit, and resets', async () => {
    const { accessToken, instanceUrl } = local.issueAccessToken('faulty');
    const get = (): Promise<Response> =>
      fetch(`${instanceUrl}/services/data/v62.0/sobjects`, {
        headers: { Authorization: `Bearer ${accessToken}` },
      });
    await admin('/api-usage', { used: 99_999 });
    const last = await get();
    expect(last.status).toBe(200);
    expect(last.headers.get('sforce-limit-info')).toBe('api-usage=100000/100000');
    const refused = await get();
    expect(refused.status).toBe(403);
    const snapshot = (await (await admin('/reset')).json()) as {
      apiUsage: number;
      lockNextWrites: number;
    };
    expect(snapshot).toMatchObject({ apiUsage: 0, lockNextWrites: 0 });
    expect((await get()).status).toBe(200);
  });

  it('expires tokens so jsforce refreshes with its refresh token and retries', async () => {
    const org = local.org('faulty');
    const user = org.users[0]?.id ?? '';
    const app = org.connectedApps[0];
    const refresh = local.runtime.sessions.issueRefresh(
      org,
      user,
      app?.clientId ?? '',
      'api refresh_token',
    );
    const session = local.runtime.sessions.issueAccess(
      org,
      user,
      app?.clientId ?? '',
      'api refresh_token',
    );
    const conn = new Connection({
      oauth2: { clientId: app?.clientId, clientSecret: app?.clientSecret, loginUrl: org.loginUrl },
      instanceUrl: org.instanceUrl,
      accessToken: session.accessToken,
      refreshToken: refresh.refreshToken,
      version: '62.0',
    });
    let refreshed = false;
    conn.on('refresh', () => {
      refreshed = true;
    });
    local.faults('faulty').expireTokens();
    const result = await conn.query('SELECT Id FROM Account LIMIT 1');
    expect(result.done).toBe(true);
    expect(refreshed).toBe(true);
    expect(conn.accessToken).not.toBe(session.accessToken);
  });

  it('revokes every token of the org', async () => {
    const conn = connect('faulty');
    local.faults('faulty').revokeTokens();
    await expect(conn.query('SELECT Id FROM Account')).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
    });
    await expect(connect('steady').query('SELECT Id FROM Account')).resolves.toMatchObject({
      done: true,
    });
  });

  it('offsets the org clock for system timestamps', async () => {
    const conn = connect('faulty');
    local.faults('faulty').setClockOffset(-365 * 86_400_000);
    const created = (await conn.sobject('Account').create({ Name: 'Time traveller' })) as {
      id: string;
    };
    const rec = await conn.sobject('Account').retrieve(created.id);
    local.faults('faulty').reset();
    expect(new Date(String(rec['CreatedDate']).replace('+0000', 'Z')).getUTCFullYear()).toBe(
      new Date().getUTCFullYear() - 1,
    );
  });
});

describe('seeding', () => {
  it('seeds deterministic demo data with parent links', async () => {
    const a = local.seed('steady', { accounts: 200, contacts: 500, opportunities: 300, seed: 7 });
    expect(a).toMatchObject({ accounts: 200, contacts: 500, opportunities: 300 });
    const conn = connect('steady');
    const opps = await conn.query(
      'SELECT Name, StageName, Amount, Account.Name, Owner.Name FROM Opportunity ORDER BY Name LIMIT 5',
    );
    expect(opps.totalSize).toBe(5);
    expect(opps.records[0]?.['Account']).toBeTruthy();
    const withParent = await conn.query('SELECT COUNT() FROM Account WHERE ParentId != null');
    expect(withParent.totalSize).toBeGreaterThan(0);

    const other = await startLocalOrg({ orgs: [{ myDomain: 'twin-a' }, { myDomain: 'twin-b' }] });
    try {
      other.seed('twin-a', { accounts: 50, contacts: 50, opportunities: 50, seed: 3 });
      other.seed('twin-b', { accounts: 50, contacts: 50, opportunities: 50, seed: 3 });
      const names = (org: string): unknown[] =>
        [...other.org(org).records('Opportunity')].map((r) => [
          r['Name'],
          r['Amount'],
          r['StageName'],
        ]);
      expect(names('twin-a')).toEqual(names('twin-b'));
    } finally {
      await other.close();
    }
  });
});

describe('every fault through the admin endpoint, one org at a time', () => {
  const post = (org: string, path: string, body: unknown = {}): Promise<Response> =>
    fetch(`${local.loginUrl}/_localorg/orgs/${org}/faults${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('expires and revokes tokens, locks rows, offsets the clock, shows and resets state', async () => {
    const faulty = local.org('faulty');
    const steady = connect('steady');
    const limitsOf = (token: string): Promise<Response> =>
      fetch(`${faulty.instanceUrl}/services/data/v62.0/limits`, {
        headers: { Authorization: `Bearer ${token}` },
      });

    const first = local.issueAccessToken('faulty').accessToken;
    expect((await post('faulty', '/expire-tokens')).status).toBe(200);
    const expired = await limitsOf(first);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
    await expect(steady.query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({
      done: true,
    });

    const second = local.issueAccessToken('faulty').accessToken;
    const refresh = local.runtime.sessions.issueRefresh(
      faulty,
      faulty.users[0]?.id ?? '',
      faulty.connectedApps[0]?.clientId ?? '',
      'api refresh_token',
    );
    await post('faulty', '/revoke-tokens');
    expect((await limitsOf(second)).status).toBe(401);
    expect(local.runtime.sessions.refreshGrant(refresh.refreshToken)).toBeUndefined();

    await post('faulty', '/lock-rows', { count: 1 });
    await post('faulty', '/clock-offset', { ms: 86_400_000 });
    // Tokens are issued on the org's clock, so one from before the offset has expired.
    const conn = connect('faulty');
    const state = (await (
      await fetch(`${local.loginUrl}/_localorg/orgs/${faulty.id}/faults`)
    ).json()) as Record<string, number>;
    expect(state).toMatchObject({ lockNextWrites: 1, clockOffsetMs: 86_400_000 });
    const locked = await fetch(`${faulty.instanceUrl}/services/data/v62.0/sobjects/Account`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${local.issueAccessToken('faulty').accessToken}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ Name: 'Locked' }),
    });
    expect(locked.status).toBe(400);
    expect(((await locked.json()) as { errorCode: string }[])[0]?.errorCode).toBe(
      'UNABLE_TO_LOCK_ROW',
    );
    const tomorrow = (await conn.sobject('Account').create({ Name: 'Tomorrow' })) as {
      id: string;
    };
    const rec = await conn.sobject('Account').retrieve(tomorrow.id);
    const created = Date.parse(String(rec['CreatedDate']).replace('+0000', 'Z'));
    expect(created - Date.now()).toBeGreaterThan(86_000_000);

    const cleared = await fetch(`${local.loginUrl}/_localorg/orgs/faulty/faults`, {
      method: 'DELETE',
    });
    expect(await cleared.json()).toMatchObject({
      lockNextWrites: 0,
      failNextRequests: 0,
      delayNextRequests: 0,
      clockOffsetMs: 0,
      apiUsage: 0,
    });
    expect((await post('faulty', '/fail-requests', { count: 1, status: 404 })).status).toBe(400);
    expect((await post('nowhere', '/reset')).status).toBe(404);
  });

  it('answers 500 UNKNOWN_EXCEPTION when told to, and a locked row fails only its Bulk row', async () => {
    const faults = local.faults('faulty');
    faults.reset();
    const conn = connect('faulty');
    const { accessToken, instanceUrl } = local.issueAccessToken('faulty');
    faults.failRequests(1, 500);
    const failed = await fetch(`${instanceUrl}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { errorCode: string }[])[0]?.errorCode).toBe(
      'UNKNOWN_EXCEPTION',
    );
    // jsforce retries a 5xx answer, as it does against Salesforce.
    faults.failRequests(1, 503);
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({
      done: true,
    });
    faults.lockRows(1);
    const result = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: 'Name\nBulk Locked\nBulk Free\n',
      pollInterval: 50,
      pollTimeout: 10_000,
    });
    expect(result.successfulResults.map((r) => (r as Record<string, unknown>)['Name'])).toEqual([
      'Bulk Free',
    ]);
    expect(result.failedResults.map((r) => r.sf__Error)).toEqual([
      expect.stringMatching(/^UNABLE_TO_LOCK_ROW:/),
    ]);
    expect(faults.snapshot()).toMatchObject({ lockNextWrites: 0, failNextRequests: 0 });
  });
});
