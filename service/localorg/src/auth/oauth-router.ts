import { Router, type Request, type Response } from 'express';
import type { LocalOrgRuntime } from '../org/runtime.ts';
import { sendExact } from '../rest/respond.ts';
import type { Org } from '../org/org.ts';
import { bearerToken } from '../rest/api-middleware.ts';
import { LATEST_VERSION } from '../rest/versions.ts';
import {
  callbackAllowed,
  checkUiPassword,
  findApp,
  findAppAnywhere,
  findUser,
  type LoginScope,
} from './credentials.ts';
import { consentPage, errorPage, loginPage } from './login-pages.ts';
import { randomToken, type AccessSession } from '../org/sessions.ts';
import { oauthError, tokenEndpoint } from './token-endpoint.ts';
import { identityUrl } from './token-response.ts';

/**
 * OAuth 2.0 endpoints: authorize (web-server flow with login and consent pages, `state`,
 * PKCE), token, revoke, userinfo, and the identity URL.
 */

interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  state?: string;
  scope: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  scopeOf: LoginScope;
  user?: { org: Org; userId: string; username: string };
  startedAt: number;
}

/** A login page left open longer than this has to start over, as an expired login does. */
const PENDING_MS = 15 * 60_000;

function redirectWith(
  res: Response,
  redirectUri: string,
  params: Record<string, string | undefined>,
): void {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  res.redirect(302, url.toString());
}

