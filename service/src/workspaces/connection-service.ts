import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.ts';
import { ok } from '../result.ts';
import { ReauthorizationRequiredError, SalesforceClient } from '../salesforce/client.ts';
import type { SecretBox } from '../salesforce/crypto/secret-box.ts';
import {
  isAllowedSalesforceUrl,
  jwtAudience,
  resolveLoginUrl,
  type Environment,
  type LoginHosts,
} from '../salesforce/login-hosts.ts';
import {
  authorizationUrl,
  exchangeAuthorizationCode,
  jwtBearerToken,
  passwordToken,
  revokeToken,
  describeFailure,
  type OAuthFailure,
  type TokenSet,
} from '../salesforce/oauth.ts';
import { codeChallengeS256, createCodeVerifier } from '../salesforce/pkce.ts';
import type { CallKind, UsageRecorder } from '../salesforce/usage.ts';
import type { PrismaClient } from '../store/database.ts';
import { ConnectionRepository, type ConnectionRow } from '../store/repositories/connections.ts';
import { OAuthStateRepository } from '../store/repositories/oauth-states.ts';
import { sha256 } from './api-key-secrets.ts';
import { ConnectionSecrets } from './connection-secrets.ts';
import { ConnectionSessions, type ReplacementCredentials } from './connection-sessions.ts';
import { problem, type Outcome } from './problem.ts';
import { UsageCounter } from './usage-counter.ts';

/** How long a web-server authorisation link stays usable. */
export const AUTHORIZATION_TTL_MS = 10 * 60_000;

export interface ConnectionSettings extends LoginHosts {
  clientId?: string;
  clientSecret?: string;
  apiVersion: string;
  /** Base URL browsers reach the service on (the OAuth callback lives under it). */
  publicUrl: () => string;
}

interface Target {
  label?: string;
  environment: Environment;
  loginUrl?: string;
}

export type WebServerInput = Target & { clientId?: string; clientSecret?: string };
export type JwtBearerInput = Target & { clientId: string; username: string; privateKey: string };
export type PasswordInput = Target & {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  securityToken?: string;
};

export interface PendingAuthorization {
  connection: ConnectionRow;
  /** Open this in the browser of the person connecting: it binds the flow to that browser. */
  authorizationUrl: string;
  expiresAt: Date;
}

/** Counts requests of an attempt that has no stored connection yet. */
function tally(): { recorder: UsageRecorder; counts: Record<CallKind, number> } {
  const counts = { api: 0, auth: 0 };
  return { counts, recorder: (kind) => (counts[kind] += 1) };
}

/**
 * A workspace's connections to Salesforce orgs: the three ways to connect, token storage
 * (encrypted), single-flight refresh with rotation, re-authorisation and disconnect.
 */
export class ConnectionService {
  readonly repository: ConnectionRepository;
  readonly usage: UsageCounter;
  private readonly states: OAuthStateRepository;
  private readonly secrets: ConnectionSecrets;
  private readonly sessions: ConnectionSessions;

  constructor(
    prisma: PrismaClient,
    private readonly box: SecretBox,
    private readonly settings: ConnectionSettings,
    private readonly logger: Logger,
  ) {
    this.repository = new ConnectionRepository(prisma);
    this.states = new OAuthStateRepository(prisma);
    this.usage = new UsageCounter(this.repository, (error) =>
      this.logger.error({ err: error }, 'counting Salesforce requests failed'),
    );
    this.secrets = new ConnectionSecrets(box);
    this.sessions = new ConnectionSessions(
      this.repository,
      this.secrets,
      this.usage,
      settings.apiVersion,
      logger,
    );
  }

  redirectUri(): string {
    return `${this.settings.publicUrl()}/oauth/callback`;
  }

  async list(workspaceId: string): Promise<ConnectionRow[]> {
    await this.usage.flush();
    return this.repository.list(workspaceId);
  }

  async get(workspaceId: string, id: string): Promise<Outcome<ConnectionRow>> {
    await this.usage.flush();
    const row = await this.repository.find(workspaceId, id);
    return row ? ok(row) : notFound(id);
  }

  // --- Web-server flow (authorization code + PKCE) -------------------------------------------

