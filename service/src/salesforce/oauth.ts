import type * as Jsforce from 'jsforce';
import type { OAuth2, TokenResponse } from 'jsforce';
import { err, ok, type Result } from '../outcome/result.ts';
import { signJwtAssertion } from './jwt-assertion.ts';
import { countRequests, type UsageRecorder } from './usage.ts';

/** What a successful token request gives the service. */
export interface TokenSet {
  accessToken: string;
  /** Present for the web-server flow; a rotation hands out a new one on refresh. */
  refreshToken?: string;
  instanceUrl: string;
  /** The identity URL `https://login.salesforce.com/id/<org id>/<user id>`. */
  identityUrl: string;
  issuedAt: Date;
}

/** An OAuth error as Salesforce sends it (`invalid_grant`, `invalid_client_id`, ...). */
export interface OAuthFailure {
  error: string;
  description: string;
}

export type OAuthResult = Result<TokenSet, OAuthFailure>;

/** `invalid_grant: expired access/refresh token`, for messages people read. */
export function describeFailure(failure: OAuthFailure): string {
  return failure.description ? `${failure.error}: ${failure.description}` : failure.error;
}

export interface ClientCredentials {
  loginUrl: string;
  clientId: string;
  clientSecret?: string;
}

/**
 * jsforce, with its HTTP, XML, SOQL and cookie libraries, adds about 35 MB to a bare Node process:
 * it is loaded at the first OAuth request, not when the service starts (a process that signs no
 * connection in and renews no session, such as one serving the API at rest, never holds it).
 */
let jsforce: Promise<typeof Jsforce> | undefined;

function loadJsforce(): Promise<typeof Jsforce> {
  jsforce ??= import('jsforce');
  jsforce.catch(() => (jsforce = undefined));
  return jsforce;
}

async function oauth2(
  credentials: ClientCredentials,
  record: UsageRecorder,
  redirectUri?: string,
): Promise<OAuth2> {
  const { OAuth2 } = await loadJsforce();
  const client = new OAuth2({
    loginUrl: credentials.loginUrl,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    redirectUri,
  });
  countRequests(client, 'auth', record);
  return client;
}

function toTokenSet(response: TokenResponse): TokenSet {
  const issued = Number(response.issued_at);
  return {
    accessToken: response.access_token,
    refreshToken: response.refresh_token,
    instanceUrl: response.instance_url,
    identityUrl: response.id,
    issuedAt: Number.isFinite(issued) ? new Date(issued) : new Date(),
  };
}

/**
 * What the service says about each OAuth error code Salesforce documents ("OAuth 2.0
 * Authorization Errors", help.salesforce.com sf.remoteaccess_oauth_flow_errors.htm). Only these
 * codes are passed on; anything else a login host answers becomes `oauth_error`.
 */
const OAUTH_ERRORS: Record<string, string> = {
  invalid_grant: 'the grant or the credentials were refused',
  invalid_client_id: 'the client id (consumer key) is unknown',
  invalid_client: 'the client secret was refused',
  inactive_user: 'the user is inactive',
  inactive_org: 'the org is inactive or locked',
  rate_limit_exceeded: 'too many sign-in attempts',
  invalid_request: 'the request was refused',
  unsupported_grant_type: 'the grant type is not supported',
  unsupported_response_type: 'the response type is not supported',
  unsupported_token_type: 'the token type is not supported',
  redirect_uri_mismatch: 'the callback URL does not match the connected app',
  invalid_scope: 'the scopes were refused',
  access_denied: 'access was denied',
  invalid_app_access: 'the user may not use the connected app',
  invalid_assertion: 'the JWT assertion was refused',
};

/**
 * The fixed descriptions Salesforce sends with `invalid_grant` and its siblings (same page, and
 * the OAuth token endpoint's answers). A description outside this list is dropped: an answer
 * from a login host is never repeated to the caller as it came.
 */
const KNOWN_DESCRIPTIONS = new Set([
  'authentication failure',
  'authentication failure - Invalid Password',
  'expired access/refresh token',
  'invalid authorization code',
  'invalid code verifier',
  'invalid assertion',
  'Audience validation failed',
  "user hasn't approved this consumer",
  'IP restricted or invalid login hours',
  'inactive user',
  'inactive organization',
  'invalid client credentials',
  'client identifier invalid',
  'end-user denied authorization',
  'redirect_uri must match configuration',
  'token validity expired',
]);

