/**
 * An access governance pull of an org with 20,000 users and 2,000,000 LoginHistory rows, through
 * the real service and its HTTP API, on SQLite and on PostgreSQL, next to its floor measured in
 * the same run on the same rows: the raw Bulk API 2.0 download of every object the pull reads
 * (create the query job, poll, read every results page), written nowhere.
 *
 * The local org runs in a process of its own (support/access-org-process.ts); the service and
 * the floor run here, one after the other.
 *
 *   npm run bench -- access                                        20,000 users, 2,000,000 logins
 *   ACCESS_BENCH_USERS=2000 ACCESS_BENCH_LOGINS=200000 npm run bench -- access    quicker
 *   ACCESS_BENCH_PROVIDERS=sqlite npm run bench -- access          one database
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printComparisons, type Comparison } from '../localorg/bench/compare.ts';
import { startPostgresCluster, type PostgresCluster } from '../scripts/lib/postgres-cluster.ts';
import { ACCESS_KINDS, LOGIN_HISTORY, soql } from '../src/access/governance/kinds.ts';
import { loadConfig } from '../src/config/env.ts';
import { createLogger } from '../src/logging/logger.ts';
import { bulkQuery } from '../src/salesforce/bulk-query.ts';
import { SalesforceClient } from '../src/salesforce/client.ts';
import { restQuery } from '../src/salesforce/rest-query.ts';
import { startService } from '../src/service.ts';
import { serviceDir, type Provider } from '../src/store/migrations/migration-files.ts';
import type { AccessOrgReady } from './support/access-org-process.ts';

const users = Number(process.env['ACCESS_BENCH_USERS'] ?? 20_000);
const logins = Number(process.env['ACCESS_BENCH_LOGINS'] ?? 2_000_000);
const pageSize = Number(process.env['ACCESS_BENCH_PAGE_SIZE'] ?? 50_000);
const providers = (process.env['ACCESS_BENCH_PROVIDERS'] ?? 'sqlite,postgresql')
  .split(',')
  .map((p) => p.trim()) as Provider[];
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const MB = 1024 * 1024;

function nextMessage<T>(child: ChildProcess, accept: (message: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T) => {
      if (!accept(message)) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`local org exited with ${code}`)));
  });
}

async function token(org: AccessOrgReady): Promise<string> {
  const response = await fetch(`${org.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: org.app.clientId,
      client_secret: org.app.clientSecret,
      username: org.user.username,
      password: org.user.password + org.user.securityToken,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** The floor: every object the pull reads, downloaded as the pull reads it, and counted. */
async function rawDownload(org: AccessOrgReady) {
  const accessToken = await token(org);
  const session = { accessToken, instanceUrl: org.instanceUrl };
  let calls = 0;
  const client = new SalesforceClient(
    { current: async () => session, refresh: async () => session },
    'v63.0',
    () => (calls += 1),
  );
  const started = performance.now();
  let rows = 0;
  let loginRows = 0;
  for (const kind of ACCESS_KINDS) {
    if (kind.api === 'bulk') {
      for await (const page of bulkQuery(client, soql(kind), {
        maxRecords: pageSize,
        pollIntervalMs: 50,
      })) {
        rows += page.records.length;
      }
    } else {
      for await (const page of restQuery(client, soql(kind))) rows += page.length;
    }
  }
  for await (const page of bulkQuery(client, soql(LOGIN_HISTORY), {
    maxRecords: pageSize,
    pollIntervalMs: 50,
  })) {
    rows += page.records.length;
    loginRows += page.records.length;
  }
  return { seconds: (performance.now() - started) / 1000, rows, loginRows, calls };
}

interface PullAnswer {
  status: string;
  error: string | null;
  apiCalls: number;
  objects: { object: string; rows: number; apiCalls: number; finishedAt: string | null }[];
  startedAt: string | null;
  finishedAt: string | null;
}

