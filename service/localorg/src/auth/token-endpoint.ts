import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import type { ConnectedAppConfig } from '../org/config.ts';
import type { Org } from '../org/org.ts';
import type { LocalOrgRuntime } from '../org/runtime.ts';
import {
  checkApiPassword,
  findApp,
  findAppAnywhere,
  findUser,
  secretMatches,
  type LoginScope,
} from './credentials.ts';
import { peekClaims, verifyAssertion } from './jwt-bearer.ts';
import { recordLogin } from './login-history.ts';
import { tokenResponse } from './token-response.ts';
import { sendExact } from '../rest/respond.ts';

/**
 * `POST /services/oauth2/token`: password, refresh_token, authorization_code (with PKCE),
 * client_credentials and JWT bearer grants, with Salesforce's `{error, error_description}`
 * failures.
 */

export function oauthError(
  res: Response,
  status: number,
  error: string,
  description: string,
): void {
  sendExact(
    res,
    status,
    'application/json;charset=UTF-8',
    JSON.stringify({ error, error_description: description }),
  );
}

function sendToken(res: Response, body: Record<string, string>): void {
  res.set('Cache-Control', 'no-cache,must-revalidate,max-age=0,no-store,private');
  sendExact(res, 200, 'application/json;charset=UTF-8', JSON.stringify(body));
}

/** client_id/client_secret from the form or from HTTP Basic authentication. */
function clientCredentials(req: Request): { clientId?: string; clientSecret?: string } {
  const body = (req.body ?? {}) as Record<string, string | undefined>;
  const header = req.get('authorization');
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return {
      clientId: decodeURIComponent(decoded.slice(0, i)),
      clientSecret: decodeURIComponent(decoded.slice(i + 1)),
    };
  }
  return { clientId: body['client_id'], clientSecret: body['client_secret'] };
}

function appFor(
  org: Org,
  clientId: string | undefined,
  res: Response,
): ConnectedAppConfig | undefined {
  const app = clientId ? findApp(org, clientId) : undefined;
  if (!app) oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
  return app;
}