/** An OAuth failure in the service's own words, from an `error` code and a description. */
export function knownOAuthFailure(error: unknown, description: unknown): OAuthFailure {
  if (typeof error !== 'string' || !Object.hasOwn(OAUTH_ERRORS, error)) {
    return { error: 'oauth_error', description: 'the login host answered with an unknown error' };
  }
  const known = typeof description === 'string' && KNOWN_DESCRIPTIONS.has(description);
  return { error, description: known ? description : (OAUTH_ERRORS[error] ?? '') };
}

/**
 * jsforce throws OAuth errors as Errors named after the `error` field, with the description as
 * the message, and an answer that is not an OAuth error as `ERROR_HTTP_<status>` carrying the
 * whole body. Neither is passed on as it came: the body of a non-OAuth answer is dropped and an
 * OAuth error is put in the service's own words.
 */
export function toOAuthFailure(error: unknown): OAuthFailure {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      return { error: 'unreachable', description: `Salesforce could not be reached (${code})` };
    }
    const status = /^ERROR_HTTP_(\d{3})$/.exec(error.name)?.[1];
    if (status) {
      return {
        error: 'unexpected_response',
        description: `the login host answered HTTP ${status} without an OAuth error`,
      };
    }
    if (error.name && error.name !== 'Error') return knownOAuthFailure(error.name, error.message);
  }
  return { error: 'oauth_error', description: 'the sign-in failed' };
}

async function tokenRequest(
  client: Promise<OAuth2>,
  request: (client: OAuth2) => Promise<TokenResponse>,
): Promise<OAuthResult> {
  try {
    const response = await request(await client);
    if (!response?.access_token || !response.instance_url) {
      return err({ error: 'invalid_response', description: 'no access token in the response' });
    }
    return ok(toTokenSet(response));
  } catch (error) {
    return err(toOAuthFailure(error));
  }
}

/** The Salesforce authorisation page URL of the web-server flow, with PKCE S256 and state. */
export async function authorizationUrl(input: {
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
  codeChallenge: string;
  loginHint?: string;
}): Promise<string> {
  const { OAuth2 } = await loadJsforce();
  const client = new OAuth2({
    loginUrl: input.loginUrl,
    clientId: input.clientId,
    redirectUri: input.redirectUri,
  });
  return client.getAuthorizationUrl({
    scope: 'api refresh_token',
    state: input.state,
    code_challenge: input.codeChallenge,
    ...(input.loginHint ? { login_hint: input.loginHint } : {}),
  });
}

export function exchangeAuthorizationCode(
  credentials: ClientCredentials & { redirectUri: string },
  code: string,
  codeVerifier: string,
  record: UsageRecorder,
): Promise<OAuthResult> {
  return tokenRequest(oauth2(credentials, record, credentials.redirectUri), (client) =>
    client.requestToken(code, { code_verifier: codeVerifier }),
  );
}

export function refreshAccessToken(
  credentials: ClientCredentials,
  refreshToken: string,
  record: UsageRecorder,
): Promise<OAuthResult> {
  return tokenRequest(oauth2(credentials, record), (client) => client.refreshToken(refreshToken));
}

export function jwtBearerToken(
  credentials: ClientCredentials & { username: string; privateKeyPem: string; audience: string },
  record: UsageRecorder,
): Promise<OAuthResult> {
  const assertion = signJwtAssertion({
    clientId: credentials.clientId,
    username: credentials.username,
    audience: credentials.audience,
    privateKeyPem: credentials.privateKeyPem,
  });
  // The assertion carries the consumer key; the grant takes no client_id or secret.
  return tokenRequest(oauth2({ loginUrl: credentials.loginUrl, clientId: '' }, record), (client) =>
    client.requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  );
}

/** The legacy username-password flow: the password followed by the user's security token. */
export function passwordToken(
  credentials: ClientCredentials & { username: string; password: string },
  record: UsageRecorder,
): Promise<OAuthResult> {
  return tokenRequest(oauth2(credentials, record), (client) =>
    client.authenticate(credentials.username, credentials.password),
  );
}

/** Revokes a token (revoking a refresh token also ends its access tokens). */
export async function revokeToken(
  loginUrl: string,
  token: string,
  record: UsageRecorder,
): Promise<Result<void, OAuthFailure>> {
  try {
    const client = await oauth2({ loginUrl, clientId: '' }, record);
    await client.revokeToken(token);
    return ok(undefined);
  } catch (error) {
    return err(toOAuthFailure(error));
  }
}
