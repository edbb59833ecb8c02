/**
 * Pushes to the local org through the real service and its HTTP API (support/push-run.ts):
 *
 * - a push job (`POST …/connections/:id/jobs {"kind":"push"}`) of 10,000 new Organization
 *   records: its API calls (target: at most 50; it sends 800 records per Composite call, four
 *   sObject Collections upserts of 200 and the query of their stamps) and records/s, next to its
 *   floor: the same collections upsert bodies sent straight to the org's
 *   `composite/sobjects/Account/Pryzm_ID__c` endpoint with plain fetch, 200 per call, one call
 *   after the other (each record under a new `Pryzm_ID__c`, so the org creates them as well);
 * - single-record pushes (`POST …/records/:id/push`) of records changed through the API, with
 *   the describes cached by the job: API calls each (target: exactly 1) and latency, next to the
 *   same upsert sent straight to `sobjects/Account/Pryzm_ID__c/<id>` with plain fetch.
 *
 * Three processes, as the pull benchmark: the local org, the service, and this one (the floors
 * and the table).
 *
 *   npm run bench -- push                                 SQLite, then PostgreSQL
 *   PUSH_BENCH_RECORDS=2000 npm run bench -- push         a quicker run
 *   PUSH_BENCH_PROVIDERS=sqlite npm run bench -- push     one database
 *   BENCH_SERVICE_BUILD=skip npm run bench -- push        service/dist as it is, not built first
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresCluster, type PostgresCluster } from '../scripts/lib/postgres-cluster.ts';
import type { Provider } from '../src/store/migrations/migration-files.ts';
import { printComparisons, type Comparison } from '../localorg/bench/compare.ts';
import { buildService, serviceProcessFlags } from './support/compiled-service.ts';
import type { LocalOrgReady } from './support/local-org-process.ts';
import type { CapturedUpsert, PushRunInput, PushRunResult } from './support/push-run.ts';

const records = Number(process.env['PUSH_BENCH_RECORDS'] ?? 10_000);
const singles = Number(process.env['PUSH_BENCH_SINGLES'] ?? 20);
const providers = (process.env['PUSH_BENCH_PROVIDERS'] ?? 'sqlite,postgresql')
  .split(',')
  .map((p) => p.trim()) as Provider[];
const here = import.meta.dirname;
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** The next message of a child that satisfies `accept`; rejects if the child exits first. */
function nextMessage<T>(child: ChildProcess, accept: (message: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T) => {
      if (!accept(message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null) => reject(new Error(`child exited with ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** A session of the org's user, through the password flow (plain fetch). */
async function login(org: LocalOrgReady): Promise<{ token: string; instanceUrl: string }> {
  const response = await fetch(`${org.loginUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: org.app.clientId,
      client_secret: org.app.clientSecret,
      username: org.user.username,
      password: `${org.user.password}${org.user.securityToken}`,
    }),
  });
  const json = (await response.json()) as { access_token?: string; instance_url?: string };
  if (!response.ok || !json.access_token) throw new Error(`login: ${JSON.stringify(json)}`);
  return { token: json.access_token, instanceUrl: json.instance_url ?? org.instanceUrl };
}

interface WireFloor {
  seconds: number;
  calls: number;
  records: number;
  created: number;
  singleMs: number[];
}

/**
 * The job's upserts sent again with plain fetch, one after the other, each record under a new
 * `Pryzm_ID__c` (so each is created, as in the job); then single upserts of one record each.
 */
async function wireFloor(org: LocalOrgReady, upserts: CapturedUpsert[]): Promise<WireFloor> {
  const session = await login(org);
  const headers = {
    authorization: `Bearer ${session.token}`,
    'content-type': 'application/json',
  };
  const keyField = decodeURIComponent(new URL(upserts[0]!.url).pathname.split('/').at(-1)!);
  const bodies = upserts.map((upsert) => {
    const body = JSON.parse(upsert.body) as { records: Record<string, unknown>[] };
    for (const record of body.records) record[keyField] = randomUUID();
    return { url: upsert.url, body: JSON.stringify(body) };
  });
  let created = 0;
  let count = 0;
  const started = performance.now();
  for (const { url, body } of bodies) {
    const response = await fetch(url, { method: 'PATCH', headers, body });
    const results = (await response.json()) as { success: boolean; created?: boolean }[];
    if (!response.ok) throw new Error(`floor upsert: ${response.status}`);
    count += results.length;
    created += results.filter((result) => result.success && result.created).length;
  }
  const seconds = (performance.now() - started) / 1000;
  // One record per call: the body of a captured record, to `sobjects/<object>/<field>/<value>`.
  const first = JSON.parse(upserts[0]!.body) as { records: Record<string, unknown>[] };
  const collection = new URL(upserts[0]!.url);
  const [object] = collection.pathname.split('/').slice(-2);
  const singleMs: number[] = [];
  for (let index = 0; index < singles; index += 1) {
    const { attributes: _attributes, [keyField]: _key, ...fields } = first.records[0]!;
    const url = `${collection.origin}${collection.pathname.replace(/composite\/sobjects\/.*$/, '')}sobjects/${object}/${keyField}/${randomUUID()}`;
    const at = performance.now();
    const response = await fetch(url, { method: 'PATCH', headers, body: JSON.stringify(fields) });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`floor single upsert: ${response.status}`);
    singleMs.push(performance.now() - at);
  }
  return { seconds, calls: bodies.length, records: count, created, singleMs };
}

