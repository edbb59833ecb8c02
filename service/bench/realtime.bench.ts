/**
 * Real-time sync under a steady stream of changes, through the real service and the local org:
 * an admin renames Accounts at REALTIME_BENCH_RATE changes/s (default 500) for
 * REALTIME_BENCH_SECONDS (default 60) in sObject Collections updates of a given size; the org
 * publishes the change source's events; the service applies them.
 *
 * Each change source (REALTIME_BENCH_SOURCES, default `flows,cdc`) runs once per shape
 * (REALTIME_BENCH_SHAPES, records per call, default `200,50`), at the same rate:
 * - 200: one Collections update of 200 records every 400 ms at 500/s. A record-triggered Flow
 *   runs for the records of one transaction together: one interview per record, their Create
 *   Records elements (our event publish) bulkified into one operation
 *   (https://help.salesforce.com/s/articleView?id=platform.flow_concepts_bulkification.htm),
 *   and an object trigger takes at most 200 of a transaction's records an invocation
 *   (https://developer.salesforce.com/docs/atlas.en-us.platform_events.meta/platform_events/platform_events_subscribe_batch_resume.htm);
 *   so a data load's call of 200 publishes 200 events at once, as here.
 * - 50: 50 records every 100 ms, the shape this benchmark had first: a steadier trickle.
 *
 * Printed per run: changes sent, events published, publish → committed latency (p50, p99: from
 * the event's publish in the org to the commit of the record result that covers it), events lost
 * (records whose last name in Pryzm is not Salesforce's), Salesforce API calls per 1,000 changes
 * as the real-time jobs counted them and as the org counted them on the wire (its API usage,
 * the sender's own calls taken off), whether each target is met, then the bare in-process
 * apply rate: the same records read once and planned and committed 200 at a time by the same
 * code, with no Pub/Sub and no SOQL in between.
 *
 *   npm run bench:realtime
 *   REALTIME_BENCH_SECONDS=30 REALTIME_BENCH_SOURCES=flows REALTIME_BENCH_SHAPES=200 npm run bench:realtime
 *   REALTIME_BENCH_PROVIDER=postgresql DATABASE_URL=postgres://… npm run bench:realtime
 *   PRYZM_REALTIME_LINGER_MS=150 npm run bench:realtime     batches wait to fill under load
 *   REALTIME_BENCH_SOURCES= REALTIME_BENCH_PROFILE=/tmp/apply.cpuprofile npm run bench:realtime
 *                                                         the bare apply alone, CPU-profiled
 *
 * The org runs in a process of its own (support/realtime-org-process.ts), the service in this
 * one; run it on a quiet machine and read the ratio to the floor rather than the absolute figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { Session } from 'node:inspector';
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
  type RealtimeUsage,
} from './support/realtime-bench-messages.ts';

const rate = Number(process.env['REALTIME_BENCH_RATE'] ?? 500);
const seconds = Number(process.env['REALTIME_BENCH_SECONDS'] ?? 60);
const accounts = Number(process.env['REALTIME_BENCH_ACCOUNTS'] ?? 2_000);
const list = (name: string, fallback: string) =>
  (process.env[name] ?? fallback)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
const sources = list('REALTIME_BENCH_SOURCES', 'flows,cdc') as ('flows' | 'cdc')[];
const shapes = list('REALTIME_BENCH_SHAPES', '200,50').map(Number);
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function nextMessage<T>(child: ChildProcess, accept: (message: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the org process exited with ${code}`));
    const onMessage = (message: T) => {
      if (!accept(message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
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
// The service's own requests to the org, by resource (its REST client sends them through
// fetch): where a gap between the jobs' count and the org's comes from.
const sentToOrg = new Map<string, number>();
const plainFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.origin === new URL(org.instanceUrl).origin) {
    const resource = url.pathname.replace(/^\/services\/data\/v[\d.]+\//, '').split('/')[0]!;
    sentToOrg.set(resource, (sentToOrg.get(resource) ?? 0) + 1);
  }
  return plainFetch(input, init);
};
const service = await startService({ ...config, port: 0 }, createLogger('warn'));
// When each change committed. The rows a page's commit writes (its record results among them)
// carry the time its transaction began (sync-pages.ts), not the time it committed: the
// benchmark listens to the service's page commits and notes when each record's page committed
// (publish → committed includes the commit), by the Salesforce Id its link names.
const commitTimes = new Map<string, number[]>();
const salesforceIdOf = new Map<string, string>();
service.repositories.syncPages.onCommit(async (page) => {
  const at = Date.now();
  for (const { recordId } of page.updated) {
    const salesforceId = salesforceIdOf.get(recordId);
    if (!salesforceId) continue;
    const times = commitTimes.get(salesforceId) ?? [];
    times.push(at);
    commitTimes.set(salesforceId, times);
  }
});
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
const sfFetch = (path: string, init: RequestInit = {}) =>
  fetch(`${org.instanceUrl}/services/data/v63.0/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${org.accessToken}`, 'content-type': 'application/json' },
  });
const repositories = createRepositories(service.database.prisma);
const orgApiUsed = async () => {
  const answer = nextMessage<RealtimeUsage>(orgProcess, (m) => m.type === 'usage');
  orgProcess.send({ type: 'usage' });
  return (await answer).apiUsed;
};
/** API calls the connection's jobs counted: the real-time windows', each other kind's, and access pulls'. */
const jobApiCalls = async () => {
  const jobs = await service.database.prisma.syncJob.findMany({
    where: { connectionId: connection.id },
    select: { kind: true, mode: true, startedBy: true, apiCalls: true },
  });
  const byJob = new Map<string, number>();
  for (const job of jobs) {
    const name =
      job.kind === 'realtime' ? 'realtime' : `${job.kind} ${job.mode} (${job.startedBy})`;
    byJob.set(name, (byJob.get(name) ?? 0) + job.apiCalls);
  }
  // The access governance's scheduled pulls (permissions, logins) read the org too.
  const accessPulls = await service.database.prisma.accessPull.findMany({
    where: { connectionId: connection.id },
    select: { startedBy: true, apiCalls: true },
  });
  for (const pull of accessPulls) {
    const name = `access pull (${pull.startedBy})`;
    byJob.set(name, (byJob.get(name) ?? 0) + pull.apiCalls);
  }
  return byJob;
};

