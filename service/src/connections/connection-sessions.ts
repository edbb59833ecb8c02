import type { Logger } from '../logging/logger.ts';
import {
  ReauthorizationRequiredError,
  SalesforceClient,
  type Session,
  type SessionProvider,
} from '../salesforce/client.ts';
import {
  describeFailure,
  jwtBearerToken,
  passwordToken,
  refreshAccessToken,
  type OAuthResult,
} from '../salesforce/oauth.ts';
import {
  isAllowedSalesforceUrl,
  jwtAudience,
  type Environment,
  type LoginHosts,
} from '../salesforce/login-hosts.ts';
import type { UsageRecorder } from '../salesforce/usage.ts';
import type { ConnectionRepository, ConnectionRow } from '../store/repositories/connections.ts';
import type { ConnectionSecrets } from './connection-secrets.ts';
import type { UsageCounter } from './usage-counter.ts';

/**
 * Credentials that replace the stored ones when a connection is re-authorised: the private key
 * (JWT bearer), or the password followed by the security token (and optionally a new consumer
 * secret) for the username-password flow.
 */
export interface ReplacementCredentials {
  credential?: string;
  clientSecret?: string;
}

/** Pauses before looking again for a session a concurrent renewal elsewhere may be storing. */
const RENEWAL_SETTLE_WAITS_MS = [100, 400, 1_000];

/** OAuth errors that no retry will fix: the org must be authorised again. */
const PERMANENT_ERRORS = new Set(['invalid_grant', 'invalid_client_id', 'invalid_client']);

/**
 * Sessions of active connections: the REST client, and renewing an expired session with the
 * connection's own flow (refresh token, new JWT assertion, or password login).
 */
export class ConnectionSessions {
  private readonly refreshing = new Map<string, Promise<Session>>();

  constructor(
    private readonly repository: ConnectionRepository,
    private readonly secrets: ConnectionSecrets,
    private readonly usage: UsageCounter,
    private readonly apiVersion: string,
    private readonly logger: Logger,
    /** Where tokens may send the service: a renewed session is checked like a first one. */
    private readonly hosts: LoginHosts,
  ) {}

  /**
   * The REST client of a connection; every call is counted on it, and also through `alsoCount`
   * when given (a sync job counting what it spends).
   */
  client(connection: Pick<ConnectionRow, 'id'>, alsoCount?: UsageRecorder): SalesforceClient {
    const counted = this.usage.recorder(connection.id);
    return new SalesforceClient(
      this.provider(connection.id),
      this.apiVersion,
      alsoCount
        ? (kind) => {
            counted(kind);
            alsoCount(kind);
          }
        : counted,
      this.usage.orgUsageObserver(connection.id),
    );
  }

  /**
   * New tokens from the connection's flow (no state is changed here). `replacement` signs in
   * with new credentials instead of the stored ones (a changed password, a new private key).
   */
  renewTokens(
    connection: ConnectionRow,
    replacement?: ReplacementCredentials,
  ): Promise<OAuthResult> {
    const record = this.usage.recorder(connection.id);
    if (connection.authFlow === 'web_server') {
      const refreshToken = this.secrets.read(connection, 'refreshTokenEncrypted');
      if (!refreshToken) {
        return Promise.resolve({
          ok: false,
          error: { error: 'invalid_grant', description: 'no refresh token stored' },
        });
      }
      return refreshAccessToken(this.secrets.clientCredentials(connection), refreshToken, record);
    }
    const credential =
      replacement?.credential ?? this.secrets.read(connection, 'credentialEncrypted') ?? '';
    const username = connection.username ?? '';
    if (connection.authFlow === 'jwt_bearer') {
      return jwtBearerToken(
        {
          loginUrl: connection.loginUrl,
          audience: jwtAudience(connection.environment as Environment, connection.loginUrl),
          clientId: connection.clientId,
          username,
          privateKeyPem: credential,
        },
        record,
      );
    }
    const credentials = this.secrets.clientCredentials(connection);
    return passwordToken(
      {
        ...credentials,
        clientSecret: replacement?.clientSecret ?? credentials.clientSecret ?? '',
        username,
        password: credential,
      },
      record,
    );
  }

  /**
   * Single-flight per connection: concurrent callers share one refresh. A rotated refresh
   * token is stored before the new access token is handed out, so a crash cannot lose it.
   * A permanent refusal (`invalid_grant`) marks the connection "needs re-authorisation" and
   * later calls fail at once instead of retrying.
   */
  refresh(connectionId: string, expired: Session): Promise<Session> {
    const running = this.refreshing.get(connectionId);
    if (running) return running;
    const refresh = this.performRefresh(connectionId, expired).finally(() =>
      this.refreshing.delete(connectionId),
    );
    this.refreshing.set(connectionId, refresh);
    return refresh;
  }

