import type { SecretBox } from '../crypto/secret-box.ts';
import type { Logger } from '../logging/logger.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import { ok } from '../outcome/result.ts';
import type { SalesforceClient, SessionProvider } from '../salesforce/client.ts';
import { jwtAudience, type LoginHosts } from '../salesforce/login-hosts.ts';
import {
  describeFailure,
  jwtBearerToken,
  passwordToken,
  revokeToken,
} from '../salesforce/oauth.ts';
import type { UsageRecorder } from '../salesforce/usage.ts';
import type { ConnectionRow } from '../store/repositories/connections.ts';
import type { Repositories } from '../store/repositories/index.ts';
import { Activation, NO_SECRETS } from './activation.ts';
import { ConnectPath, type ConnectTarget } from './connect-path.ts';
import { authenticationFailed, connectionNotFound } from './connection-problems.ts';
import { ConnectionSecrets } from './connection-secrets.ts';
import { ConnectionSessions } from './connection-sessions.ts';
import { replacementFor, type ReauthorizationCredentials } from './reauthorization.ts';
import { UsageCounter } from './usage-counter.ts';
import {
  WebServerFlow,
  type PendingAuthorization,
  type WebServerInput,
  type WebServerSettings,
} from './web-server-flow.ts';

export { AUTHORIZATION_TTL_MS } from './web-server-flow.ts';
export type { PendingAuthorization, WebServerInput } from './web-server-flow.ts';
export type { ReauthorizationCredentials } from './reauthorization.ts';

const DAY_MS = 24 * 3_600_000;

/** A connection's API allowance for sync jobs over the last 24 hours. */
export interface Allowance {
  percent: number;
  /** The org's daily allocation, as last reported; null until the org reports it. */
  limit: number | null;
  /** The requests sync jobs may spend in 24 hours (`percent` of `limit`). */
  budget: number | null;
  spentLast24Hours: number;
  exhausted: boolean;
}

export interface ConnectionSettings extends LoginHosts, WebServerSettings {
  apiVersion: string;
}

export type JwtBearerInput = ConnectTarget & {
  clientId: string;
  username: string;
  privateKey: string;
};
export type PasswordInput = ConnectTarget & {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  securityToken?: string;
};

/**
 * A workspace's connections to Salesforce orgs: the three ways to connect (one shared path),
 * token storage (encrypted), sessions with single-flight refresh, re-authorisation and
 * disconnect.
 */
export class ConnectionService {
  readonly usage: UsageCounter;
  private readonly repository: Repositories['connections'];
  private readonly secrets: ConnectionSecrets;
  private readonly sessions: ConnectionSessions;
  private readonly activation: Activation;
  private readonly path: ConnectPath;
  private readonly webServer: WebServerFlow;

