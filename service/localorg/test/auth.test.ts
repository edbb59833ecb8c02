import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection, OAuth2 } from 'jsforce';
import { startLocalOrg, type LocalOrg, type OrgInfo } from '../src/index.ts';
import { jwtKeyAndCertificate, signJwt } from './support/keys.ts';

const expiredFixture = JSON.parse(
  readFileSync(new URL('./fixtures/rest/expired_session_response.json', import.meta.url), 'utf8'),
) as unknown;

const authErrorFixture = JSON.parse(
  readFileSync(new URL('./fixtures/rest/auth_error_response.json', import.meta.url), 'utf8'),
) as unknown;
const refreshErrorFixture = JSON.parse(
  readFileSync(new URL('./fixtures/rest/refresh_error_response.json', import.meta.url), 'utf8'),
) as unknown;

const keys = jwtKeyAndCertificate();
const app = {
  clientId: '3MVG9TestConsumerKey',
  clientSecret: 'TESTSECRET',
  callbackUrls: ['http://localhost:1717/OauthRedirect'],
  certificatePem: keys.certificatePem,
  clientCredentialsUser: 'integration@acme.example.com',
  refreshTokenRotation: true,
};
const user = {
  username: 'admin@acme.example.com',
  password: 'secret-1',
  securityToken: 'TOKEN1',
  firstName: 'Ada',
  lastName: 'Admin',
  email: 'admin@acme.example.com',
};

let local: LocalOrg;
let prod: OrgInfo;

beforeAll(async () => {
  local = await startLocalOrg({
    orgs: [
      {
        myDomain: 'acme',
        connectedApps: [app],
        users: [user, { ...user, username: 'integration@acme.example.com', password: 'secret-2' }],
      },
      { myDomain: 'acme--uat', sandbox: true, connectedApps: [app] },
    ],
  });
  prod = local.orgs[0] as OrgInfo;
});

afterAll(async () => {
  await local.close();
});

async function get(url: string, token: string): Promise<Response> {
  return fetch(url, { headers: { Authorization: `Bearer ${token}` } });
}