  async startWebServer(
    workspaceId: string,
    actor: string | null,
    input: WebServerInput,
  ): Promise<Outcome<PendingAuthorization>> {
    const login = resolveLoginUrl(input.environment, input.loginUrl, this.settings);
    if (!login.ok) return problem('invalid', 'invalid_login_url', login.message);
    const clientId = input.clientId ?? this.settings.clientId;
    const clientSecret = input.clientId ? input.clientSecret : this.settings.clientSecret;
    if (!clientId) {
      return problem(
        'invalid',
        'client_id_required',
        'Set SALESFORCE_CLIENT_ID or send the connected app consumer key as clientId',
      );
    }
    const id = randomUUID();
    const connection = await this.repository.create({
      id,
      workspaceId,
      label: input.label ?? defaultLabel(input.environment),
      environment: input.environment,
      loginUrl: login.loginUrl,
      authFlow: 'web_server',
      status: 'pending_authorization',
      clientId,
      clientSecretEncrypted: clientSecret
        ? this.secrets.encrypt(id, 'clientSecretEncrypted', clientSecret)
        : null,
      createdById: actor,
    });
    return ok(await this.newAuthorization(connection, actor));
  }

  private async newAuthorization(
    connection: ConnectionRow,
    actor: string | null,
  ): Promise<PendingAuthorization> {
    const state = randomBytes(32).toString('base64url');
    const stateId = randomUUID();
    const expiresAt = new Date(Date.now() + AUTHORIZATION_TTL_MS);
    await this.states.deleteExpired(new Date());
    await this.states.create({
      id: stateId,
      stateHash: sha256(state),
      connectionId: connection.id,
      apiKeyId: actor,
      codeVerifierEncrypted: this.box.encrypt(createCodeVerifier(), `oauth-state:${stateId}`),
      expiresAt,
    });
    const url = new URL(`${this.settings.publicUrl()}/oauth/authorize`);
    url.searchParams.set('state', state);
    return { connection, authorizationUrl: url.toString(), expiresAt };
  }

  /**
   * The browser opened the authorisation link: bind the state to this browser (a nonce in a
   * cookie) and send it on to Salesforce. Only the first browser can bind a state.
   */
  async openAuthorization(
    state: string,
  ): Promise<Outcome<{ salesforceUrl: string; bindingNonce: string }>> {
    const found = await this.liveState(state);
    if (!found.ok) return found;
    const { row, connection } = found.value;
    const bindingNonce = randomBytes(32).toString('base64url');
    if (!(await this.states.bindBrowser(row.id, sha256(bindingNonce)))) {
      return invalidState('This authorisation link was already opened in another browser');
    }
    const verifier = this.box.decrypt(row.codeVerifierEncrypted, `oauth-state:${row.id}`);
    return ok({
      bindingNonce,
      salesforceUrl: authorizationUrl({
        loginUrl: connection.loginUrl,
        clientId: connection.clientId,
        redirectUri: this.redirectUri(),
        state,
        codeChallenge: codeChallengeS256(verifier),
        ...(connection.username ? { loginHint: connection.username } : {}),
      }),
    });
  }

  /** Salesforce redirected back: check state and browser binding, then exchange the code. */
  async completeAuthorization(input: {
    state?: string;
    bindingNonce?: string;
    code?: string;
    error?: string;
    errorDescription?: string;
  }): Promise<Outcome<ConnectionRow>> {
    if (!input.state) return invalidState('The callback has no state');
    const found = await this.liveState(input.state);
    if (!found.ok) return found;
    const { row, connection } = found.value;
    if (!row.browserBindingHash || !input.bindingNonce) {
      return invalidState('This browser did not start the authorisation');
    }
    if (row.browserBindingHash !== sha256(input.bindingNonce)) {
      return invalidState('This browser did not start the authorisation');
    }
    if (!(await this.states.consume(row.id))) return invalidState('The state was already used');

    if (input.error || !input.code) {
      const failure = {
        error: input.error ?? 'invalid_request',
        description: input.errorDescription ?? 'no code',
      };
      const denied = failure.error === 'access_denied';
      const message = denied
        ? `Access was denied in Salesforce (${describeFailure(failure)}); nothing was connected`
        : `Salesforce did not authorise the connection (${describeFailure(failure)})`;
      await this.repository.update(connection.id, { statusMessage: message });
      return problem('invalid', denied ? 'authorization_denied' : 'authorization_failed', message);
    }
    const verifier = this.box.decrypt(row.codeVerifierEncrypted, `oauth-state:${row.id}`);
    const tokens = await exchangeAuthorizationCode(
      { ...this.secrets.clientCredentials(connection), redirectUri: this.redirectUri() },
      input.code,
      verifier,
      this.usage.recorder(connection.id),
    );
    if (!tokens.ok) {
      const message = `Salesforce refused the authorization code (${describeFailure(tokens.error)})`;
      await this.repository.update(connection.id, { statusMessage: message });
      return problem('invalid', 'token_exchange_failed', message);
    }
    return this.activate(connection, tokens.value, this.usage.recorder(connection.id));
  }

