/**
 * The local org of the pull benchmark, in a process of its own so that the service's memory
 * and CPU figures are the service's alone. Started with `fork` (IPC): seeds one org with the
 * number of Accounts in argv[2], sends `{ ready, ... }` with how to reach it, answers `rss`
 * messages with its own peak RSS and exits on `stop`.
 */
import { startLocalOrg } from '../../localorg/src/index.ts';

export interface LocalOrgReady {
  type: 'ready';
  loginUrl: string;
  instanceUrl: string;
  user: { username: string; password: string; securityToken: string };
  app: { clientId: string; clientSecret: string };
  seedSeconds: number;
}

export interface LocalOrgUsage {
  type: 'rss';
  /** Peak resident set size of this process so far, in bytes. */
  maxRss: number;
}

const accounts = Number(process.argv[2] ?? 1_000_000);
const app = {
  clientId: '3MVG9PryzmPullBenchConsumerKey',
  clientSecret: 'PRYZMPULLBENCHSECRET',
  callbackUrls: ['http://127.0.0.1:*'],
};
const local = await startLocalOrg({ orgs: [{ myDomain: 'bench', connectedApps: [app] }] });
const started = performance.now();
local.seed('bench', { accounts, contacts: 0, opportunities: 0 });
const seedSeconds = (performance.now() - started) / 1000;
const org = local.orgs[0]!;
// The connection's user is the integration user, as the README's setup has it: its permission set
// carries the Pryzm_Integration custom permission, so the package's Flows skip the connector's
// own writes (the Pryzm_ID__c write-back) instead of running for each record.
const user = org.users.find((candidate) => candidate.username.startsWith('integration@'))!;
const ready: LocalOrgReady = {
  type: 'ready',
  loginUrl: local.loginUrl,
  instanceUrl: org.instanceUrl,
  user: { username: user.username, password: user.password, securityToken: user.securityToken },
  app: { clientId: app.clientId, clientSecret: app.clientSecret },
  seedSeconds,
};
process.send?.(ready);
process.on('message', (message: { type: string }) => {
  if (message.type === 'rss') {
    const usage: LocalOrgUsage = { type: 'rss', maxRss: process.resourceUsage().maxRSS * 1024 };
    process.send?.(usage);
  } else if (message.type === 'stop') {
    void local.close().then(() => process.exit(0));
  }
});
