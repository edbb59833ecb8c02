import { generateKeyPairSync } from 'node:crypto';
import { startLocalOrg, type LocalOrg } from '../../localorg/src/index.ts';

/** A connected app both local orgs trust: web-server callback on loopback, JWT key, rotation. */
export function testConnectedApp() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    app: {
      clientId: '3MVG9PryzmServiceTestConsumerKey',
      clientSecret: 'PRYZMSERVICETESTSECRET',
      callbackUrls: ['http://127.0.0.1:*'],
      certificatePem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      refreshTokenRotation: true,
    },
  };
}

/** A production org and a sandbox (package installed with the `pryzm` namespace). */
export async function startTwoOrgs(
  app: ReturnType<typeof testConnectedApp>['app'],
): Promise<LocalOrg> {
  return startLocalOrg({
    orgs: [
      { myDomain: 'acme', name: 'Acme Production', connectedApps: [app] },
      {
        myDomain: 'acme--uat',
        name: 'Acme UAT',
        sandbox: true,
        namespace: 'pryzm',
        connectedApps: [app],
      },
    ],
  });
}

/** Service configuration pointing its production and sandbox login hosts at the local org. */
export function localOrgEnv(
  local: LocalOrg,
  app: ReturnType<typeof testConnectedApp>['app'],
): Record<string, string> {
  return {
    SALESFORCE_LOGIN_URL: local.loginUrl,
    SALESFORCE_SANDBOX_LOGIN_URL: local.sandboxLoginUrl,
    PRYZM_LOCAL_ORG_URLS: local.orgs.map((org) => org.instanceUrl).join(','),
    SALESFORCE_CLIENT_ID: app.clientId,
    SALESFORCE_CLIENT_SECRET: app.clientSecret,
  };
}

/** The API request that connects an org user through the username-password flow. */
export function passwordConnectionRequest(
  app: ReturnType<typeof testConnectedApp>['app'],
  user: { username: string; password: string; securityToken: string },
  extra: Record<string, unknown> = {},
) {
  return {
    authFlow: 'password',
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    username: user.username,
    password: user.password,
    securityToken: user.securityToken,
    ...extra,
  };
}

export interface BrowserOptions {
  username: string;
  password: string;
  decision?: 'allow' | 'deny';
  /** Changes the URL the service sends the browser to (e.g. to break PKCE). */
  tamper?: (salesforceUrl: URL) => void;
  /** Leaves out the binding cookie at the callback (another browser). */
  dropCookie?: boolean;
  /** Changes the callback URL Salesforce redirects to (e.g. another state). */
  tamperCallback?: (callback: URL) => void;
}

/**
 * Plays the browser of the person connecting: opens the service's authorisation link, logs in
 * to the local org, answers the consent page, and follows the redirect to the callback.
 */
export async function runBrowserFlow(authorizationUrl: string, options: BrowserOptions) {
  const opened = await fetch(authorizationUrl, { redirect: 'manual' });
  if (opened.status !== 302) throw new Error(`authorize answered ${opened.status}`);
  const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const salesforceUrl = new URL(opened.headers.get('location') ?? '');
  options.tamper?.(salesforceUrl);
  const loginHtml = await (await fetch(salesforceUrl)).text();
  const ticket = /name="ticket" value="([^"]+)"/.exec(loginHtml)?.[1] ?? '';
  const origin = salesforceUrl.origin;
  const consent = await fetch(`${origin}/services/oauth2/authorize/login`, {
    method: 'POST',
    body: new URLSearchParams({ ticket, username: options.username, password: options.password }),
  });
  if (!(await consent.text()).includes('Allow Access?')) throw new Error('login failed');
  const decided = await fetch(`${origin}/services/oauth2/authorize/consent`, {
    method: 'POST',
    body: new URLSearchParams({ ticket, decision: options.decision ?? 'allow' }),
    redirect: 'manual',
  });
  const callback = new URL(decided.headers.get('location') ?? '');
  options.tamperCallback?.(callback);
  const response = await fetch(callback, {
    headers: { accept: 'application/json', ...(options.dropCookie ? {} : { cookie }) },
  });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & {
      error?: { code: string; message: string };
    },
    salesforceUrl,
    /** Replays the callback exactly as the browser sent it. */
    replay: () =>
      fetch(callback, {
        headers: { accept: 'application/json', ...(options.dropCookie ? {} : { cookie }) },
      }),
  };
}
