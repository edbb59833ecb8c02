import { randomUUID } from 'node:crypto';
import { problem, type Outcome } from '../outcome/problem.ts';
import { ok } from '../outcome/result.ts';
import { resolveLoginUrl, type Environment, type LoginHosts } from '../salesforce/login-hosts.ts';
import type { OAuthResult } from '../salesforce/oauth.ts';
import type { CallKind, UsageRecorder } from '../salesforce/usage.ts';
import type {
  AuthFlow,
  ConnectionChange,
  ConnectionRepository,
  ConnectionRow,
} from '../store/repositories/connections.ts';
import type { Activation } from './activation.ts';
import { authenticationFailed, defaultLabel } from './connection-problems.ts';
import type { UsageCounter } from './usage-counter.ts';

/** Where a new connection signs in: the environment, or a My Domain / custom login URL. */
export interface ConnectTarget {
  label?: string;
  environment: Environment;
  loginUrl?: string;
}

/** How one flow signs in at once (JWT bearer, username-password) and what it stores. */
export interface ImmediateSignIn {
  authFlow: Exclude<AuthFlow, 'web_server'>;
  /** What Salesforce refused, in an error message: "the <what> (<reason>)". */
  what: string;
  clientId: string;
  username: string;
  tokens(loginUrl: string, record: UsageRecorder): Promise<OAuthResult>;
  /** The encrypted columns of the new connection (its id binds each ciphertext). */
  secretColumns(connectionId: string): ConnectionChange;
}

/**
 * The one path every connect flow takes: resolve the login host against the allow-list, create
 * the pending connection row, then activate it with the tokens the flow obtained. The web-server
 * flow stops after the row (the browser brings the code later); the others sign in first, so a
 * refused sign-in leaves no row and no stored secret behind.
 */
export class ConnectPath {
  constructor(
    private readonly repository: ConnectionRepository,
    private readonly usage: UsageCounter,
    private readonly activation: Activation,
    private readonly hosts: LoginHosts,
  ) {}

  loginUrl(target: ConnectTarget): Outcome<string> {
    const login = resolveLoginUrl(target.environment, target.loginUrl, this.hosts);
    return login.ok ? ok(login.loginUrl) : problem('invalid', 'invalid_login_url', login.message);
  }

  create(
    workspaceId: string,
    actor: string | null,
    target: ConnectTarget,
    loginUrl: string,
    row: { id: string; authFlow: AuthFlow; clientId: string } & ConnectionChange,
  ): Promise<ConnectionRow> {
    return this.repository.create({
      workspaceId,
      label: target.label ?? defaultLabel(target.environment),
      environment: target.environment,
      loginUrl,
      status: 'pending_authorization',
      createdById: actor,
      ...row,
    });
  }

  async signInNow(
    workspaceId: string,
    actor: string | null,
    target: ConnectTarget,
    signIn: ImmediateSignIn,
  ): Promise<Outcome<ConnectionRow>> {
    const loginUrl = this.loginUrl(target);
    if (!loginUrl.ok) return loginUrl;
    // The attempt's requests are counted before a row exists and added to it once it does.
    const counts: Record<CallKind, number> = { api: 0, auth: 0 };
    const tokens = await signIn.tokens(loginUrl.value, (kind) => (counts[kind] += 1));
    if (!tokens.ok) return authenticationFailed(signIn.what, tokens.error);
    const id = randomUUID();
    const connection = await this.create(workspaceId, actor, target, loginUrl.value, {
      id,
      authFlow: signIn.authFlow,
      clientId: signIn.clientId,
      username: signIn.username,
      ...signIn.secretColumns(id),
    });
    await this.repository.addUsage(id, counts.api, counts.auth);
    return this.activation.activate(connection, tokens.value, this.usage.recorder(id));
  }
}