  constructor(
    repositories: Pick<Repositories, 'connections' | 'oauthStates' | 'apiKeys'>,
    box: SecretBox,
    settings: ConnectionSettings,
    private readonly logger: Logger,
  ) {
    this.repository = repositories.connections;
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
      settings,
    );
    this.activation = new Activation(this.repository, this.secrets, this.usage, settings, logger);
    this.path = new ConnectPath(this.repository, this.usage, this.activation, settings);
    this.webServer = new WebServerFlow(
      this.repository,
      repositories.oauthStates,
      repositories.apiKeys,
      box,
      this.secrets,
      this.usage,
      this.path,
      this.activation,
      settings,
    );
  }

  redirectUri(): string {
    return this.webServer.redirectUri();
  }

  async list(workspaceId: string): Promise<ConnectionRow[]> {
    await this.usage.flush();
    return this.repository.list(workspaceId);
  }

  async get(workspaceId: string, id: string): Promise<Outcome<ConnectionRow>> {
    await this.usage.flush();
    const row = await this.repository.find(workspaceId, id);
    return row ? ok(row) : connectionNotFound(id);
  }

  /**
   * What sync jobs may still spend today: the connection's share (percent) of the org's daily
   * API allocation, as Salesforce last reported it (`Sforce-Limit-Info`), against the requests
   * the connector sent in the last 24 hours. No budget until the org has reported its limit.
   */
  async allowance(connection: Pick<ConnectionRow, 'id'>): Promise<Allowance> {
    await this.usage.flush();
    const row = await this.repository.findById(connection.id);
    const percent = row?.apiAllowancePercent ?? 50;
    const limit = row?.orgApiLimit ?? null;
    const spent = await this.repository.apiCallsSince(connection.id, new Date(Date.now() - DAY_MS));
    const budget = limit === null ? null : Math.floor((limit * percent) / 100);
    return {
      percent,
      limit,
      budget,
      spentLast24Hours: spent,
      exhausted: budget !== null && spent >= budget,
    };
  }

  /** Changes what a person may change about a connection: its label and API allowance. */
  async update(
    workspaceId: string,
    id: string,
    change: { label?: string; apiAllowancePercent?: number },
  ): Promise<Outcome<ConnectionRow>> {
    const row = await this.repository.find(workspaceId, id);
    if (!row) return connectionNotFound(id);
    return ok(await this.repository.update(id, change));
  }

  /** The REST client of a connection; every call is counted on it (and through `alsoCount`). */
  client(connection: Pick<ConnectionRow, 'id'>, alsoCount?: UsageRecorder): SalesforceClient {
    return this.sessions.client(connection, alsoCount);
  }

  /** The session of a connection and its single-flight renewal (the Pub/Sub API's too). */
  sessionProvider(connection: Pick<ConnectionRow, 'id'>): SessionProvider {
    return this.sessions.sessionProvider(connection.id);
  }

  // --- Connecting --------------------------------------------------------------------------------

  startWebServer(
    workspaceId: string,
    actor: string | null,
    input: WebServerInput,
  ): Promise<Outcome<PendingAuthorization>> {
    return this.webServer.start(workspaceId, actor, input);
  }

  openAuthorization(state: string) {
    return this.webServer.open(state);
  }

  completeAuthorization(input: Parameters<WebServerFlow['complete']>[0]) {
    return this.webServer.complete(input);
  }

  connectJwtBearer(
    workspaceId: string,
    actor: string | null,
    input: JwtBearerInput,
  ): Promise<Outcome<ConnectionRow>> {
    return this.path.signInNow(workspaceId, actor, input, {
      authFlow: 'jwt_bearer',
      what: 'JWT bearer assertion',
      clientId: input.clientId,
      username: input.username,
      tokens: (loginUrl, record) =>
        jwtBearerToken(
          {
            loginUrl,
            audience: jwtAudience(input.environment, loginUrl),
            clientId: input.clientId,
            username: input.username,
            privateKeyPem: input.privateKey,
          },
          record,
        ),
      secretColumns: (id) => ({
        credentialEncrypted: this.secrets.encrypt(id, 'credentialEncrypted', input.privateKey),
      }),
    });
  }

  connectPassword(
    workspaceId: string,
    actor: string | null,
    input: PasswordInput,
  ): Promise<Outcome<ConnectionRow>> {
    // Salesforce's username-password flow takes the security token appended to the password.
    const password = input.password + (input.securityToken ?? '');
    return this.path.signInNow(workspaceId, actor, input, {
      authFlow: 'password',
      what: 'username and password',
      clientId: input.clientId,
      username: input.username,
      tokens: (loginUrl, record) =>
        passwordToken(
          {
            loginUrl,
            clientId: input.clientId,
            clientSecret: input.clientSecret,
            username: input.username,
            password,
          },
          record,
        ),
      secretColumns: (id) => ({
        clientSecretEncrypted: this.secrets.encrypt(
          id,
          'clientSecretEncrypted',
          input.clientSecret,
        ),
        credentialEncrypted: this.secrets.encrypt(id, 'credentialEncrypted', password),
      }),
    });
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
    if (!connection) return connectionNotFound(id);
    if (connection.status === 'disconnected') {
      return problem(
        'conflict',
        'disconnected',
        'A disconnected connection cannot be re-authorised; connect again',
      );
    }
    const replacement = replacementFor(connection.authFlow, credentials);
    if (!replacement.ok) return replacement;
    if (connection.authFlow === 'web_server') {
      return ok(await this.webServer.newAuthorization(connection, actor));
    }
    const tokens = await this.sessions.renewTokens(connection, replacement.value);
    if (!tokens.ok)
      return authenticationFailed(
        connection.authFlow === 'jwt_bearer' ? 'JWT bearer assertion' : 'username and password',
        tokens.error,
      );
    const activated = await this.activation.activate(
      connection,
      tokens.value,
      this.usage.recorder(id),
    );
    if (!activated.ok) return activated;
    // Replacements are kept only once Salesforce took them and the org proved to be this
    // connection's: a refused or mismatched sign-in leaves the stored credentials as they were.
    const replaced = this.secrets.credentialColumns(id, replacement.value ?? {});
    if (Object.keys(replaced).length === 0) return ok({ connection: activated.value });
    return ok({ connection: await this.repository.update(id, replaced) });
  }

  /**
   * Revokes the token at Salesforce, forgets the secrets and stops syncing (`stopSyncing`).
   * Records, links and mappings stay, so reconnecting picks up where it left off.
   */
  async disconnect(
    workspaceId: string,
    id: string,
    stopSyncing: (connectionId: string) => Promise<void>,
  ): Promise<Outcome<{ connection: ConnectionRow; revoked: boolean }>> {
    const connection = await this.repository.find(workspaceId, id);
    if (!connection) return connectionNotFound(id);
    if (connection.status === 'disconnected') {
      // Already disconnected, but a refused attempt may have left secrets behind: drop them.
      const leftover = Object.keys(NO_SECRETS).some(
        (column) => connection[column as keyof typeof NO_SECRETS] !== null,
      );
      const cleared = leftover ? await this.repository.update(id, NO_SECRETS) : connection;
      return ok({ connection: cleared, revoked: false });
    }
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
    await stopSyncing(id);
    await this.repository.update(id, {
      status: 'disconnected',
      statusMessage: message,
      disconnectedAt: new Date(),
      ...NO_SECRETS,
    });
    await this.usage.flush();
    this.logger.info({ connectionId: id, revoked }, 'org disconnected');
    return ok({ connection: (await this.repository.findById(id)) as ConnectionRow, revoked });
  }
}