  private async liveState(state: string) {
    const row = await this.states.findByStateHash(sha256(state));
    if (!row || row.consumedAt || row.expiresAt.getTime() < Date.now()) {
      return invalidState('The authorisation state is unknown, used or expired; start again');
    }
    const connection = await this.repository.findById(row.connectionId);
    if (!connection || connection.status === 'disconnected') {
      return invalidState('The connection of this authorisation is gone');
    }
    return ok({ row, connection });
  }

  // --- JWT bearer and username-password ---------------------------------------------------------

  async connectJwtBearer(
    workspaceId: string,
    actor: string | null,
    input: JwtBearerInput,
  ): Promise<Outcome<ConnectionRow>> {
    const login = resolveLoginUrl(input.environment, input.loginUrl, this.settings);
    if (!login.ok) return problem('invalid', 'invalid_login_url', login.message);
    const attempt = tally();
    const tokens = await jwtBearerToken(
      {
        loginUrl: login.loginUrl,
        audience: jwtAudience(input.environment, login.loginUrl),
        clientId: input.clientId,
        username: input.username,
        privateKeyPem: input.privateKey,
      },
      attempt.recorder,
    );
    if (!tokens.ok) return authenticationFailed('JWT bearer assertion', tokens.error);
    const id = randomUUID();
    const connection = await this.repository.create({
      id,
      workspaceId,
      label: input.label ?? defaultLabel(input.environment),
      environment: input.environment,
      loginUrl: login.loginUrl,
      authFlow: 'jwt_bearer',
      status: 'pending_authorization',
      clientId: input.clientId,
      username: input.username,
      credentialEncrypted: this.secrets.encrypt(id, 'credentialEncrypted', input.privateKey),
      createdById: actor,
    });
    await this.repository.addUsage(id, attempt.counts.api, attempt.counts.auth);
    return this.activate(connection, tokens.value, this.usage.recorder(id));
  }

  async connectPassword(
    workspaceId: string,
    actor: string | null,
    input: PasswordInput,
  ): Promise<Outcome<ConnectionRow>> {
    const login = resolveLoginUrl(input.environment, input.loginUrl, this.settings);
    if (!login.ok) return problem('invalid', 'invalid_login_url', login.message);
    const attempt = tally();
    const password = input.password + (input.securityToken ?? '');
    const tokens = await passwordToken(
      {
        loginUrl: login.loginUrl,
        clientId: input.clientId,
        clientSecret: input.clientSecret,
        username: input.username,
        password,
      },
      attempt.recorder,
    );
    if (!tokens.ok) return authenticationFailed('username and password', tokens.error);
    const id = randomUUID();
    const connection = await this.repository.create({
      id,
      workspaceId,
      label: input.label ?? defaultLabel(input.environment),
      environment: input.environment,
      loginUrl: login.loginUrl,
      authFlow: 'password',
      status: 'pending_authorization',
      clientId: input.clientId,
      clientSecretEncrypted: this.secrets.encrypt(id, 'clientSecretEncrypted', input.clientSecret),
      username: input.username,
      credentialEncrypted: this.secrets.encrypt(id, 'credentialEncrypted', password),
      createdById: actor,
    });
    await this.repository.addUsage(id, attempt.counts.api, attempt.counts.auth);
    return this.activate(connection, tokens.value, this.usage.recorder(id));
  }