describe('SOAP partner login', () => {
  it('logs jsforce in with password + security token', async () => {
    const conn = new Connection({ loginUrl: local.loginUrl, version: '62.0' });
    const info = await conn.login(user.username, user.password + user.securityToken);
    expect(info.organizationId).toBe(prod.id);
    expect(conn.instanceUrl).toBe(prod.instanceUrl);
    const identity = await conn.identity();
    expect(identity.username).toBe(user.username);
  });

  it('ends the session on logout, and refuses calls it does not emulate', async () => {
    const conn = new Connection({ loginUrl: local.loginUrl, version: '62.0' });
    await conn.login(user.username, user.password + user.securityToken);
    const token = conn.accessToken ?? '';
    const url = `${prod.instanceUrl}/services/data/v62.0/limits`;
    expect((await get(url, token)).status).toBe(200);
    const res = await fetch(`${prod.instanceUrl}/services/Soap/u/62.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      body: `<?xml version="1.0" encoding="UTF-8"?><se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header><SessionHeader xmlns="urn:partner.soap.sforce.com"><sessionId>${token}</sessionId></SessionHeader></se:Header><se:Body><getServerTimestamp xmlns="urn:partner.soap.sforce.com"/></se:Body></se:Envelope>`,
    });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain(
      '<faultcode xmlns:sf="urn:fault.partner.soap.sforce.com">sf:INVALID_OPERATION</faultcode>',
    );
    await conn.logout();
    expect((await get(url, token)).status).toBe(401);
  });

  it('answers INVALID_LOGIN for a wrong password', async () => {
    const conn = new Connection({ loginUrl: local.loginUrl, version: '62.0' });
    await expect(conn.login(user.username, 'wrong')).rejects.toThrow(/INVALID_LOGIN/);
  });

  it('does not log production users in on the sandbox login host', async () => {
    const conn = new Connection({ loginUrl: local.sandboxLoginUrl, version: '62.0' });
    await expect(conn.login(user.username, user.password + user.securityToken)).rejects.toThrow(
      /INVALID_LOGIN/,
    );
  });
});

describe('OAuth token endpoint', () => {
  it('grants password logins and rejects bad ones with Salesforce error bodies', async () => {
    const conn = new Connection({ oauth2: { ...app, loginUrl: local.loginUrl }, version: '62.0' });
    await conn.login(user.username, user.password + user.securityToken);
    expect(conn.accessToken).toMatch(new RegExp(`^${prod.id.slice(0, 15)}!`));
    const bad = await fetch(`${local.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        username: user.username,
        password: 'nope',
      }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual(authErrorFixture);
    const unsupported = await fetch(`${local.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'magic' }),
    });
    expect(await unsupported.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('runs the web-server flow with PKCE and state, then refreshes with rotation', async () => {
    const oauth2 = new OAuth2({
      ...app,
      loginUrl: local.loginUrl,
      redirectUri: app.callbackUrls[0],
      useVerifier: true,
    });
    const authUrl = oauth2.getAuthorizationUrl({ state: 'xyz', scope: 'api refresh_token' });
    expect(authUrl).toContain('code_challenge=');
    const loginHtml = await (await fetch(authUrl)).text();
    const ticket = /name="ticket" value="([^"]+)"/.exec(loginHtml)?.[1] ?? '';
    const consentHtml = await (
      await fetch(`${local.loginUrl}/services/oauth2/authorize/login`, {
        method: 'POST',
        body: new URLSearchParams({ ticket, username: user.username, password: user.password }),
      })
    ).text();
    expect(consentHtml).toContain('Allow Access?');
    const redirect = await fetch(`${local.loginUrl}/services/oauth2/authorize/consent`, {
      method: 'POST',
      body: new URLSearchParams({ ticket, decision: 'allow' }),
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('xyz');
    const conn = new Connection({ oauth2, version: '62.0' });
    const info = await conn.authorize(location.searchParams.get('code') ?? '');
    expect(info.organizationId).toBe(prod.id);
    const firstRefresh = conn.refreshToken ?? '';
    expect(firstRefresh).not.toBe('');
    const refreshed = await oauth2.refreshToken(firstRefresh);
    expect(refreshed.access_token).not.toBe(conn.accessToken);
    expect(refreshed.refresh_token).toBeDefined();
    await expect(oauth2.refreshToken(firstRefresh)).rejects.toThrow(
      /expired access\/refresh token/,
    );
    const raw = await fetch(`${local.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: firstRefresh,
        client_id: app.clientId,
      }),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toEqual(refreshErrorFixture);
  });

  it('rejects a code exchanged with the wrong PKCE verifier', async () => {
    const oauth2 = new OAuth2({
      ...app,
      loginUrl: local.loginUrl,
      redirectUri: app.callbackUrls[0],
      useVerifier: true,
    });
    const loginHtml = await (await fetch(oauth2.getAuthorizationUrl({ state: 's' }))).text();
    const ticket = /name="ticket" value="([^"]+)"/.exec(loginHtml)?.[1] ?? '';
    await fetch(`${local.loginUrl}/services/oauth2/authorize/login`, {
      method: 'POST',
      body: new URLSearchParams({ ticket, username: user.username, password: user.password }),
    });
    const redirect = await fetch(`${local.loginUrl}/services/oauth2/authorize/consent`, {
      method: 'POST',
      body: new URLSearchParams({ ticket, decision: 'allow' }),
      redirect: 'manual',
    });
    const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const res = await fetch(`${local.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: app.clientId,
        redirect_uri: app.callbackUrls[0] ?? '',
        code_verifier: 'wrong',
      }),
    });
    expect(await res.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'invalid code verifier',
    });
  });

  it('grants client credentials on the My Domain only', async () => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
    });
    const onLogin = await fetch(`${local.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body,
    });
    expect(await onLogin.json()).toMatchObject({ error: 'invalid_request' });
    const onDomain = await fetch(`${prod.instanceUrl}/services/oauth2/token`, {
      method: 'POST',
      body,
    });
    const token = (await onDomain.json()) as { access_token: string; id: string };
    expect(token.id).toContain(prod.users[1]?.id ?? 'x');
  });

  it('grants JWT bearer assertions signed with the registered certificate', async () => {
    const claims = {
      iss: app.clientId,
      sub: user.username,
      aud: 'https://login.salesforce.com',
      exp: Math.floor(Date.now() / 1000) + 180,
    };
    const res = await fetch(`${local.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signJwt(claims, keys.privateKeyPem),
      }),
    });
    const token = (await res.json()) as { access_token: string; instance_url: string };
    expect(token.instance_url).toBe(prod.instanceUrl);
    const other = jwtKeyAndCertificate();
    const forged = await fetch(`${local.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signJwt(claims, other.privateKeyPem),
      }),
    });
    expect(await forged.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'invalid assertion',
    });
  });
});