async function servicePull(org: AccessOrgReady, databaseUrl: string) {
  const adminToken = `bench-admin-${randomBytes(24).toString('hex')}`;
  const secretsDir = mkdtempSync(join(tmpdir(), 'pryzm-access-bench-secrets-'));
  const config = loadConfig(
    {
      DATABASE_URL: databaseUrl,
      PRYZM_ADMIN_TOKEN: adminToken,
      PRYZM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      SALESFORCE_LOGIN_URL: org.loginUrl,
      SALESFORCE_SANDBOX_LOGIN_URL: org.loginUrl,
      PRYZM_LOCAL_ORG_URLS: org.instanceUrl,
      PRYZM_SYNC_PAGE_SIZE: String(pageSize),
      PRYZM_SYNC_POLL_MS: '50',
      LOG_LEVEL: 'warn',
      PRYZM_SECRETS_DIR: secretsDir,
    },
    { serviceDir },
  );
  const service = await startService({ ...config, port: 0 }, createLogger('warn', process.stderr));
  try {
    const call = async <T>(method: string, path: string, body?: unknown, bearer = adminToken) => {
      // A kept-alive socket the service closed while busy is retried once (GETs only).
      const send = () =>
        fetch(`${service.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const response = await send().catch((error: unknown) => {
        if (method !== 'GET') throw error;
        return send();
      });
      const answer = (await response.json()) as T;
      if (response.status >= 400) throw new Error(`${method} ${path}: ${JSON.stringify(answer)}`);
      return answer;
    };
    const ws = await call<{ id: string }>('POST', '/api/workspaces', { name: 'Access bench' });
    const connection = await call<{ id: string }>('POST', `/api/workspaces/${ws.id}/connections`, {
      authFlow: 'password',
      environment: 'production',
      clientId: org.app.clientId,
      clientSecret: org.app.clientSecret,
      username: org.user.username,
      password: org.user.password,
      securityToken: org.user.securityToken,
    });
    const base = `/api/workspaces/${ws.id}/connections/${connection.id}/access`;
    const started = performance.now();
    const pull = await call<{ id: string }>('POST', `${base}/pulls`, {});
    let answer: PullAnswer;
    for (;;) {
      answer = await call<PullAnswer>('GET', `${base}/pulls/${pull.id}`);
      if (answer.status === 'succeeded' || answer.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    if (answer.status !== 'succeeded') throw new Error(`pull failed: ${answer.error}`);
    const findings = await call<{ data: unknown[] }>('GET', `${base}/findings?limit=500`);
    return {
      seconds,
      answer,
      findingsPage: findings.data.length,
      maxRss: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await service.stop();
    rmSync(secretsDir, { recursive: true, force: true });
  }
}

const org = fork(
  join(import.meta.dirname, 'support', 'access-org-process.ts'),
  [String(users), String(logins)],
  {
    execArgv: [...process.execArgv, '--max-old-space-size=6144'],
  },
);
let cluster: PostgresCluster | undefined;
try {
  console.log(`seeding ${n(users)} users and ${n(logins)} login rows...`);
  const ready = await nextMessage<AccessOrgReady>(org, (m) => m.type === 'ready');
  console.log(
    `  seeded in ${ready.seedSeconds.toFixed(1)} s (local org RSS ${n(ready.maxRss / MB)} MB)`,
  );
  cluster = providers.includes('postgresql') ? await startPostgresCluster() : undefined;
  const rows: Comparison[] = [];
  for (const provider of providers) {
    const dir = provider === 'sqlite' ? mkdtempSync(join(tmpdir(), 'pryzm-access-bench-')) : '';
    try {
      const url =
        provider === 'sqlite'
          ? `file:${join(dir, 'access.db')}`
          : await cluster!.createDatabase(`access_${randomBytes(4).toString('hex')}`);
      const run = await servicePull(ready, url);
      // The floor after the pull: the same rows, the service's own login included.
      const floor = await rawDownload(ready);
      const pulledRows = run.answer.objects.reduce((sum, o) => sum + o.rows, 0);
      const loginRows = run.answer.objects.find((o) => o.object === 'LoginHistory')?.rows ?? 0;
      console.log(
        `\n${provider}: pull ${run.seconds.toFixed(1)} s for ${n(pulledRows)} rows (${n(loginRows)} logins), ${run.answer.apiCalls} API calls; raw Bulk 2.0 download ${floor.seconds.toFixed(1)} s for ${n(floor.rows)} rows, ${floor.calls} API calls; service RSS ${n(run.maxRss / MB)} MB`,
      );
      for (const object of run.answer.objects) {
        console.log(
          `  ${object.object.padEnd(28)} ${n(object.rows).padStart(10)} rows ${String(object.apiCalls).padStart(5)} calls`,
        );
      }
      // The floor's own login (it signs in once more) is the one row it may have over the pull.
      if (floor.loginRows - loginRows > 1) {
        throw new Error(`pulled ${loginRows} logins, downloaded ${floor.loginRows}`);
      }
      rows.push({
        name: `access pull, ${provider}`,
        figure: pulledRows / run.seconds,
        baseline: floor.rows / floor.seconds,
        unit: 'rows/s',
        baselineIs: 'raw Bulk API 2.0 download of the same rows',
      });
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
  printComparisons(`Access pull: ${n(users)} users, ${n(logins)} login rows`, rows);
} finally {
  cluster?.stop();
  org.send({ type: 'stop' });
}