  /**
   * Stores the tokens, reads who and where the org is (userinfo, Organization) and marks the
   * connection Active. A second live connection to the same org in a workspace is refused.
   */
  private async activate(
    connection: ConnectionRow,
    tokens: TokenSet,
    record: UsageRecorder,
  ): Promise<Outcome<ConnectionRow>> {
    if (!isAllowedSalesforceUrl(tokens.instanceUrl, this.settings)) {
      const message = `Salesforce returned an unexpected instance URL (${tokens.instanceUrl})`;
      await this.repository.update(connection.id, { statusMessage: message });
      return problem('upstream', 'unexpected_instance_url', message);
    }
    await this.repository.update(connection.id, this.secrets.tokenColumns(connection.id, tokens));
    const client = new SalesforceClient(
      {
        current: async () => ({ accessToken: tokens.accessToken, instanceUrl: tokens.instanceUrl }),
        refresh: () =>
          Promise.reject(new ReauthorizationRequiredError('the new token was refused')),
      },
      this.settings.apiVersion,
      record,
      this.usage.orgUsageObserver(connection.id),
    );
    let identity;
    try {
      const user = await client.userInfo();
      const organization = await client.organization();
      identity = { user, organization };
    } catch (error) {
      const message = `Connected, but reading the org failed: ${error instanceof Error ? error.message : String(error)}`;
      await this.repository.update(connection.id, { statusMessage: message });
      return problem('upstream', 'org_unreadable', message);
    }
    const { user, organization } = identity;
    if (connection.orgId && connection.orgId !== user.organizationId) {
      await revokeToken(connection.loginUrl, tokens.refreshToken ?? tokens.accessToken, record);
      const message = `Re-authorised against org ${user.organizationId}, but this connection is for org ${connection.orgId}`;
      await this.repository.update(connection.id, {
        statusMessage: message,
        accessTokenEncrypted: null,
        refreshTokenEncrypted: null,
        status: 'needs_reauthorization',
      });
      return problem('conflict', 'different_org', message);
    }
    const duplicate = await this.repository.findLiveByOrg(
      connection.workspaceId,
      user.organizationId,
      connection.id,
    );
    if (duplicate) {
      await revokeToken(connection.loginUrl, tokens.refreshToken ?? tokens.accessToken, record);
      await this.repository.update(connection.id, {
        status: 'disconnected',
        disconnectedAt: new Date(),
        accessTokenEncrypted: null,
        refreshTokenEncrypted: null,
        statusMessage: `Org ${user.organizationId} is already connected as "${duplicate.label}"`,
      });
      return problem(
        'conflict',
        'org_already_connected',
        `Org ${user.organizationId} is already connected to this workspace as "${duplicate.label}"`,
        { connectionId: duplicate.id },
      );
    }
    const updated = await this.repository.update(connection.id, {
      status: 'active',
      statusMessage: null,
      orgId: user.organizationId,
      userId: user.userId,
      username: user.username,
      orgName: organization.Name,
      edition: organization.OrganizationType,
      isSandbox: organization.IsSandbox,
      connectedAt: connection.connectedAt ?? new Date(),
      disconnectedAt: null,
    });
    this.logger.info({ connectionId: connection.id, orgId: user.organizationId }, 'org connected');
    await this.usage.flush();
    return ok((await this.repository.findById(updated.id)) ?? updated);
  }

  /** The REST client of a connection; every call is counted on it. */
  client(connection: ConnectionRow): SalesforceClient {
    return this.sessions.client(connection);
  }

  // --- Re-authorisation and disconnect ----------------------------------------------------------

  /**
   * A new sign-in for a connection: a new browser link (web-server flow), or a new sign-in with
   * the stored credentials, or with `credentials` that replace them (a changed password and
   * security token, a new private key). Replacements are stored only once Salesforce took them.
   */
  async reauthorize(
    workspaceId: string,
    id: string,
    actor: string | null,
    credentials: ReauthorizationCredentials = {},
  ): Promise<Outcome<{ connection: ConnectionRow; authorizationUrl?: string; expiresAt?: Date }>> {
    const connection = await this.repository.find(workspaceId, id);
    if (!connection) return notFound(id);
    if (connection.status === 'disconnected') {
      return problem(
        'conflict',
        'disconnected',
        'A disconnected connection cannot be re-authorised; connect again',
      );
    }
    const replacement = replacementFor(connection, credentials);
    if (!replacement.ok) return replacement;
    if (connection.authFlow === 'web_server') {
      return ok(await this.newAuthorization(connection, actor));
    }
    const tokens = await this.sessions.renewTokens(connection, replacement.value);
    if (!tokens.ok)
      return authenticationFailed(
        connection.authFlow === 'jwt_bearer' ? 'JWT bearer assertion' : 'username and password',
        tokens.error,
      );
    const activated = await this.activate(connection, tokens.value, this.usage.recorder(id));
    if (!activated.ok) return activated;
    // Replacements are kept only once Salesforce took them and the org proved to be this
    // connection's: a refused or mismatched sign-in leaves the stored credentials as they were.
    const replaced = this.secrets.credentialColumns(id, replacement.value ?? {});
    if (Object.keys(replaced).length === 0) return ok({ connection: activated.value });
    return ok({ connection: await this.repository.update(id, replaced) });
  }

