/** How an org is set up: identity, users, connected apps, allocations. */

export interface UserConfig {
  username: string;
  password: string;
  securityToken: string;
  firstName: string;
  lastName: string;
  email: string;
  /** Permission sets (API names from the package metadata) assigned to the user. */
  permissionSets?: string[];
  profile?: string;
}

export interface ConnectedAppConfig {
  /** The consumer key. */
  clientId: string;
  /** The consumer secret. */
  clientSecret: string;
  /** Allowed callback URLs; `*` matches any run of characters (e.g. `http://localhost:*`). */
  callbackUrls: string[];
  /** PEM certificate whose key signs JWT bearer assertions. */
  certificatePem?: string;
  /** Username the client credentials flow runs as; the flow is off without one. */
  clientCredentialsUser?: string;
  /** Issue a new refresh token on every refresh and invalidate the old one. */
  refreshTokenRotation?: boolean;
}

export interface OrgConfig {
  /** My Domain name, e.g. `pryzm-demo` (sandboxes: `pryzm-demo--uat`). */
  myDomain: string;
  /** Organization.Name. */
  name?: string;
  sandbox?: boolean;
  /** Namespace of the package install (`pryzm`); leave out for an un-namespaced deploy. */
  namespace?: string;
  users?: UserConfig[];
  connectedApps?: ConnectedAppConfig[];
  /** DailyApiRequests allocation. */
  dailyApiRequests?: number;
  /** Access token lifetime in seconds (the session timeout). */
  sessionSeconds?: number;
  /** How long Bulk API 2.0 jobs stay InProgress before completing (default 0). */
  bulkJobMilliseconds?: number;
}

export const DEFAULT_CONNECTED_APP: ConnectedAppConfig = {
  clientId: '3MVG9PryzmLocalOrgConnectedAppConsumerKey',
  clientSecret: 'PRYZMLOCALORGCONSUMERSECRET0001',
  callbackUrls: [
    'http://localhost:*',
    'http://127.0.0.1:*',
    'https://localhost:*',
    'https://127.0.0.1:*',
  ],
  clientCredentialsUser: undefined,
  refreshTokenRotation: false,
};

/** The Salesforce CLI's own connected app, which every org knows (`sf org login web`). */
export const PLATFORM_CLI_APP: ConnectedAppConfig = {
  clientId: 'PlatformCLI',
  clientSecret: '',
  callbackUrls: ['http://localhost:1717/OauthRedirect'],
  refreshTokenRotation: false,
};

export function defaultUsers(myDomain: string, sandbox: boolean): UserConfig[] {
  const suffix = sandbox ? `.${myDomain.split('--')[1] ?? 'sandbox'}` : '';
  return [
    {
      username: `admin@${myDomain.split('--')[0]}.example.com${suffix}`,
      password: 'Pryzm-local-1',
      securityToken: 'LOCALTOKEN0001',
      firstName: 'Ada',
      lastName: 'Admin',
      email: `admin@${myDomain.split('--')[0]}.example.com`,
      permissionSets: ['Pryzm_Admin'],
      profile: 'System Administrator',
    },
    {
      username: `integration@${myDomain.split('--')[0]}.example.com${suffix}`,
      password: 'Pryzm-local-2',
      securityToken: 'LOCALTOKEN0002',
      firstName: 'Ivy',
      lastName: 'Integration',
      email: `integration@${myDomain.split('--')[0]}.example.com`,
      permissionSets: ['Pryzm_Integration'],
      profile: 'System Administrator',
    },
  ];
}

export const DEFAULT_ORGS: OrgConfig[] = [
  { myDomain: 'pryzm-demo', name: 'Pryzm Demo', sandbox: false },
  { myDomain: 'pryzm-demo--uat', name: 'Pryzm Demo', sandbox: true, namespace: 'pryzm' },
];
