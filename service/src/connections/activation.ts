import type { Logger } from '../logging/logger.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import { ok } from '../outcome/result.ts';
import { ReauthorizationRequiredError, SalesforceClient } from '../salesforce/client.ts';
import { isAllowedSalesforceUrl, type LoginHosts } from '../salesforce/login-hosts.ts';
import { revokeToken, type TokenSet } from '../salesforce/oauth.ts';
import type { UsageRecorder } from '../salesforce/usage.ts';
import type { ConnectionRepository, ConnectionRow } from '../store/repositories/connections.ts';
import type { ConnectionSecrets } from './connection-secrets.ts';
import type { UsageCounter } from './usage-counter.ts';

/** Every secret column of a connection, emptied. */
export const NO_SECRETS = {
  accessTokenEncrypted: null,
  refreshTokenEncrypted: null,
  credentialEncrypted: null,
  clientSecretEncrypted: null,
} as const;

/**
 * The last step of every sign-in, whichever flow got the tokens: store them, read who and where
 * the org is (userinfo, Organization) and mark the connection Active. A sign-in to another org
 * than the connection's, or to an org the workspace already has live, is refused and revoked.
 */
export class Activation {
  constructor(
    private readonly repository: ConnectionRepository,
    private readonly secrets: ConnectionSecrets,
    private readonly usage: UsageCounter,
    private readonly settings: LoginHosts & { apiVersion: string },
    private readonly logger: Logger,
  ) {}

  async activate(
    connection: ConnectionRow,
    tokens: TokenSet,
    record: UsageRecorder,
  ): Promise<Outcome<ConnectionRow>> {
    if (!isAllowedSalesforceUrl(tokens.instanceUrl, this.settings)) {
      const message = `Salesforce returned an unexpected instance URL (${tokens.instanceUrl})`;
      await this.refuse(connection, tokens, record, message);
      return problem('upstream', 'unexpected_instance_url', message);
    }
    await this.repository.update(connection.id, this.secrets.tokenColumns(connection.id, tokens));
    const identity = await this.readOrg(connection, tokens, record);
    if (!identity.ok) return identity;
    const { user, organization } = identity.value;
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
        ...NO_SECRETS,
        status: 'disconnected',
        disconnectedAt: new Date(),
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

  /**
   * A sign-in that will not be used: the tokens Salesforce issued are revoked and nothing secret
   * is kept. A first connection loses its credentials too (the attempt failed; nothing should
   * linger); a re-authorisation keeps the credentials that worked before, but not the tokens.
   */
  private async refuse(
    connection: ConnectionRow,
    tokens: TokenSet,
    record: UsageRecorder,
    message: string,
  ): Promise<void> {
    await revokeToken(connection.loginUrl, tokens.refreshToken ?? tokens.accessToken, record);
    const firstConnect = connection.connectedAt === null;
    await this.repository.update(connection.id, {
      ...(firstConnect ? NO_SECRETS : { accessTokenEncrypted: null, refreshTokenEncrypted: null }),
      ...(firstConnect ? {} : { status: 'needs_reauthorization' as const }),
      statusMessage: message,
    });
  }

  /** Who signed in and to which org, with the new tokens only (no refresh: they are new). */
  private async readOrg(connection: ConnectionRow, tokens: TokenSet, record: UsageRecorder) {
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
    try {
      const user = await client.userInfo();
      const organization = await client.organization();
      return ok({ user, organization });
    } catch (error) {
      const message = `Connected, but reading the org failed: ${error instanceof Error ? error.message : String(error)}`;
      await this.refuse(connection, tokens, record, message);
      return problem('upstream', 'org_unreadable', message);
    }
  }
}
