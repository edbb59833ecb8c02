import { randomBytes, randomUUID } from 'node:crypto';
import { sha256 } from '../crypto/api-key-secrets.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import { ok } from '../outcome/result.ts';
import {
  authorizationUrl,
  describeFailure,
  knownOAuthFailure,
  exchangeAuthorizationCode,
} from '../salesforce/oauth.ts';
import { codeChallengeS256, createCodeVerifier } from '../salesforce/pkce.ts';
import type { ConnectionRepository, ConnectionRow } from '../store/repositories/connections.ts';
import type { ApiKeyRepository } from '../store/repositories/api-keys.ts';
import type { OAuthStateRepository } from '../store/repositories/oauth-states.ts';
import type { Activation } from './activation.ts';
import type { ConnectPath, ConnectTarget } from './connect-path.ts';
import { invalidState } from './connection-problems.ts';
import type { ConnectionSecrets } from './connection-secrets.ts';
import type { UsageCounter } from './usage-counter.ts';

/** How long a web-server authorisation link stays usable. */
export const AUTHORIZATION_TTL_MS = 10 * 60_000;

export type WebServerInput = ConnectTarget & { clientId?: string; clientSecret?: string };

export interface PendingAuthorization {
  connection: ConnectionRow;
  /** Open this in the browser of the person connecting: it binds the flow to that browser. */
  authorizationUrl: string;
  expiresAt: Date;
}

export interface WebServerSettings {
  clientId?: string;
  clientSecret?: string;
  /** Base URL browsers reach the service on (the OAuth callback lives under it). */
  publicUrl: () => string;
}

/**
 * The OAuth 2.0 web-server flow with PKCE, in three legs: a single-use link for the person
 * connecting, the browser's visit (bound to that browser by a cookie nonce) sent on to
 * Salesforce, and Salesforce's redirect back with the code, exchanged and activated.
 */
export class WebServerFlow {
  constructor(
    private readonly repository: ConnectionRepository,
    private readonly states: OAuthStateRepository,
    private readonly apiKeys: Pick<ApiKeyRepository, 'isActive'>,
    private readonly box: SecretBox,
    private readonly secrets: ConnectionSecrets,
    private readonly usage: UsageCounter,
    private readonly path: ConnectPath,
    private readonly activation: Activation,
    private readonly settings: WebServerSettings,
  ) {}

  redirectUri(): string {
    return `${this.settings.publicUrl()}/oauth/callback`;
  }

  async start(
    workspaceId: string,
    actor: string | null,
    input: WebServerInput,
  ): Promise<Outcome<PendingAuthorization>> {
    const loginUrl = this.path.loginUrl(input);
    if (!loginUrl.ok) return loginUrl;
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
    const connection = await this.path.create(workspaceId, actor, input, loginUrl.value, {
      id,
      authFlow: 'web_server',
      clientId,
      clientSecretEncrypted: clientSecret
        ? this.secrets.encrypt(id, 'clientSecretEncrypted', clientSecret)
        : null,
    });
    return ok(await this.newAuthorization(connection, actor));
  }

  /** A fresh single-use link for a connection (a first sign-in or a re-authorisation). */
  async newAuthorization(
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
  async open(state: string): Promise<Outcome<{ salesforceUrl: string; bindingNonce: string }>> {
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
      salesforceUrl: await authorizationUrl({
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
  async complete(input: {
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
      // The redirect's error and description are the browser's to write: only a code Salesforce
      // documents is repeated, in the service's own words.
      const failure = input.error
        ? knownOAuthFailure(input.error, input.errorDescription)
        : { error: 'invalid_request', description: 'no code' };
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
    return this.activation.activate(connection, tokens.value, this.usage.recorder(connection.id));
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
    // A link lives only as long as the key that made it: revoking the key revokes its links.
    if (row.apiKeyId && !(await this.apiKeys.isActive(row.apiKeyId))) {
      return invalidState('The API key that started this authorisation was revoked; start again');
    }
    return ok({ row, connection });
  }
}
