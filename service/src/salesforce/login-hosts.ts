/** Where a connection logs in: Salesforce's production or sandbox host, or a My Domain. */
export const ENVIRONMENTS = ['production', 'sandbox', 'custom'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export interface LoginHosts {
  productionLoginUrl: string;
  sandboxLoginUrl: string;
  /**
   * The local org's other loopback URLs (its orgs' instance URLs), beside the login hosts: the
   * only loopback ports credentials and tokens may go to (`PRYZM_LOCAL_ORG_URLS`).
   */
  localOrgUrls?: readonly string[];
}

const SALESFORCE_DOMAINS = [
  '.salesforce.com',
  '.force.com',
  '.cloudforce.com',
  '.salesforce-setup.com',
  '.sfcrmproducts.cn',
];
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

const WEB_SCHEMES = new Set(['http:', 'https:']);

/** The port a URL reaches, its scheme's default when none is written. */
function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/**
 * A loopback URL is a local org only on a port the local org was configured with: its login
 * hosts and its orgs. Every local org port answers http and https, so either scheme is fine;
 * any other port on this machine (a database, another service) never sees a credential.
 */
function isLocalOrgUrl(url: URL, hosts: LoginHosts): boolean {
  const localOrg = [hosts.productionLoginUrl, hosts.sandboxLoginUrl, ...(hosts.localOrgUrls ?? [])]
    .map((raw) => new URL(raw))
    .filter(isLoopback);
  return localOrg.some((known) => effectivePort(known) === effectivePort(url));
}

/**
 * Tokens, codes and client secrets are only ever sent to Salesforce: https on a Salesforce
 * domain, or a configured login host. Loopback hosts are accepted only when a configured login
 * host is itself on loopback (a development set-up with the local org), never in production, and
 * then only on the local org's own ports over http(s).
 */
export function isAllowedSalesforceUrl(raw: string, hosts: LoginHosts): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password || !WEB_SCHEMES.has(url.protocol)) return false;
  const configured = [hosts.productionLoginUrl, hosts.sandboxLoginUrl].map((u) => new URL(u));
  if (configured.some((c) => c.origin === url.origin)) return true;
  if (isLoopback(url)) return configured.some(isLoopback) && isLocalOrgUrl(url, hosts);
  return (
    url.protocol === 'https:' && SALESFORCE_DOMAINS.some((domain) => url.hostname.endsWith(domain))
  );
}

/** The login URL of a connection, or why it is not acceptable. */
export function resolveLoginUrl(
  environment: Environment,
  customUrl: string | undefined,
  hosts: LoginHosts,
): { ok: true; loginUrl: string } | { ok: false; message: string } {
  if (environment === 'production') return { ok: true, loginUrl: hosts.productionLoginUrl };
  if (environment === 'sandbox') return { ok: true, loginUrl: hosts.sandboxLoginUrl };
  if (!customUrl) return { ok: false, message: 'loginUrl is required for a custom environment' };
  if (!isAllowedSalesforceUrl(customUrl, hosts)) {
    return {
      ok: false,
      message: 'loginUrl must be an https My Domain URL such as https://acme.my.salesforce.com',
    };
  }
  return { ok: true, loginUrl: new URL(customUrl).origin };
}

const PRODUCTION_AUDIENCE = 'https://login.salesforce.com';
const SANDBOX_AUDIENCE = 'https://test.salesforce.com';

/**
 * The `aud` of a JWT bearer assertion. Salesforce wants its login host there, not the My Domain
 * the assertion is posted to: `https://test.salesforce.com` for sandboxes (the sandbox login host,
 * a `--` My Domain or `*.sandbox.my.salesforce.com`), `https://login.salesforce.com` otherwise.
 * A loopback login host (a local set-up) is its own audience.
 */
export function jwtAudience(environment: Environment, loginUrl: string): string {
  const url = new URL(loginUrl);
  if (isLoopback(url)) return url.origin;
  if (environment === 'sandbox') return SANDBOX_AUDIENCE;
  const host = url.hostname.toLowerCase();
  const sandboxHost =
    host === 'test.salesforce.com' ||
    host.endsWith('.sandbox.my.salesforce.com') ||
    host.split('.')[0]?.includes('--') === true;
  return sandboxHost ? SANDBOX_AUDIENCE : PRODUCTION_AUDIENCE;
}