  /**
   * Revokes the token at Salesforce, forgets the secrets and stops syncing (mappings are
   * disabled). Records, links and mappings stay, so reconnecting picks up where it left off.
   */
  async disconnect(
    workspaceId: string,
    id: string,
    disableMappings: (connectionId: string) => Promise<void>,
  ): Promise<Outcome<{ connection: ConnectionRow; revoked: boolean }>> {
    const connection = await this.repository.find(workspaceId, id);
    if (!connection) return notFound(id);
    if (connection.status === 'disconnected') return ok({ connection, revoked: false });
    const token =
      this.secrets.read(connection, 'refreshTokenEncrypted') ??
      this.secrets.read(connection, 'accessTokenEncrypted');
    let revoked = false;
    let message = 'Disconnected';
    if (token) {
      const result = await revokeToken(connection.loginUrl, token, this.usage.recorder(id));
      revoked = result.ok;
      if (!result.ok)
        message = `Disconnected; Salesforce did not confirm the revocation (${describeFailure(result.error)})`;
    }
    await disableMappings(id);
    await this.repository.update(id, {
      status: 'disconnected',
      statusMessage: message,
      disconnectedAt: new Date(),
      accessTokenEncrypted: null,
      refreshTokenEncrypted: null,
      credentialEncrypted: null,
      clientSecretEncrypted: null,
    });
    await this.usage.flush();
    this.logger.info({ connectionId: id, revoked }, 'org disconnected');
    return ok({ connection: (await this.repository.findById(id)) as ConnectionRow, revoked });
  }
}

/** New credentials sent with a re-authorisation; which ones apply depends on the flow. */
export interface ReauthorizationCredentials {
  privateKey?: string;
  password?: string;
  securityToken?: string;
  clientSecret?: string;
}

function replacementFor(
  connection: ConnectionRow,
  input: ReauthorizationCredentials,
): Outcome<ReplacementCredentials | undefined> {
  const given = Object.entries(input)
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key);
  if (given.length === 0) return ok(undefined);
  const allowed: Record<ConnectionRow['authFlow'], string[]> = {
    web_server: [],
    jwt_bearer: ['privateKey'],
    password: ['password', 'securityToken', 'clientSecret'],
  };
  const misplaced = given.filter((key) => !allowed[connection.authFlow].includes(key));
  if (misplaced.length > 0) {
    return problem(
      'invalid',
      'credentials_not_applicable',
      connection.authFlow === 'web_server'
        ? 'A web-server connection is re-authorised in the browser; send no credentials'
        : `A ${connection.authFlow} connection does not take ${misplaced.join(', ')}`,
    );
  }
  if (connection.authFlow === 'password' && input.securityToken !== undefined && !input.password) {
    return problem(
      'invalid',
      'password_required',
      'Send the password together with the new security token',
    );
  }
  return ok({
    credential:
      connection.authFlow === 'jwt_bearer'
        ? input.privateKey
        : input.password !== undefined
          ? input.password + (input.securityToken ?? '')
          : undefined,
    clientSecret: input.clientSecret,
  });
}

function defaultLabel(environment: Environment): string {
  return environment === 'sandbox'
    ? 'Sandbox'
    : environment === 'production'
      ? 'Production'
      : 'Salesforce';
}

function notFound(id: string) {
  return problem('not_found', 'connection_not_found', `No connection ${id}`);
}

function invalidState(message: string) {
  return problem('unauthorized', 'invalid_state', message);
}

function authenticationFailed(what: string, failure: OAuthFailure) {
  return problem(
    failure.error === 'unreachable' ? 'upstream' : 'invalid',
    'authentication_failed',
    `Salesforce refused the ${what} (${describeFailure(failure)})`,
    { salesforceError: failure.error },
  );
}