/** Switches the connection's change source and waits for the stream and its catch-up pull. */
async function useSource(source: 'flows' | 'cdc'): Promise<void> {
  await api('PATCH', C, key, { changeSource: source });
  while ((await api<{ realtime: { state: string } }>('GET', C, key)).realtime.state !== 'live') {
    await sleep(100);
  }
  const active = () =>
    service.database.prisma.syncJob.count({
      where: { connectionId: connection.id, status: { in: ['queued', 'running'] } },
    });
  for (let quiet = 0; quiet < 10; quiet = (await active()) === 0 ? quiet + 1 : 0) await sleep(100);
}

interface Run {
  source: 'flows' | 'cdc';
  recordsPerCall: number;
  sent: number;
  sendSeconds: number;
  events: number;
  latencies: number[];
  lost: number;
  jobCalls: number;
  /** API calls of other jobs of the connection during the run (pulls it queued), by job. */
  otherJobCalls: Map<string, number>;
  wireCalls: number;
  /** The service's requests to the org during the run, by resource. */
  requests: Map<string, number>;
  batches: number;
  applied: number;
  drainedSeconds: number;
}

/** One run: the sender's changes, then what it took the service to apply them. */
async function measure(source: 'flows' | 'cdc', recordsPerCall: number): Promise<Run> {
  const [usedBefore, jobCallsBefore] = [await orgApiUsed(), await jobApiCalls()];
  sentToOrg.clear();
  commitTimes.clear();
  for (const link of await service.database.prisma.link.findMany({
    where: { connectionId: connection.id },
    select: { recordId: true, salesforceId: true },
  })) {
    salesforceIdOf.set(link.recordId, link.salesforceId);
  }
  const started = new Date();
  orgProcess.send({
    type: 'send',
    rate,
    seconds,
    recordsPerCall,
    changeSource: source,
  } satisfies RealtimeSendRequest);
  const result = await nextMessage<RealtimeSent>(orgProcess, (m) => m.type === 'sent');
  const lastName = new Map(result.lastNames);

  // Wait until Pryzm holds every record's last name (or 60 s pass).
  let lost = lastName.size;
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
    const links = await service.database.prisma.link.findMany({
      where: { connectionId: connection.id, salesforceObject: 'Account' },
      include: { record: { select: { values: true } } },
    });
    const names = new Map(
      links.map((l) => [l.salesforceId, (l.record.values as { name?: string }).name]),
    );
    lost = [...lastName].filter(([id, name]) => names.get(id) !== name).length;
    if (lost === 0) break;
  }
  const drainedAt = Date.now();
  // The batch's job report follows its commit, and a pull the subscription queued meanwhile
  // counts its calls when it commits or finishes: let them land before counting.
  await sleep(1_000);
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
    const running = await service.database.prisma.syncJob.count({
      where: {
        connectionId: connection.id,
        kind: { not: 'realtime' },
        status: { in: ['queued', 'running'] },
      },
    });
    const accessRunning = await service.database.prisma.accessPull.count({
      where: { connectionId: connection.id, status: { in: ['queued', 'running'] } },
    });
    if (running + accessRunning === 0) break;
  }

  // Latency: each publish to the end of the first commit of a page that wrote the record after it.
  const results = await service.database.prisma.syncRecordResult.findMany({
    where: {
      job: { connectionId: connection.id, kind: 'realtime' },
      createdAt: { gte: started },
    },
    select: { salesforceId: true, createdAt: true },
    orderBy: { createdAt: 'asc' },
  });
  const latencies: number[] = [];
  let events = 0;
  for (const [id, times] of result.published) {
    const commits = commitTimes.get(id) ?? [];
    for (const time of times) {
      events += 1;
      const at = commits.find((c) => c >= time);
      if (at !== undefined) latencies.push(at - time);
    }
  }
  latencies.sort((a, b) => a - b);
  return {
    source,
    recordsPerCall,
    sent: result.sent,
    sendSeconds: result.sendSeconds,
    events,
    latencies,
    lost,
    ...(await (async () => {
      const after = await jobApiCalls();
      const spent = (name: string) => (after.get(name) ?? 0) - (jobCallsBefore.get(name) ?? 0);
      const others = [...after.keys()].filter((name) => name !== 'realtime' && spent(name) > 0);
      return {
        jobCalls: spent('realtime'),
        otherJobCalls: new Map(others.map((name) => [name, spent(name)])),
      };
    })()),
    wireCalls: (await orgApiUsed()) - usedBefore - result.senderCalls,
    requests: new Map(sentToOrg),
    // A batch's results share their commit's time: distinct times are the batches applied.
    batches: new Set(results.map((r) => r.createdAt.getTime())).size,
    applied: results.length,
    drainedSeconds: (drainedAt - started.getTime()) / 1000 - result.sendSeconds,
  };
}