function userFields(session: AccessSession): Record<string, unknown> {
  const org = session.org;
  const user = org.userById(session.userId);
  const record: Record<string, unknown> = org.findById(session.userId)?.record ?? {};
  const base = org.instanceUrl;
  const v = LATEST_VERSION;
  const urls = {
    enterprise: `${base}/services/Soap/c/{version}/${org.id}`,
    metadata: `${base}/services/Soap/m/{version}/${org.id}`,
    partner: `${base}/services/Soap/u/{version}/${org.id}`,
    rest: `${base}/services/data/v{version}/`,
    sobjects: `${base}/services/data/v{version}/sobjects/`,
    search: `${base}/services/data/v{version}/search/`,
    query: `${base}/services/data/v{version}/query/`,
    recent: `${base}/services/data/v{version}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${org.id}`,
    tooling_rest: `${base}/services/data/v{version}/tooling/`,
    profile: `${base}/${session.userId}`,
    feeds: `${base}/services/data/v{version}/chatter/feeds`,
    groups: `${base}/services/data/v{version}/chatter/groups`,
    users: `${base}/services/data/v{version}/chatter/users`,
    feed_items: `${base}/services/data/v{version}/chatter/feed-items`,
    feed_elements: `${base}/services/data/v{version}/chatter/feed-elements`,
    custom_domain: base,
  };
  return {
    id: identityUrl(org, session.userId),
    asserted_user: true,
    user_id: session.userId,
    organization_id: org.id,
    username: user?.config.username,
    nick_name: record['CommunityNickname'] ?? null,
    display_name: record['Name'] ?? null,
    email: user?.config.email,
    email_verified: true,
    first_name: user?.config.firstName,
    last_name: user?.config.lastName,
    timezone: 'America/Los_Angeles',
    photos: { picture: `${base}/profilephoto/005/F`, thumbnail: `${base}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls,
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    last_modified_date: record['LastModifiedDate'] ?? null,
    is_app_installed: true,
    version: v,
  };
}

export function oauthRouter(
  runtime: LocalOrgRuntime,
  scopeOf: (req: Request) => LoginScope,
): Router {
  const r = Router();
  const pending = new Map<string, PendingAuthorization>();

  r.post('/services/oauth2/token', tokenEndpoint(runtime, scopeOf));

  r.get('/services/oauth2/authorize', (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const scope = scopeOf(req);
    const apps = findAppAnywhere(runtime, scope, q['client_id'] ?? '');
    if (apps.length === 0) {
      res
        .status(400)
        .type('html')
        .send(errorPage('invalid_client_id', 'client identifier invalid'));
      return;
    }
    if (q['response_type'] !== 'code') {
      res
        .status(400)
        .type('html')
        .send(errorPage('unsupported_response_type', 'response type not supported'));
      return;
    }
    const redirectUri = q['redirect_uri'] ?? '';
    if (!apps.some(({ app }) => callbackAllowed(app, redirectUri))) {
      res
        .status(400)
        .type('html')
        .send(errorPage('redirect_uri_mismatch', 'redirect_uri must match configuration'));
      return;
    }
    if (
      q['code_challenge'] &&
      (q['code_challenge_method'] ?? 'S256') !== 'S256' &&
      q['code_challenge_method'] !== 'plain'
    ) {
      redirectWith(res, redirectUri, {
        error: 'invalid_request',
        error_description: 'invalid code_challenge_method',
        state: q['state'],
      });
      return;
    }
    const ticket = randomToken(32);
    const now = Date.now();
    for (const [key, value] of pending) if (now - value.startedAt > PENDING_MS) pending.delete(key);
    pending.set(ticket, {
      startedAt: now,
      clientId: q['client_id'] ?? '',
      redirectUri,
      state: q['state'],
      scope: q['scope'] ?? 'api refresh_token',
      codeChallenge: q['code_challenge'],
      codeChallengeMethod: q['code_challenge'] ? (q['code_challenge_method'] ?? 'S256') : undefined,
      scopeOf: scope,
    });
    res
      .status(200)
      .type('html')
      .send(loginPage(ticket, undefined, q['login_hint'] ?? ''));
  });

  r.post('/services/oauth2/authorize/login', (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const ticket = body['ticket'] ?? '';
    const auth = pending.get(ticket);
    if (!auth) {
      res
        .status(400)
        .type('html')
        .send(errorPage('invalid_request', 'authorization request expired'));
      return;
    }
    const found = findUser(runtime, auth.scopeOf, body['username'] ?? '');
    if (
      !found ||
      !checkUiPassword(found.user, body['password'] ?? '') ||
      !findApp(found.org, auth.clientId)
    ) {
      res
        .status(200)
        .type('html')
        .send(
          loginPage(
            ticket,
            "Please check your username and password. If you still can't log in, contact your Salesforce administrator.",
            body['username'] ?? '',
          ),
        );
      return;
    }
    auth.user = { org: found.org, userId: found.user.id, username: found.user.config.username };
    res
      .status(200)
      .type('html')
      .send(consentPage(ticket, auth.clientId, found.user.config.username, auth.scope));
  });

  r.post('/services/oauth2/authorize/consent', (req, res) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const auth = pending.get(body['ticket'] ?? '');
    pending.delete(body['ticket'] ?? '');
    if (!auth?.user) {
      res
        .status(400)
        .type('html')
        .send(errorPage('invalid_request', 'authorization request expired'));
      return;
    }
    if (body['decision'] !== 'allow') {
      redirectWith(res, auth.redirectUri, {
        error: 'access_denied',
        error_description: 'end-user denied authorization',
        state: auth.state,
      });
      return;
    }
    const code = runtime.sessions.saveCode({
      org: auth.user.org,
      userId: auth.user.userId,
      clientId: auth.clientId,
      redirectUri: auth.redirectUri,
      scope: auth.scope,
      codeChallenge: auth.codeChallenge,
      codeChallengeMethod: auth.codeChallengeMethod,
      expiresAt: auth.user.org.now() + 15 * 60_000,
    });
    redirectWith(res, auth.redirectUri, { code, state: auth.state });
  });

  const revoke = (req: Request, res: Response): void => {
    const token = String(
      (req.body as Record<string, unknown> | undefined)?.['token'] ?? req.query['token'] ?? '',
    );
    if (!runtime.sessions.revoke(token))
      return oauthError(res, 400, 'unsupported_token_type', 'this token type is not supported');
    res.status(200).end();
  };
  r.post('/services/oauth2/revoke', revoke);
  r.get('/services/oauth2/revoke', revoke);

  const sessionOf = (req: Request): AccessSession | undefined => {
    const token =
      bearerToken(req) ??
      (typeof req.query['oauth_token'] === 'string' ? req.query['oauth_token'] : undefined);
    return token ? runtime.sessions.validate(token) : undefined;
  };

  r.get('/services/oauth2/userinfo', (req, res) => {
    const session = sessionOf(req);
    if (!session) {
      res.status(403).type('text/plain').send('Bad_OAuth_Token');
      return;
    }
    const info = userFields(session);
    sendExact(
      res,
      200,
      'application/json;charset=UTF-8',
      JSON.stringify({
        sub: info['id'],
        user_id: info['user_id'],
        organization_id: info['organization_id'],
        preferred_username: info['username'],
        nickname: info['nick_name'],
        name: info['display_name'],
        email: info['email'],
        email_verified: true,
        given_name: info['first_name'],
        family_name: info['last_name'],
        zoneinfo: info['timezone'],
        photos: info['photos'],
        profile: `${session.org.instanceUrl}/${session.userId}`,
        picture: (info['photos'] as Record<string, string>)['picture'],
        address: { country: 'US' },
        is_salesforce_integration_user: false,
        urls: info['urls'],
        active: true,
        user_type: 'STANDARD',
        language: 'en_US',
        locale: 'en_US',
        utcOffset: -28800000,
        updated_at: info['last_modified_date'],
        is_app_installed: true,
      }),
    );
  });

  r.get('/id/:orgId/:userId', (req, res) => {
    const session = sessionOf(req);
    if (
      !session ||
      session.org.id !== req.params['orgId'] ||
      session.userId !== req.params['userId']
    ) {
      res.status(403).type('text/plain').send('Bad_OAuth_Token');
      return;
    }
    sendExact(res, 200, 'application/json;charset=UTF-8', JSON.stringify(userFields(session)));
  });

  return r;
}