describe('sessions', () => {
  it('serves userinfo and the identity URL for a live token', async () => {
    const { accessToken } = local.issueAccessToken('acme');
    const info = (await (
      await get(`${local.loginUrl}/services/oauth2/userinfo`, accessToken)
    ).json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      organization_id: prod.id,
      preferred_username: user.username,
      user_id: prod.users[0]?.id,
    });
    const id = (await (
      await get(`${local.loginUrl}/id/${prod.id}/${prod.users[0]?.id ?? ''}`, accessToken)
    ).json()) as Record<string, unknown>;
    expect(id['username']).toBe(user.username);
  });

  it('answers 401 INVALID_SESSION_ID once a token is revoked or expired', async () => {
    const { accessToken } = local.issueAccessToken('acme');
    const url = `${prod.instanceUrl}/services/data/v62.0/sobjects`;
    expect((await get(url, accessToken)).status).toBe(200);
    await fetch(`${local.loginUrl}/services/oauth2/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: accessToken }),
    });
    const revoked = await get(url, accessToken);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toEqual(expiredFixture);

    const second = local.issueAccessToken('acme').accessToken;
    local.org('acme').faults.setClockOffset(3 * 3600_000);
    const expired = await get(url, second);
    local.org('acme').faults.setClockOffset(0);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual(expiredFixture);
  });

  it('refuses a token of one org on another org’s My Domain', async () => {
    const { accessToken } = local.issueAccessToken('acme');
    const res = await get(
      `${local.orgs[1]?.instanceUrl ?? ''}/services/data/v62.0/sobjects`,
      accessToken,
    );
    expect(res.status).toBe(401);
  });
});

describe('LoginHistory', () => {
  it('records successful and failed API logins', async () => {
    const conn = new Connection({ loginUrl: local.loginUrl, version: '62.0' });
    await conn.login(user.username, 'bad').catch(() => undefined);
    await conn.login(user.username, user.password + user.securityToken);
    const rows = await conn.query(
      `SELECT LoginType, Status, ApiType FROM LoginHistory WHERE UserId = '${prod.users[0]?.id ?? ''}' ORDER BY LoginTime`,
    );
    const soap = rows.records.filter((r) => r['ApiType'] === 'SOAP Partner');
    expect(soap.map((r) => r['Status'])).toEqual(
      expect.arrayContaining(['Invalid Password', 'Success']),
    );
    expect(soap[0]?.['LoginType']).toBe('Other Apex API');
  });
});

describe('token endpoint failures, as Salesforce words them', () => {
  async function token(body: Record<string, string>, host = local.loginUrl): Promise<unknown> {
    const res = await fetch(`${host}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams(body),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    return res.json();
  }
  const password = {
    grant_type: 'password',
    client_id: app.clientId,
    client_secret: app.clientSecret,
    username: user.username,
    password: user.password + user.securityToken,
  };
  const jwt = (claims: Record<string, unknown>): Record<string, string> => ({
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: signJwt(
      {
        iss: app.clientId,
        sub: user.username,
        aud: 'https://login.salesforce.com',
        exp: Math.floor(Date.now() / 1000) + 180,
        ...claims,
      },
      keys.privateKeyPem,
    ),
  });

  it.each([
    [
      'password: unknown client',
      { ...password, client_id: 'nobody' },
      'invalid_client_id',
      'client identifier invalid',
    ],
    [
      'password: wrong client secret',
      { ...password, client_secret: 'wrong' },
      'invalid_client',
      'invalid client credentials',
    ],
    [
      'password: unknown user',
      { ...password, username: 'nobody@acme.example.com' },
      'invalid_grant',
      'authentication failure',
    ],
    [
      'password: password without the security token',
      { ...password, password: user.password },
      'invalid_grant',
      'authentication failure - Invalid Password',
    ],
    [
      'authorization_code: unknown code',
      {
        grant_type: 'authorization_code',
        code: 'aPrx-unknown',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uri: app.callbackUrls[0] ?? '',
      },
      'invalid_grant',
      'invalid authorization code',
    ],
    [
      'refresh_token: unknown token',
      { grant_type: 'refresh_token', refresh_token: 'nope', client_id: app.clientId },
      'invalid_grant',
      'expired access/refresh token',
    ],
    [
      'JWT: expired assertion',
      jwt({ exp: Math.floor(Date.now() / 1000) - 60 }),
      'invalid_grant',
      'expired authorization code',
    ],
    [
      'JWT: wrong audience',
      jwt({ aud: 'https://example.com' }),
      'invalid_grant',
      'audience is invalid',
    ],
    [
      'JWT: unknown user',
      jwt({ sub: 'nobody@acme.example.com' }),
      'invalid_grant',
      "user hasn't approved this consumer",
    ],
    [
      'JWT: unknown consumer key',
      jwt({ iss: 'nobody' }),
      'invalid_client_id',
      'client identifier invalid',
    ],
    ['JWT: not a JWT', { ...jwt({}), assertion: 'abc' }, 'invalid_grant', 'invalid assertion'],
  ])('%s', async (_label, body, error, description) => {
    expect(await token(body)).toEqual({ error, error_description: description });
  });

  it('client_credentials with a wrong secret, and a refresh token of another client', async () => {
    expect(
      await token(
        { grant_type: 'client_credentials', client_id: app.clientId, client_secret: 'wrong' },
        prod.instanceUrl,
      ),
    ).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
    const org = local.org('acme');
    const grant = local.runtime.sessions.issueRefresh(
      org,
      org.users[0]?.id ?? '',
      app.clientId,
      'api',
    );
    expect(
      await token({
        grant_type: 'refresh_token',
        refresh_token: grant.refreshToken,
        client_id: 'someone-else',
      }),
    ).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
  });

  it('an authorization code works once and only with its redirect URI', async () => {
    const org = local.org('acme');
    const issue = (): string =>
      local.runtime.sessions.saveCode({
        org,
        userId: org.users[0]?.id ?? '',
        clientId: app.clientId,
        redirectUri: app.callbackUrls[0] ?? '',
        scope: 'api',
        expiresAt: org.now() + 60_000,
      });
    const base = {
      grant_type: 'authorization_code',
      client_id: app.clientId,
      client_secret: app.clientSecret,
    };
    expect(
      await token({ ...base, code: issue(), redirect_uri: 'http://localhost:9999/elsewhere' }),
    ).toEqual({
      error: 'redirect_uri_mismatch',
      error_description: 'redirect_uri must match configuration',
    });
    const code = issue();
    const ok = await fetch(`${local.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({ ...base, code, redirect_uri: app.callbackUrls[0] ?? '' }),
    });
    expect(ok.status).toBe(200);
    expect(await token({ ...base, code, redirect_uri: app.callbackUrls[0] ?? '' })).toEqual({
      error: 'invalid_grant',
      error_description: 'invalid authorization code',
    });
  });
});

describe('session timeout', () => {
  it('expires access tokens after the configured timeout', async () => {
    const short = await startLocalOrg({ orgs: [{ myDomain: 'short', sessionSeconds: 60 }] });
    try {
      const { accessToken, instanceUrl } = short.issueAccessToken('short');
      const url = `${instanceUrl}/services/data/v62.0/limits`;
      expect((await get(url, accessToken)).status).toBe(200);
      short.faults('short').setClockOffset(61_000);
      const expired = await get(url, accessToken);
      expect(expired.status).toBe(401);
      expect(await expired.json()).toEqual(expiredFixture);
    } finally {
      await short.close();
    }
  });
});

describe('web-server flow on the sandbox login host', () => {
  async function startLogin(host: string, state: string): Promise<string> {
    const url = new URL(`${host}/services/oauth2/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: app.callbackUrls[0] ?? '',
      state,
    }).toString();
    const html = await (await fetch(url)).text();
    return /name="ticket" value="([^"]+)"/.exec(html)?.[1] ?? '';
  }
  const form = (path: string, body: Record<string, string>, manual = false): Promise<Response> =>
    fetch(`${local.sandboxLoginUrl}${path}`, {
      method: 'POST',
      body: new URLSearchParams(body),
      redirect: manual ? 'manual' : 'follow',
    });

  it('refuses production users, signs sandbox users in to the sandbox, and reports a denial', async () => {
    const sandbox = local.orgs[1];
    const sandboxUser = sandbox?.users[0];
    const ticket = await startLogin(local.sandboxLoginUrl, 'sb');
    const refused = await (
      await form('/services/oauth2/authorize/login', {
        ticket,
        username: user.username,
        password: user.password,
      })
    ).text();
    expect(refused).toContain('Please check your username and password');
    const consent = await (
      await form('/services/oauth2/authorize/login', {
        ticket,
        username: sandboxUser?.username ?? '',
        password: sandboxUser?.password ?? '',
      })
    ).text();
    expect(consent).toContain('Allow Access?');
    const redirect = await form(
      '/services/oauth2/authorize/consent',
      { ticket, decision: 'allow' },
      true,
    );
    const location = new URL(redirect.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('sb');
    const tokenRes = await fetch(`${local.sandboxLoginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: location.searchParams.get('code') ?? '',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uri: app.callbackUrls[0] ?? '',
      }),
    });
    const token = (await tokenRes.json()) as { instance_url: string; id: string };
    expect(token.instance_url).toBe(sandbox?.instanceUrl);
    expect(token.id).toBe(
      `${local.sandboxLoginUrl}/id/${sandbox?.id ?? ''}/${sandboxUser?.id ?? ''}`,
    );

    const denied = await startLogin(local.sandboxLoginUrl, 'no');
    await form('/services/oauth2/authorize/login', {
      ticket: denied,
      username: sandboxUser?.username ?? '',
      password: sandboxUser?.password ?? '',
    });
    const back = await form(
      '/services/oauth2/authorize/consent',
      { ticket: denied, decision: 'deny' },
      true,
    );
    const deniedAt = new URL(back.headers.get('location') ?? '');
    expect(Object.fromEntries(deniedAt.searchParams)).toEqual({
      error: 'access_denied',
      error_description: 'end-user denied authorization',
      state: 'no',
    });
  });

  it('answers an unregistered callback with an error page, never a redirect', async () => {
    const url = new URL(`${local.loginUrl}/services/oauth2/authorize`);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: 'https://evil.example/callback',
    }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('redirect_uri_mismatch');
  });
});