export function tokenEndpoint(runtime: LocalOrgRuntime, scopeOf: (req: Request) => LoginScope) {
  return (req: Request, res: Response): void => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const scope = scopeOf(req);
    const { clientId, clientSecret } = clientCredentials(req);
    switch (body['grant_type']) {
      case 'password': {
        const found = findUser(runtime, scope, body['username'] ?? '');
        const candidates = findAppAnywhere(runtime, scope, clientId ?? '');
        if (candidates.length === 0)
          return oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
        if (!found) return oauthError(res, 400, 'invalid_grant', 'authentication failure');
        if (!checkApiPassword(found.user, body['password'] ?? '')) {
          recordLogin(found.org, req, {
            userId: found.user.id,
            loginType: 'Remote Access 2.0',
            loginSubType: 'OAuth Username-Password',
            status: 'Invalid Password',
            application: clientId,
          });
          return oauthError(res, 400, 'invalid_grant', 'authentication failure - Invalid Password');
        }
        const app = appFor(found.org, clientId, res);
        if (!app) return;
        if (!secretMatches(app, clientSecret))
          return oauthError(res, 400, 'invalid_client', 'invalid client credentials');
        const session = runtime.sessions.issueAccess(found.org, found.user.id, app.clientId, 'api');
        recordLogin(found.org, req, {
          userId: found.user.id,
          loginType: 'Remote Access 2.0',
          loginSubType: 'OAuth Username-Password',
          status: 'Success',
          application: app.clientId,
        });
        return sendToken(res, tokenResponse(session, app, {}));
      }
      case 'refresh_token': {
        const grant = runtime.sessions.refreshGrant(body['refresh_token'] ?? '');
        if (!grant || (scope.kind === 'instance' && scope.org !== grant.org)) {
          return oauthError(res, 400, 'invalid_grant', 'expired access/refresh token');
        }
        const app = findApp(grant.org, grant.clientId);
        if (!app || clientId !== app.clientId)
          return oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
        if (clientSecret !== undefined && !secretMatches(app, clientSecret)) {
          return oauthError(res, 400, 'invalid_client', 'invalid client credentials');
        }
        const session = runtime.sessions.issueAccess(
          grant.org,
          grant.userId,
          app.clientId,
          grant.scope,
        );
        let refreshToken = grant.refreshToken;
        if (app.refreshTokenRotation) {
          runtime.sessions.revoke(grant.refreshToken);
          refreshToken = runtime.sessions.issueRefresh(
            grant.org,
            grant.userId,
            app.clientId,
            grant.scope,
          ).refreshToken;
        }
        session.refreshToken = refreshToken;
        return sendToken(
          res,
          tokenResponse(session, app, {
            scope: true,
            refreshToken: app.refreshTokenRotation ? refreshToken : undefined,
          }),
        );
      }
      case 'authorization_code': {
        const code = runtime.sessions.takeCode(body['code'] ?? '');
        if (!code || (scope.kind === 'instance' && scope.org !== code.org)) {
          return oauthError(res, 400, 'invalid_grant', 'invalid authorization code');
        }
        const app = findApp(code.org, code.clientId);
        if (!app || clientId !== app.clientId)
          return oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
        if (code.redirectUri !== body['redirect_uri'])
          return oauthError(
            res,
            400,
            'redirect_uri_mismatch',
            'redirect_uri must match configuration',
          );
        if (code.codeChallenge) {
          const verifier = body['code_verifier'] ?? '';
          const computed =
            code.codeChallengeMethod === 'plain'
              ? verifier
              : createHash('sha256').update(verifier).digest('base64url');
          if (computed !== code.codeChallenge)
            return oauthError(res, 400, 'invalid_grant', 'invalid code verifier');
        } else if (!secretMatches(app, clientSecret)) {
          return oauthError(res, 400, 'invalid_client', 'invalid client credentials');
        }
        if (clientSecret !== undefined && !secretMatches(app, clientSecret)) {
          return oauthError(res, 400, 'invalid_client', 'invalid client credentials');
        }
        const session = runtime.sessions.issueAccess(
          code.org,
          code.userId,
          app.clientId,
          code.scope,
        );
        recordLogin(code.org, req, {
          userId: code.userId,
          loginType: 'Remote Access 2.0',
          loginSubType: 'OAuth Web Server',
          status: 'Success',
          application: app.clientId,
        });
        const wantsRefresh = /\b(refresh_token|offline_access|full)\b/.test(code.scope);
        const refresh = wantsRefresh
          ? runtime.sessions.issueRefresh(code.org, code.userId, app.clientId, code.scope)
          : undefined;
        session.refreshToken = refresh?.refreshToken;
        return sendToken(
          res,
          tokenResponse(session, app, { scope: true, refreshToken: refresh?.refreshToken }),
        );
      }
      case 'client_credentials': {
        if (scope.kind !== 'instance')
          return oauthError(res, 400, 'invalid_request', 'request not supported on this domain');
        const app = appFor(scope.org, clientId, res);
        if (!app) return;
        if (!secretMatches(app, clientSecret))
          return oauthError(res, 400, 'invalid_client', 'invalid client credentials');
        const user = app.clientCredentialsUser
          ? scope.org.userByUsername(app.clientCredentialsUser)
          : undefined;
        if (!user)
          return oauthError(res, 400, 'invalid_grant', 'no client credentials user enabled');
        const session = runtime.sessions.issueAccess(scope.org, user.id, app.clientId, 'api');
        recordLogin(scope.org, req, {
          userId: user.id,
          loginType: 'Remote Access 2.0',
          loginSubType: 'OAuth Client Credentials',
          status: 'Success',
          application: app.clientId,
        });
        return sendToken(res, tokenResponse(session, app, { scope: true }));
      }
      case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
        const assertion = body['assertion'] ?? '';
        const claims = peekClaims(assertion);
        if (!claims) return oauthError(res, 400, 'invalid_grant', 'invalid assertion');
        const found = findUser(runtime, scope, claims.sub ?? '');
        const app = found ? findApp(found.org, claims.iss) : undefined;
        if (!found) {
          if (findAppAnywhere(runtime, scope, claims.iss).length === 0) {
            return oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
          }
          return oauthError(res, 400, 'invalid_grant', "user hasn't approved this consumer");
        }
        if (!app) return oauthError(res, 400, 'invalid_client_id', 'client identifier invalid');
        const audiences = [
          found.org.loginUrl,
          found.org.instanceUrl,
          found.org.loginUrl.replace(/^http:/, 'https:'),
          found.org.instanceUrl.replace(/^http:/, 'https:'),
          found.org.sandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com',
        ];
        const check = verifyAssertion(assertion, app.certificatePem, audiences, found.org.now());
        if (!check.ok) return oauthError(res, 400, 'invalid_grant', check.description);
        const session = runtime.sessions.issueAccess(found.org, found.user.id, app.clientId, 'api');
        recordLogin(found.org, req, {
          userId: found.user.id,
          loginType: 'Remote Access 2.0',
          status: 'Success',
          application: app.clientId,
        });
        const out = tokenResponse(session, app, { scope: true });
        delete out['signature'];
        return sendToken(res, out);
      }
      default:
        return oauthError(res, 400, 'unsupported_grant_type', 'grant type not supported');
    }
  };
}
