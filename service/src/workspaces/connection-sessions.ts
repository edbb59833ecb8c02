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
import { jwtAudience, type Environment } from '../salesforce/login-hosts.ts';
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
  ) {}

  /** The REST client of a connection; every call is counted on it. */
  client(connection: ConnectionRow): SalesforceClient {
    return new SalesforceClient(
      this.provider(connection.id),
      this.apiVersion,
      this.usage.recorder(connection.id),
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
        const message = `Salesforce refused to renew the session (${describeFailure(error)}); re-authorise the connection`;
        await this.repository.update(connectionId, {
          status: 'needs_reauthorization',
          statusMessage: message,
          accessTokenEncrypted: null,
        });
        this.logger.warn({ connectionId, error: error.error }, 'connection needs re-authorisation');
        throw new ReauthorizationRequiredError(message);
      }
      throw new Error(`Token refresh failed: ${describeFailure(error)}`);
    }
    const tokens = result.value;
    await this.repository.update(connectionId, this.secrets.tokenColumns(connectionId, tokens));
    return { accessToken: tokens.accessToken, instanceUrl: tokens.instanceUrl };
  }
}