  /** The session of a connection and its renewal, for clients other than REST (Pub/Sub). */
  sessionProvider(connectionId: string): SessionProvider {
    return this.provider(connectionId);
  }

  private provider(connectionId: string): SessionProvider {
    return {
      current: async () => {
        const connection = await this.activeConnection(connectionId);
        const accessToken = this.secrets.read(connection, 'accessTokenEncrypted');
        if (!accessToken || !connection.instanceUrl) {
          throw new ReauthorizationRequiredError('The connection has no access token');
        }
        return { accessToken, instanceUrl: connection.instanceUrl };
      },
      refresh: (expired) => this.refresh(connectionId, expired),
    };
  }

  private async activeConnection(connectionId: string): Promise<ConnectionRow> {
    const connection = await this.repository.findById(connectionId);
    if (!connection || connection.status !== 'active') {
      throw new ReauthorizationRequiredError(
        connection?.statusMessage ?? 'The connection is not active',
      );
    }
    return connection;
  }

  /**
   * The session another process stored after `read` was read, if any. It is looked for at once
   * and again after short pauses (`waitsMs`), because the winner of a concurrent renewal stores
   * its tokens only after Salesforce answered it, which can be after the loser heard its refusal.
   */
  private async sessionStoredSince(
    read: ConnectionRow,
    waitsMs: number[] = RENEWAL_SETTLE_WAITS_MS,
  ): Promise<Session | undefined> {
    for (const wait of [0, ...waitsMs]) {
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const now = await this.repository.findById(read.id);
      if (!now || now.status !== 'active' || !now.instanceUrl) return undefined;
      if (now.accessTokenEncrypted && now.accessTokenEncrypted !== read.accessTokenEncrypted) {
        const accessToken = this.secrets.read(now, 'accessTokenEncrypted');
        if (accessToken) return { accessToken, instanceUrl: now.instanceUrl };
      }
    }
    return undefined;
  }

  private async performRefresh(connectionId: string, expired: Session): Promise<Session> {
    const connection = await this.activeConnection(connectionId);
    const stored = this.secrets.read(connection, 'accessTokenEncrypted');
    if (stored && stored !== expired.accessToken && connection.instanceUrl) {
      // Another caller refreshed since this one read the token.
      return { accessToken: stored, instanceUrl: connection.instanceUrl };
    }
    const result = await this.renewTokens(connection);
    if (!result.ok) {
      const { error } = result;
      if (PERMANENT_ERRORS.has(error.error)) {
        // Another service process sharing this database may have renewed first and, with
        // refresh-token rotation, spent the refresh token this one just used: its session is
        // then the answer, and the connection is fine.
        const renewedElsewhere = await this.sessionStoredSince(connection);
        if (renewedElsewhere) return renewedElsewhere;
        const message = `Salesforce refused to renew the session (${describeFailure(error)}); re-authorise the connection`;
        const marked = await this.repository.updateIfSessionUnchanged(
          connectionId,
          connection.accessTokenEncrypted,
          { status: 'needs_reauthorization', statusMessage: message, accessTokenEncrypted: null },
        );
        if (!marked) {
          const stored = await this.sessionStoredSince(connection, []);
          if (stored) return stored;
        }
        this.logger.warn({ connectionId, error: error.error }, 'connection needs re-authorisation');
        throw new ReauthorizationRequiredError(message);
      }
      throw new Error(`Token refresh failed: ${describeFailure(error)}`);
    }
    const tokens = result.value;
    if (!isAllowedSalesforceUrl(tokens.instanceUrl, this.hosts)) {
      // A renewed session naming another host would send the next call's token there.
      const message = `Salesforce renewed the session with an unexpected instance URL (${tokens.instanceUrl}); re-authorise the connection`;
      await this.repository.updateIfSessionUnchanged(
        connectionId,
        connection.accessTokenEncrypted,
        {
          status: 'needs_reauthorization',
          statusMessage: message,
          accessTokenEncrypted: null,
        },
      );
      this.logger.warn({ connectionId }, 'renewed session refused: unexpected instance URL');
      throw new ReauthorizationRequiredError(message);
    }
    await this.repository.update(connectionId, this.secrets.tokenColumns(connectionId, tokens));
    return { accessToken: tokens.accessToken, instanceUrl: tokens.instanceUrl };
  }
}