function report(run: Run): void {
  const perThousand = (calls: number) => calls / (run.sent / 1000);
  const [p50, p99] = [pct(run.latencies, 50), pct(run.latencies, 99)];
  const callTarget = run.source === 'cdc' ? 0 : 10;
  // What reached the org besides the real-time windows' own calls: other jobs' (counted there).
  const others = [...run.otherJobCalls.values()].reduce((sum, calls) => sum + calls, 0);
  const realtimeOnWire = run.wireCalls - others;
  const misses = [
    p50 > 50 ? 'p50' : '',
    p99 > 250 ? 'p99' : '',
    run.lost > 0 ? 'lost' : '',
    perThousand(Math.max(run.jobCalls, realtimeOnWire)) > callTarget ? 'API calls' : '',
  ].filter(Boolean);
  const callsPerSecond = rate / run.recordsPerCall;
  console.log(
    `\nReal-time sync, ${run.source} change source, ${config.database.provider}, ` +
      `${run.recordsPerCall} records per call, ${callsPerSecond.toFixed(1)} calls/s`,
  );
  console.log(
    `  changes sent           ${n(run.sent)} in ${run.sendSeconds.toFixed(1)} s (${n(run.sent / run.sendSeconds)}/s asked ${n(rate)}/s)`,
  );
  console.log(`  events published       ${n(run.events)}`);
  console.log(`  publish → committed    p50 ${n(p50)} ms · p99 ${n(p99)} ms (targets 50 / 250)`);
  console.log(`  events lost            ${run.lost} (records whose last name did not reach Pryzm)`);
  console.log(
    `  API calls / 1,000      ${perThousand(run.jobCalls).toFixed(1)} counted by the jobs, ` +
      `${perThousand(realtimeOnWire).toFixed(1)} on the wire less other jobs' ` +
      `(target ${callTarget === 0 ? '0' : '≤ 10'})`,
  );
  if (run.otherJobCalls.size > 0) {
    console.log(
      `  other jobs meanwhile   ${[...run.otherJobCalls].map(([name, calls]) => `${name}: ${n(calls)} calls`).join(', ')}`,
    );
  }
  console.log(
    `  service's requests     ${[...run.requests].map(([resource, count]) => `${resource} ${n(count)}`).join(', ') || 'none'}`,
  );
  console.log(
    `  batches                ${n(run.batches)} (${(run.applied / Math.max(1, run.batches)).toFixed(1)} changes each, linger ${config.realtime.lingerMs} ms)`,
  );
  console.log(
    `  applied                drained ${run.drainedSeconds.toFixed(1)} s after the last change`,
  );
  console.log(
    `  targets                ${misses.length === 0 ? 'all met' : `missed: ${misses.join(', ')}`}`,
  );
}

const runs: Run[] = [];
for (const source of sources) {
  await useSource(source);
  for (const recordsPerCall of shapes) {
    const run = await measure(source, recordsPerCall);
    report(run);
    runs.push(run);
  }
}

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
// REALTIME_BENCH_PROFILE=<file.cpuprofile>: a CPU profile of the bare apply alone (open it in
// Chrome's DevTools), through the inspector of this process.
const profileFile = process.env['REALTIME_BENCH_PROFILE'];
const profiler = profileFile ? new Session() : undefined;
const inspect = (method: string) =>
  new Promise<unknown>((resolve, reject) =>
    profiler!.post(method, (error, result) => (error ? reject(error) : resolve(result))),
  );
if (profiler) {
  profiler.connect();
  await inspect('Profiler.enable');
  await inspect('Profiler.start');
}
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
if (profiler) {
  const { profile } = (await inspect('Profiler.stop')) as { profile: unknown };
  writeFileSync(profileFile!, JSON.stringify(profile));
  profiler.disconnect();
}

console.log(`\nFloor, ${config.database.provider}`);
console.log(
  `  in-process apply       ${n(rows.length / floorSeconds)} records/s (${n(rows.length)} records, 200 per commit)`,
);
await service.stop();
orgProcess.send({ type: 'stop' });
await new Promise((resolve) => orgProcess.once('exit', resolve));
rmSync(work, { recursive: true, force: true });
