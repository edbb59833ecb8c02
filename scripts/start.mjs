#!/usr/bin/env node
// `npm start`: the product on its embedded defaults. Starts the local org (the Salesforce
// stand-in, with demo data) unless PRYZM_LOCAL_ORG=off, then the service; Ctrl-C or SIGTERM stops
// both gracefully. The two are separate processes that meet over HTTP and gRPC, as they would
// with a real org. Run `npm run build` first (the npm script does).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeDemoWorkspace, ensureDemoWorkspace } from './lib/demo-workspace.mjs';
import { demoRecordPageUrl } from './lib/local-org-pages.mjs';
import { configuresRealOrg, serviceEnvForLocalOrg } from './lib/local-org-defaults.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const localOrgCli = join(root, 'service', 'localorg', 'dist', 'cli.js');
const localOrgConfig = pathToFileURL(join(root, 'service', 'localorg', 'dist', 'org', 'config.js'));
const serviceMain = join(root, 'service', 'dist', 'main.js');
const DEMO_SEED = 'accounts=200,contacts=600,opportunities=300';

// The same .env the service reads (the environment wins), so PRYZM_LOCAL_ORG and the Salesforce
// variables set there decide what starts here too.
const envFile = join(root, '.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

function fail(message) {
  console.error(`pryzm: ${message}`);
  process.exit(1);
}

const localOrgSetting = (process.env.PRYZM_LOCAL_ORG ?? 'on').toLowerCase();
if (!['on', 'off'].includes(localOrgSetting)) {
  fail(
    `configuration error: PRYZM_LOCAL_ORG must be "on" or "off" (got "${process.env.PRYZM_LOCAL_ORG}")`,
  );
}
for (const file of [serviceMain, ...(localOrgSetting === 'on' ? [localOrgCli] : [])]) {
  if (!existsSync(file))
    fail(`${file} is missing: run \`npm run build\` (or \`npm start\`, which builds)`);
}

// Node flags the service's heap sizing needs from its start (service/src/lifecycle/heap-sizing.ts);
// an unknown PRYZM_HEAP gets none, and the service stops with its configuration error.
const { heapSizingNodeFlags } = await import(
  pathToFileURL(join(root, 'service', 'dist', 'lifecycle', 'heap-sizing.js')).href
);
const serviceNodeFlags = heapSizingNodeFlags(process.env.PRYZM_HEAP);

const children = new Set();
const localOrgLoginUrl = `http://${process.env.LOCALORG_HOST ?? '127.0.0.1'}:${Number(process.env.LOCALORG_PORT ?? 6100)}`;
let demoAdmin;
let stopping = false;

function run(label, script, args, env, nodeFlags = []) {
  const child = spawn(process.execPath, [...nodeFlags, script, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) {
      // One part stopped on its own: stop the other so nothing is left half-running.
      console.error(
        `pryzm: the ${label} stopped (${signal ?? `exit code ${code}`}); stopping everything`,
      );
      stopAll(code || 1);
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0);
    }
  });
  return child;
}

function stopAll(exitCode = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = exitCode;
  if (children.size === 0) process.exit(exitCode);
  for (const child of children) child.kill('SIGTERM');
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

/**
 * Starts the service; `onListening` runs once it logs where it listens, with its URL and the
 * one-time console sign-in link it printed before (when it printed one).
 */
function startService(env = {}, onListening = () => {}) {
  const service = run('service', serviceMain, [], env, serviceNodeFlags);
  let pending = '';
  let signInLink;
  service.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) {
      const entry = parseLogLine(line);
      if (entry?.consoleSignIn) signInLink = entry.consoleSignIn;
      if (entry?.console && entry.url) onListening({ url: entry.url, signInLink });
    }
  });
}

function parseLogLine(line) {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** The operator's admin token: PRYZM_ADMIN_TOKEN, else the file the service generated. */
function adminToken() {
  if (process.env.PRYZM_ADMIN_TOKEN) return process.env.PRYZM_ADMIN_TOKEN;
  const dir = process.env.PRYZM_SECRETS_DIR || './data';
  return readFileSync(
    join(isAbsolute(dir) ? dir : resolve(root, 'service', dir), 'admin-token'),
    'utf8',
  ).trim();
}

/**
 * Beside the local org, a first start connects a demo workspace (README "Running"); later starts
 * find it and reuse it. A failure here is reported and leaves the service running.
 */
async function setUpDemoWorkspace({ url, signInLink }, login) {
  try {
    const demo = await ensureDemoWorkspace({ serviceUrl: url, adminToken: adminToken(), login });
    console.log(`\n${describeDemoWorkspace(demo)}`);
  } catch (error) {
    console.error(`pryzm: the demo workspace could not be set up: ${error.message}`);
  }
  console.log(`\nThe console: ${url}/console/`);
  if (signInLink) console.log(`Sign in (one-time link): ${signInLink}`);
  else console.log('Sign in with a token, or mint a link: POST /api/session/links (README)');
  await printRecordPage(login);
}

/** The local org's record page with the package's Push button, and who to log in as. */
async function printRecordPage(login) {
  try {
    const pageUrl = await demoRecordPageUrl({ loginUrl: localOrgLoginUrl, login });
    if (!pageUrl) return;
    console.log(
      `\nThe package's Push button on a demo Account (local org record page): ${pageUrl}`,
    );
    console.log(`  Log in as ${demoAdmin.username}, password ${demoAdmin.password}`);
  } catch (error) {
    console.error(`pryzm: the local org's record page could not be found: ${error.message}`);
  }
}

if (localOrgSetting === 'off') {
  startService();
} else {
  // The app the local org registers, from the local org's own build (never a second copy).
  const { DEFAULT_CONNECTED_APP: localOrgApp, defaultUsers } = await import(localOrgConfig);
  // The local production org's integration user (README "A first connection"); with real
  // Salesforce variables set the service is not pointed at the local org, so no demo.
  const integrationUser = defaultUsers('pryzm-demo', false).find((user) =>
    user.username.startsWith('integration@'),
  );
  // Who the banner tells to open the record page: the org's admin holds Pryzm Admin (Push included).
  demoAdmin = defaultUsers('pryzm-demo', false).find((user) => user.username.startsWith('admin@'));
  const demoLogin = configuresRealOrg(process.env)
    ? undefined
    : {
        clientId: localOrgApp.clientId,
        clientSecret: localOrgApp.clientSecret,
        username: integrationUser.username,
        password: integrationUser.password,
        securityToken: integrationUser.securityToken,
      };
  const localOrg = run(
    'local org',
    localOrgCli,
    ['--seed', process.env.LOCALORG_SEED ?? DEMO_SEED],
    {},
  );
  let banner = '';
  let serviceStarted = false;
  localOrg.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (serviceStarted) return;
    banner += chunk.toString();
    if (banner.includes('Pryzm local org is running')) {
      serviceStarted = true;
      startService(
        serviceEnvForLocalOrg(process.env, {
          host: process.env.LOCALORG_HOST ?? '127.0.0.1',
          basePort: Number(process.env.LOCALORG_PORT ?? 6100),
          app: localOrgApp,
          caFile: resolve(root, process.env.LOCALORG_CERTS_DIR ?? '.localorg/certs', 'ca.pem'),
        }),
        (listening) => (demoLogin ? setUpDemoWorkspace(listening, demoLogin) : undefined),
      );
    }
  });
}