interface Run {
  provider: Provider;
  push: PushRunResult;
  floor: WireFloor;
}

async function runOne(provider: Provider, cluster: PostgresCluster | undefined): Promise<Run> {
  const localOrg = fork(join(here, 'support', 'local-org-process.ts'), ['0'], {
    execArgv: process.execArgv,
  });
  let dir = '';
  try {
    const org = await nextMessage<LocalOrgReady>(localOrg, (m) => m.type === 'ready');
    dir = provider === 'sqlite' ? mkdtempSync(join(tmpdir(), 'pryzm-push-bench-')) : '';
    const databaseUrl =
      provider === 'sqlite'
        ? `file:${join(dir, 'push.db')}`
        : await cluster!.createDatabase(`push_${randomBytes(4).toString('hex')}`);
    // Plain node on the compiled service, as production runs it (support/compiled-service.ts).
    const service = fork(join(here, 'support', 'push-run.ts'), [], {
      execArgv: serviceProcessFlags([]),
    });
    const input: PushRunInput = { databaseUrl, org, records, singles };
    service.send(input);
    const push = await nextMessage<PushRunResult>(service, (m) => m.type === 'result');
    await new Promise((resolve) => service.once('exit', resolve));
    if (push.job.status !== 'succeeded') {
      throw new Error(`push ${push.job.status}: ${push.job.error}`);
    }
    if (push.job.counts['created'] !== records) {
      throw new Error(`push created ${push.job.counts['created']} records, not ${records}`);
    }
    const floor = await wireFloor(org, push.upserts);
    if (floor.created !== records) {
      throw new Error(`the floor created ${floor.created} records, not ${records}`);
    }
    localOrg.send({ type: 'stop' });
    return { provider, push, floor };
  } finally {
    if (localOrg.exitCode === null) localOrg.kill();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

// BENCH_SERVICE_BUILD=skip: run service/dist as it is (built by an earlier run or `npm run build`).
if (process.env['BENCH_SERVICE_BUILD'] !== 'skip') buildService();
const cluster = providers.includes('postgresql') ? await startPostgresCluster() : undefined;
const runs: Run[] = [];
try {
  for (const provider of providers) {
    console.log(`pushing ${n(records)} Organizations from ${provider}...`);
    runs.push(await runOne(provider, cluster));
  }
} finally {
  cluster?.stop();
}

const name = (provider: Provider) => (provider === 'sqlite' ? 'SQLite' : 'PostgreSQL');
const rows: Comparison[] = [];
for (const { provider, push, floor } of runs) {
  const { job } = push;
  const requests = Object.entries(job.requests)
    .map(([kind, count]) => `${n(count)} ${kind}`)
    .join(', ');
  console.log(`\n${name(provider)}: ${n(records)} new Organizations`);
  console.log(
    `  push job: ${job.seconds.toFixed(1)} s, ${n(records / job.seconds)} records/s, ${n(job.apiCalls)} API calls reported (target <= ${n(Math.ceil(records / 200))}, 800 records a Composite call); on the wire: ${requests}; counts ${JSON.stringify(job.counts)}`,
  );
  console.log(
    `  time of the job in: ${Object.entries(job.steps)
      .sort((a, b) => b[1] - a[1])
      .map(([step, seconds]) => `${step} ${seconds.toFixed(2)} s`)
      .join(', ')}`,
  );
  console.log(
    `  floor: ${n(floor.records)} records in ${n(floor.calls)} upserts of 200 with plain fetch, ${floor.seconds.toFixed(1)} s, ${n(floor.records / floor.seconds)} records/s`,
  );
  const { singles: one } = push;
  console.log(
    `  single-record push (${one.latencyMs.length} records, describes cached): API calls reported ${[...new Set(one.apiCalls)].join('/')} (target 1), requests on the wire ${[...new Set(one.requests)].join('/')}, actions ${[...new Set(one.actions)].join('/')}; latency median ${median(one.latencyMs).toFixed(1)} ms, first ${one.latencyMs[0]?.toFixed(1)} ms, max ${Math.max(...one.latencyMs).toFixed(1)} ms; floor (one upsert, plain fetch) median ${median(floor.singleMs).toFixed(1)} ms`,
  );
  rows.push(
    {
      name: `push job, ${name(provider)}`,
      figure: records / job.seconds,
      baseline: floor.records / floor.seconds,
      unit: 'records/s',
      baselineIs: 'the same upsert bodies, plain fetch, 200 per call, sequential',
    },
    {
      name: `single-record push, ${name(provider)} (median)`,
      figure: median(one.latencyMs),
      baseline: median(floor.singleMs),
      unit: 'ms',
      baselineIs: 'the same upsert of one record, plain fetch',
    },
  );
}
printComparisons(`Push of ${n(records)} new Organizations to the local org`, rows);
console.log(
  `targets: push job <= ${n(Math.ceil(records / 200))} API calls (200 records per call or more); single-record push exactly 1 API call`,
);
