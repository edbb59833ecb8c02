/**
 * The local org of the access benchmark, in a process of its own (started with `fork`): seeds a
 * company of argv[2] users and argv[3] LoginHistory rows, sends `{ ready, ... }` with how to
 * reach it, and exits on `stop`.
 */
import { startLocalOrg } from '../../localorg/src/index.ts';

export interface AccessOrgReady {
  type: 'ready';
  loginUrl: string;
  instanceUrl: string;
  user: { username: string; password: string; securityToken: string };
  app: { clientId: string; clientSecret: string };
  seedSeconds: number;
  maxRss: number;
}

const users = Number(process.argv[2] ?? 20_000);
const logins = Number(process.argv[3] ?? 2_000_000);
const app = {
  clientId: '3MVG9PryzmAccessBenchConsumerKey',
  clientSecret: 'PRYZMACCESSBENCHSECRET',
  callbackUrls: ['http://127.0.0.1:*'],
};
const local = await startLocalOrg({ orgs: [{ myDomain: 'bench', connectedApps: [app] }] });
const started = performance.now();
local.seed('bench', { accounts: 0, contacts: 0, opportunities: 0, users, logins });
const seedSeconds = (performance.now() - started) / 1000;
const org = local.orgs[0]!;
const user = org.users[0]!;
const ready: AccessOrgReady = {
  type: 'ready',
  loginUrl: local.loginUrl,
  instanceUrl: org.instanceUrl,
  user: { username: user.username, password: user.password, securityToken: user.securityToken },
  app: { clientId: app.clientId, clientSecret: app.clientSecret },
  seedSeconds,
  maxRss: process.resourceUsage().maxRSS * 1024,
};
process.send?.(ready);
process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') void local.close().then(() => process.exit(0));
});
