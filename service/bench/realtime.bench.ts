/**
 * Real-time sync under a steady stream of changes, through the real service and the local org:
 * an admin renames Accounts at REALTIME_BENCH_RATE changes/s (default 500) for
 * REALTIME_BENCH_SECONDS (default 60), 1/10 of a second's worth per sObject Collections call;
 * the package's Flow publishes one Pryzm_Record_Change__e per change; the service applies them.
 *
 * Printed: changes sent, events published, publish → committed latency (p50, p99: from the
 * event's publish in the org to the commit of the record result that covers it), events lost
 * (records whose last name in Pryzm is not Salesforce's), Salesforce API calls per 1,000 changes,
 * and the applied rate, next to the bare in-process apply rate: the same records read once and
 * planned and committed 200 at a time by the same code, with no Pub/Sub and no SOQL in between.
 *
 *   npm run bench:realtime
 *   REALTIME_BENCH_RATE=100 REALTIME_BENCH_SECONDS=10 npm run bench:realtime     a quick run
 *   REALTIME_BENCH_PROVIDER=postgresql DATABASE_URL=postgres://… npm run bench:realtime
 *   PRYZM_REALTIME_LINGER_MS=150 npm run bench:realtime     batches wait to fill under load
 *
 * The org runs in a process of its own (support/realtime-org-process.ts), the service in this
 * one; run it on a quiet machine and read the ratio to the floor rather than the absolute figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/env.ts';
import { createLogger } from '../src/logging/logger.ts';
import { parseSObjectDescribe } from '../src/mapping/index.ts';
import { startService } from '../src/service.ts';
import { serviceDir } from '../src/store/migrations/migration-files.ts';
import { createRepositories } from '../src/store/repositories/index.ts';
import { definitionOf } from '../src/store/repositories/record-types.ts';
import { JobRun } from '../src/sync/jobs/job-run.ts';
import { applyRows } from '../src/sync/realtime/apply-changes.ts';
import {
  BENCH_APP,
  type RealtimeOrgReady,
  type RealtimeSendRequest,
  type RealtimeSent,
} from './support/realtime-org-process.ts';

const rate = Number(process.env['REALTIME_BENCH_RATE'] ?? 500);
const seconds = Number(process.env['REALTIME_BENCH_SECONDS'] ?? 60);
const accounts = Number(process.env['REALTIME_BENCH_ACCOUNTS'] ?? 2_000);
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function nextMessage<T>(child: ChildProcess, accept: (message: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T) => {
      if (!accept(message)) return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`the org process exited with ${code}`)));
  });
}

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const certificatePem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const orgProcess = fork(
  join(dirname(fileURLToPath(import.meta.url)), 'support', 'realtime-org-process.ts'),
  [String(accounts), Buffer.from(certificatePem).toString('base64')],
);
const org = await nextMessage<RealtimeOrgReady>(orgProcess, (m) => m.type === 'ready');
const work = mkdtempSync(join(tmpdir(), 'pryzm-realtime-bench-'));
writeFileSync(join(work, 'ca.pem'), org.caPem);
const adminToken = `bench-admin-${'x'.repeat(40)}`;
const config = loadConfig(
  {
    DATABASE_URL:
      process.env['REALTIME_BENCH_PROVIDER'] === 'postgresql'
        ? (process.env['DATABASE_URL'] ?? '')
        : `file:${join(work, 'bench.db')}`,
    PRYZM_ADMIN_TOKEN: adminToken,
    PRYZM_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    PRYZM_SECRETS_DIR: work,
    SALESFORCE_LOGIN_URL: org.loginUrl,
    SALESFORCE_SANDBOX_LOGIN_URL: org.sandboxLoginUrl,
    PRYZM_LOCAL_ORG_URLS: org.instanceUrl,
    SALESFORCE_CLIENT_ID: BENCH_APP.clientId,
    SALESFORCE_CLIENT_SECRET: BENCH_APP.clientSecret,
    SALESFORCE_PUBSUB_ENDPOINT: org.pubSubEndpoint,
    SALESFORCE_PUBSUB_CA_FILE: join(work, 'ca.pem'),
    PRYZM_SYNC_POLL_MS: '20',
    PRYZM_REALTIME_LINGER_MS: process.env['PRYZM_REALTIME_LINGER_MS'] ?? '0',
    LOG_LEVEL: 'warn',
  },
  { serviceDir },
);
const service = await startService({ ...config, port: 0 }, createLogger('warn'));
const api = async <T>(method: string, path: string, token: string, body?: unknown) => {
  const response = await fetch(`${service.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
};
const ws = await api<{ id: string; apiKey: { secret: string } }>(
  'POST',
  '/api/workspaces',
  adminToken,
  { name: 'Bench' },
);
const key = ws.apiKey.secret;
const connection = await api<{ id: string }>('POST', `/api/workspaces/${ws.id}/connections`, key, {
  authFlow: 'jwt_bearer',
  environment: 'sandbox',
  clientId: BENCH_APP.clientId,
  username: org.integrationUsername,
  privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});
const C = `/api/workspaces/${ws.id}/connections/${connection.id}`;
await api('POST', `${C}/mappings/defaults`, key, {});
const pull = await api<{ id: string }>('POST', `${C}/jobs`, key, { kind: 'pull', mode: 'full' });
while (
  (await api<{ status: string }>('GET', `/api/workspaces/${ws.id}/jobs/${pull.id}`, key)).status !==
  'succeeded'
) {
  await sleep(100);
}
await api('PATCH', C, key, { changeSource: 'flows' });
while ((await api<{ realtime: { state: string } }>('GET', C, key)).realtime.state !== 'live') {
  await sleep(100);
}

const sfFetch = (path: string, init: RequestInit = {}) =>
  fetch(`${org.instanceUrl}/services/data/v63.0/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
  });
const started = Date.now();
orgProcess.send({ type: 'send', rate, seconds } satisfies RealtimeSendRequest);
const result = await nextMessage<RealtimeSent>(orgProcess, (m) => m.type === 'sent');
const { sent, sendSeconds } = result;
const lastName = new Map(result.lastNames);
const published = new Map(result.published);

// Wait until Pryzm holds every record's last name (or 60 s pass).
const repositories = createRepositories(service.database.prisma);
const pryzmNames = async () => {
  const links = await service.database.prisma.link.findMany({
    where: { connectionId: connection.id, salesforceObject: 'Account' },
    include: { record: { select: { values: true } } },
  });
  return new Map(links.map((l) => [l.salesforceId, (l.record.values as { name?: string }).name]));
};
let lost = lastName.size;
for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
  const names = await pryzmNames();
  lost = [...lastName].filter(([id, name]) => names.get(id) !== name).length;
  if (lost === 0) break;
}
const drainedAt = Date.now();

// Latency: each publish to the commit of the first record result for that record after it.
const results = await service.database.prisma.syncRecordResult.findMany({
  where: { job: { connectionId: connection.id, kind: 'realtime' } },
  select: { salesforceId: true, createdAt: true },
  orderBy: { createdAt: 'asc' },
});
const committed = new Map<string, number[]>();
for (const r of results) {
  const list = committed.get(r.salesforceId!) ?? [];
  list.push(r.createdAt.getTime());
  committed.set(r.salesforceId!, list);
}
const latencies: number[] = [];
let events = 0;
for (const [id, times] of published) {
  const commits = committed.get(id) ?? [];
  for (const time of times) {
    events += 1;
    const at = commits.find((c) => c >= time - 5);
    if (at !== undefined) latencies.push(at - time);
  }
}
latencies.sort((a, b) => a - b);
// A batch's results share their commit's time: distinct times are the batches applied.
const batches = new Set(results.map((r) => r.createdAt.getTime())).size;
const jobs = await service.database.prisma.syncJob.findMany({
  where: { connectionId: connection.id, kind: 'realtime' },
  select: { apiCalls: true },
});
const apiCalls = jobs.reduce((sum, job) => sum + job.apiCalls, 0);

// The floor: the same records read once, then planned and committed 200 at a time in process.
const mappingRow = (await repositories.mappings.list(connection.id)).find(
  (row) => row.mapping.salesforceObject === 'Account',
)!;
const recordTypeRow = (await repositories.recordTypes.findByKey(
  ws.id,
  mappingRow.mapping.recordType,
))!;
const describe = parseSObjectDescribe(
  (await repositories.describes.get(connection.id, 'Account'))!.payload,
);
const query = `SELECT Id, Name, Phone, Website, Industry, Description, AnnualRevenue, NumberOfEmployees, OwnerId, Owner.Email, SystemModstamp, LastModifiedDate, pryzm__Pryzm_ID__c FROM Account`;
let rows = (
  (await (await sfFetch(`query?q=${encodeURIComponent(query)}`)).json()) as {
    records: Record<string, unknown>[];
  }
).records;
rows = rows.map((row) => ({ ...row, Name: `Floor ${String(row['Id']).slice(-6)}` }));
const floorJob = await repositories.syncJobs.create({
  workspaceId: ws.id,
  connectionId: connection.id,
  kind: 'realtime',
  mode: 'window',
  scope: { pull: ['Account'], push: [] },
  startedBy: 'bench',
});
const claimed = (await repositories.syncJobs.claim(floorJob.id, 'bench'))!;
const run = new JobRun(claimed, new AbortController().signal);
const floorStarted = Date.now();
for (let i = 0; i < rows.length; i += 200) {
  await applyRows(
    repositories,
    {
      run,
      workspaceId: ws.id,
      connectionId: connection.id,
      client: undefined as never,
      object: {
        mapping: mappingRow.mapping,
        recordType: { ...definitionOf(recordTypeRow), id: recordTypeRow.id },
        describe,
        describeFor: () => undefined,
      },
    },
    rows.slice(i, i + 200),
  );
}
const floorSeconds = (Date.now() - floorStarted) / 1000;

console.log(`\nReal-time sync, flows change source, ${config.database.provider}`);
console.log(
  `  changes sent            ${n(sent)} in ${sendSeconds.toFixed(1)} s (${n(sent / sendSeconds)}/s asked ${n(rate)}/s)`,
);
console.log(`  events published       ${n(events)}`);
console.log(
  `  publish → committed    p50 ${n(pct(latencies, 50))} ms · p99 ${n(pct(latencies, 99))} ms (targets 50 / 250)`,
);
console.log(`  events lost            ${lost} (records whose last name did not reach Pryzm)`);
console.log(`  API calls / 1,000      ${(apiCalls / (sent / 1000)).toFixed(1)} (target ≤ 10)`);
console.log(
  `  batches                ${n(batches)} (${(results.length / Math.max(1, batches)).toFixed(1)} changes each, linger ${config.realtime.lingerMs} ms)`,
);
console.log(
  `  applied rate           ${n(sent / ((drainedAt - started) / 1000))} changes/s, drained ${((drainedAt - started) / 1000 - sendSeconds).toFixed(1)} s after the last`,
);
console.log(
  `  floor: in-process apply ${n(rows.length / floorSeconds)} records/s (${n(rows.length)} records, 200 per commit)`,
);
await service.stop();
orgProcess.send({ type: 'stop' });
await new Promise((resolve) => orgProcess.once('exit', resolve));
rmSync(work, { recursive: true, force: true });
