import { timingSafeEqual } from 'node:crypto';
import type { ConnectedAppConfig } from '../org/config.ts';
import type { Org, OrgUser } from '../org/org.ts';
import type { LocalOrgRuntime } from '../org/runtime.ts';

/**
 * Who may log in where: production users on the production login host, sandbox users on the
 * sandbox login host, and an org's own users on its My Domain.
 */

export type LoginScope = { kind: 'login'; sandbox: boolean } | { kind: 'instance'; org: Org };

export function orgsInScope(runtime: LocalOrgRuntime, scope: LoginScope): Org[] {
  return scope.kind === 'instance'
    ? [scope.org]
    : runtime.orgs.filter((o) => o.sandbox === scope.sandbox);
}

export function findUser(
  runtime: LocalOrgRuntime,
  scope: LoginScope,
  username: string,
): { org: Org; user: OrgUser } | undefined {
  for (const org of orgsInScope(runtime, scope)) {
    const user = org.userByUsername(username);
    if (user) return { org, user };
  }
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** API logins take the password followed by the security token. */
export function checkApiPassword(user: OrgUser, given: string): boolean {
  return same(given, user.config.password + user.config.securityToken);
}

/** The browser login page takes the password alone. */
export function checkUiPassword(user: OrgUser, given: string): boolean {
  return same(given, user.config.password);
}

export function findApp(org: Org, clientId: string): ConnectedAppConfig | undefined {
  return org.connectedApps.find((a) => a.clientId === clientId);
}

export function findAppAnywhere(
  runtime: LocalOrgRuntime,
  scope: LoginScope,
  clientId: string,
): { org: Org; app: ConnectedAppConfig }[] {
  return orgsInScope(runtime, scope).flatMap((org) => {
    const app = findApp(org, clientId);
    return app ? [{ org, app }] : [];
  });
}

export function secretMatches(app: ConnectedAppConfig, secret: string | undefined): boolean {
  return secret !== undefined && same(secret, app.clientSecret);
}

/** Callback URL check; `*` in a registered URL matches any run of characters. */
export function callbackAllowed(app: ConnectedAppConfig, redirectUri: string): boolean {
  return app.callbackUrls.some((pattern) => {
    const re = new RegExp(
      '^' +
        pattern
          .split('*')
          .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*') +
        '$',
    );
    return re.test(redirectUri);
  });
}
