import { Connection } from 'jsforce';
import {
  countRequests,
  type CallKind,
  type OrgUsageObserver,
  type UsageRecorder,
} from './usage.ts';

/** The access token and instance a connection currently holds. */
export interface Session {
  accessToken: string;
  instanceUrl: string;
}

/**
 * Supplies sessions to the client: the stored one, and a refreshed one when Salesforce says the
 * stored one expired. `refresh` is single-flight per connection and throws when the org must be
 * re-authorised.
 */
export interface SessionProvider {
  current(): Promise<Session>;
  refresh(expired: Session): Promise<Session>;
}

/** A failed Salesforce REST call with Salesforce's error code (`INVALID_FIELD`, `NOT_FOUND`...). */
export class SalesforceApiError extends Error {
  override readonly name = 'SalesforceApiError';
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** The connection cannot call Salesforce until someone re-authorises it (or reconnects it). */
export class ReauthorizationRequiredError extends Error {
  override readonly name = 'ReauthorizationRequiredError';
}

function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { errorCode?: unknown })?.errorCode;
  return typeof code === 'string' ? code : undefined;
}

export interface OrganizationInfo {
  Id: string;
  Name: string;
  OrganizationType: string | null;
  IsSandbox: boolean;
  InstanceName: string | null;
}

export interface UserInfo {
  organizationId: string;
  userId: string;
  username: string;
}

/**
 * The one way the service talks to an org's REST API. Every request is counted through the
 * usage recorder; an expired session is refreshed once and the call retried.
 */
export class SalesforceClient {
  constructor(
    private readonly sessions: SessionProvider,
    private readonly apiVersion: string,
    private readonly record: UsageRecorder,
    private readonly observeOrgUsage?: OrgUsageObserver,
  ) {}

  /** Runs `call` with a jsforce connection on the current session, refreshing once on expiry. */
  async run<T>(call: (connection: Connection) => Promise<T>, kind: CallKind = 'api'): Promise<T> {
    const session = await this.sessions.current();
    try {
      return await this.observed(this.connectionFor(session, kind), call);
    } catch (error) {
      if (errorCodeOf(error) !== 'INVALID_SESSION_ID') throw this.wrap(error);
      const renewed = await this.sessions.refresh(session);
      try {
        return await this.observed(this.connectionFor(renewed, kind), call);
      } catch (retryError) {
        throw this.wrap(retryError);
      }
    }
  }

  /** Runs a call and passes on the org's API usage Salesforce reported while it ran. */
  private async observed<T>(
    connection: Connection,
    call: (connection: Connection) => Promise<T>,
  ): Promise<T> {
    try {
      return await call(connection);
    } finally {
      const usage = connection.limitInfo?.apiUsage;
      if (usage && this.observeOrgUsage) this.observeOrgUsage(usage);
    }
  }

  describeGlobal(): Promise<unknown> {
    return this.run((connection) => connection.describeGlobal());
  }

  describe(objectName: string): Promise<unknown> {
    return this.run((connection) => connection.describe(objectName));
  }

  async organization(): Promise<OrganizationInfo> {
    const result = await this.run(async (connection) =>
      connection.query<OrganizationInfo>(
        'SELECT Id, Name, OrganizationType, IsSandbox, InstanceName FROM Organization',
      ),
    );
    const organization = result.records[0];
    if (!organization) throw new SalesforceApiError('NOT_FOUND', 'No Organization record');
    return organization;
  }

  async userInfo(): Promise<UserInfo> {
    const info = await this.run(
      (connection) =>
        connection.request<{
          organization_id: string;
          user_id: string;
          preferred_username: string;
        }>('/services/oauth2/userinfo'),
      'auth',
    );
    return {
      organizationId: info.organization_id,
      userId: info.user_id,
      username: info.preferred_username,
    };
  }

  private connectionFor(session: Session, kind: CallKind): Connection {
    const connection = new Connection({
      instanceUrl: session.instanceUrl,
      accessToken: session.accessToken,
      version: this.apiVersion,
    });
    countRequests(connection, kind, this.record);
    return connection;
  }

  private wrap(error: unknown): Error {
    if (error instanceof SalesforceApiError) return error;
    const code = errorCodeOf(error);
    if (code) return new SalesforceApiError(code, (error as Error).message);
    return error instanceof Error ? error : new Error(String(error));
  }
}
