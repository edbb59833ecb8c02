#!/usr/bin/env node
// `npm start`: the product on its embedded defaults. Starts the local org (the Salesforce
// stand-in, with demo data) unless PRYZM_LOCAL_ORG=off, then the service; Ctrl-C or SIGTERM stops
// both gracefully. The two are separate processes that meet over HTTP and gRPC, as they would
// with a real org. Run `npm run build` first (the npm script does).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serviceEnvForLocalOrg } from './lib/local-org-defaults.mjs';

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

const children = new Set();
let stopping = false;

function run(label, script, args, env) {
  const child = spawn(process.execPath, [script, ...args], {
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

function startService(env = {}) {
  const service = run('service', serviceMain, [], env);
  service.stdout.pipe(process.stdout);
}

if (localOrgSetting === 'off') {
  startService();
} else {
  // The app the local org registers, from the local org's own build (never a second copy).
  const { DEFAULT_CONNECTED_APP: localOrgApp } = await import(localOrgConfig);
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
      );
    }
  });
}
