/**
 * A full pull of Accounts (default mapping) from the local org into a fresh database, through the
 * real service and its HTTP API, on SQLite and on PostgreSQL, each next to its floor: the same
 * rows written straight into the same tables by the driver alone (support/floor.ts).
 *
 * Three processes, so that each figure is its own: the local org (seeded, serving Bulk API 2.0
 * and sObject Collections), the service (startService; it connects with the username-password
 * flow, saves the default mappings, starts the pull through the API and waits for it) and this
 * one (the floor, timed after the pull, and the table).
 *
 *   npm run bench -- pull                                  1,000,000 Accounts, both databases
 *   PULL_BENCH_RECORDS=100000 npm run bench -- pull        a quicker run
 *   PULL_BENCH_PROVIDERS=sqlite npm run bench -- pull      one database
 *   PULL_BENCH_PROFILE=/tmp/prof npm run bench -- pull     the service under --cpu-prof
 *   PULL_BENCH_ORG_PROFILE=/tmp/prof npm run bench -- pull the local org under --cpu-prof
 *   PULL_BENCH_PAGE_SIZE=2000 npm run bench -- pull        PRYZM_SYNC_PAGE_SIZE of the service
 *   PULL_BENCH_NODE_FLAGS='--max-semi-space-size=8' ...    Node flags of the service's process
 *   PULL_BENCH_BULK_THRESHOLD=0 npm run bench -- pull      the write-back through sObject Collections
 *   PULL_BENCH_MEMORY_MAP=1 npm run bench -- pull          where the service's resident memory is
 *   PULL_BENCH_SERVICE_ENV='PRYZM_HEAP=v8' ...             variables of the service's process
 *   BENCH_SERVICE_BUILD=skip npm run bench -- pull         service/dist as it is, not built first
 *
 * The pull's figure runs from the API call that starts the job to the last page's commit (every
 * record in Pryzm), the ratio the floor is compared with. The `Pryzm_ID__c` write-back runs
 * beside the pages and is reported on its own line: records/s over its own span, API calls, and
 * how long after the last page it drained (the job ends then).
 *
 * The service runs compiled (service/dist, built first), as production runs it: see
 * support/compiled-service.ts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresCluster, type PostgresCluster } from '../scripts/lib/postgres-cluster.ts';
import type { Provider } from '../src/store/migrations/migration-files.ts';
import { printComparisons, type Comparison } from '../localorg/bench/compare.ts';
import { postgresFloor, sqliteFloor, type FloorResult } from './support/floor.ts';
import { buildService, serviceProcessFlags } from './support/compiled-service.ts';
import type { LocalOrgReady, LocalOrgUsage } from './support/local-org-process.ts';
import type { PullRunInput, PullRunResult } from './support/pull-run.ts';
import type { ResidentMap } from './support/resident-memory.ts';

const records = Number(process.env['PULL_BENCH_RECORDS'] ?? process.argv[2] ?? 1_000_000);
const providers = (process.env['PULL_BENCH_PROVIDERS'] ?? 'sqlite,postgresql')
  .split(',')
  .map((p) => p.trim()) as Provider[];
const profileDir = process.env['PULL_BENCH_PROFILE'];
const orgProfileDir = process.env['PULL_BENCH_ORG_PROFILE'];
const pageSize = process.env['PULL_BENCH_PAGE_SIZE']
  ? Number(process.env['PULL_BENCH_PAGE_SIZE'])
  : undefined;
const nodeFlags = (process.env['PULL_BENCH_NODE_FLAGS'] ?? '').split(' ').filter(Boolean);
// PULL_BENCH_SERVICE_ENV='PRYZM_HEAP=v8 GLIBC_TUNABLES=glibc.malloc.arena_max=2': variables of
// the service's process alone (PRYZM_HEAP is passed on to its configuration).
const serviceEnv = Object.fromEntries(
  (process.env['PULL_BENCH_SERVICE_ENV'] ?? '')
    .split(' ')
    .filter(Boolean)
    .map((assignment) => [
      assignment.slice(0, assignment.indexOf('=')),
      assignment.slice(assignment.indexOf('=') + 1),
    ]),
);
const serviceProcessEnv = { ...process.env, ...serviceEnv };
// The service's Node flags as printed: those `npm start` passes for its heap sizing, then ours.
const shownNodeFlags = serviceProcessFlags(nodeFlags, serviceProcessEnv).filter(
  (flag) => !flag.startsWith('--disable-warning'),
);
const here = import.meta.dirname;
const MB = 1024 * 1024;
const n = (value: number) => Math.round(value).toLocaleString('en-US');

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

interface Run {
  provider: Provider;
  pull: PullRunResult;
  floor: FloorResult;
  localOrgRss: number;
  seedSeconds: number;
}

async function runOne(provider: Provider, cluster: PostgresCluster | undefined): Promise<Run> {
  const localOrg = fork(join(here, 'support', 'local-org-process.ts'), [String(records)], {
    execArgv: [
      ...process.execArgv,
      '--max-semi-space-size=64',
      ...(orgProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${orgProfileDir}`] : []),
    ],
  });
  let dir = '';
  try {
    const org = await nextMessage<LocalOrgReady>(localOrg, (m) => m.type === 'ready');
    dir = provider === 'sqlite' ? mkdtempSync(join(tmpdir(), 'pryzm-pull-bench-')) : '';
    const suffix = randomBytes(4).toString('hex');
    const databaseUrl =
      provider === 'sqlite'
        ? `file:${join(dir, 'pull.db')}`
        : await cluster!.createDatabase(`pull_${suffix}`);
    // Plain node on the compiled service, as production runs it (support/compiled-service.ts).
    const service = fork(join(here, 'support', 'pull-run.ts'), [], {
      env: serviceProcessEnv,
      execArgv: serviceProcessFlags(
        [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), ...nodeFlags],
        serviceProcessEnv,
      ),
    });
    const input: PullRunInput = {
      databaseUrl,
      org,
      ...(pageSize ? { pageSize } : {}),
    };
    service.send(input);
    const pull = await nextMessage<PullRunResult>(service, (m) => m.type === 'result');
    await new Promise((resolve) => service.once('exit', resolve));
    if (pull.status !== 'succeeded') throw new Error(`pull ${pull.status}: ${pull.error}`);
    if (pull.counts['created'] !== records) {
      throw new Error(`pull created ${pull.counts['created']} records, not ${records}`);
    }
    localOrg.send({ type: 'rss' });
    const usage = await nextMessage<LocalOrgUsage>(localOrg, (m) => m.type === 'rss');
    localOrg.send({ type: 'stop' });
    const floor =
      provider === 'sqlite'
        ? await sqliteFloor(databaseUrl, `file:${join(dir, 'floor.db')}`)
        : await postgresFloor(databaseUrl, await cluster!.createDatabase(`floor_${suffix}`));
    if (floor.rows.PryzmRecord !== records) {
      throw new Error(`floor wrote ${floor.rows.PryzmRecord} records, not ${records}`);
    }
    return { provider, pull, floor, localOrgRss: usage.maxRss, seedSeconds: org.seedSeconds };
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
    console.log(`pulling ${n(records)} Accounts into ${provider}...`);
    runs.push(await runOne(provider, cluster));
  }
} finally {
  cluster?.stop();
}

const name = (provider: Provider) => (provider === 'sqlite' ? 'SQLite' : 'PostgreSQL');
for (const run of runs) {
  const { pull, floor } = run;
  const wb = pull.writeBack;
  const floorRows = Object.values(floor.rows).reduce((a, b) => a + b, 0);
  console.log(
    `\n${name(run.provider)}: ${n(records)} Accounts, page size ${pageSize ?? 'default'}${shownNodeFlags.length > 0 ? `, node ${shownNodeFlags.join(' ')}` : ''}${Object.keys(serviceEnv).length > 0 ? `, service env ${process.env['PULL_BENCH_SERVICE_ENV']}` : ''}`,
  );
  console.log(
    `  pull (every page committed): ${pull.pagesSeconds.toFixed(1)} s, ${n(records / pull.pagesSeconds)} records/s; job done after ${pull.seconds.toFixed(1)} s, ${n(pull.apiCalls)} API calls, counts ${JSON.stringify(pull.counts)}${pull.socketRetries > 0 ? `, ${pull.socketRetries} requests repeated on a socket the peer had closed` : ''}`,
  );
  console.log(
    `  longest event-loop stall during the pull: ${n(pull.longestStallMs)} ms (the API answers nothing meanwhile)`,
  );
  console.log(
    `  Pryzm_ID__c write-back (beside the pages): ${n(wb.records)} records in ${wb.seconds.toFixed(1)} s, ${n(wb.records / Math.max(0.001, wb.seconds))} records/s, ${n(wb.calls)} API calls (${(wb.records / Math.max(1, wb.calls)).toFixed(0)} records a call), drained ${wb.drainedAfterPages.toFixed(1)} s after the last page`,
  );
  console.log(
    `  peak RSS: service ${n(pull.maxRss / MB)} MB (target <= 300 MB; ${n(pull.rssAtRest / MB)} MB before the pull; heap in use at the end ${n(pull.heapUsed / MB)} MB), local org ${n(run.localOrgRss / MB)} MB in its own process (seeded in ${run.seedSeconds.toFixed(1)} s)`,
  );
  const { atPeak, max } = pull.memory;
  const mb = (bytes: number) => `${n(bytes / MB)} MB`;
  console.log(
    `  memory at the peak RSS sample: rss ${mb(atPeak.rss)}, heap ${mb(atPeak.heapUsed)} used of ${mb(atPeak.heapTotal)}, external ${mb(atPeak.external)} (array buffers ${mb(atPeak.arrayBuffers)}); highest heap used ${mb(max.heapUsed)}, heap total ${mb(max.heapTotal)}, external ${mb(max.external)}`,
  );
  if (pull.collected) {
    const { before, after } = pull.collected;
    const at = (m: typeof before) =>
      `rss ${mb(m.rss)}, heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)}, external ${mb(m.external)}; resident: ${Object.entries(
        m.resident,
      )
        .map(([kind, bytes]) => `${kind} ${mb(bytes)}`)
        .join(', ')}`;
    console.log(`  after a full GC, before the pull: ${at(before)}`);
    console.log(`  after a full GC, after the pull: ${at(after)}`);
  }
  if (pull.memoryMap) {
    const map = (m: ResidentMap) =>
      `${Object.entries(m.kinds)
        .sort((a, b) => b[1].bytes - a[1].bytes)
        .map(([kind, { bytes, mappings }]) => `${kind} ${mb(bytes)} (${mappings})`)
        .join(', ')}; largest: ${m.largest
        .map((l) => `${l.path || l.kind} ${mb(l.rss)} of ${mb(l.size)}`)
        .join(', ')}`;
    console.log(`  resident memory, service booted: ${map(pull.memoryMap.atRest)}`);
    console.log(`  resident memory, near the peak: ${map(pull.memoryMap.atPeak)}`);
  }
  console.log(
    `  store calls: ${Object.entries(pull.steps)
      .filter(([, seconds]) => seconds >= 0.05)
      .sort((a, b) => b[1] - a[1])
      .map(([step, seconds]) => `${step} ${seconds.toFixed(1)} s`)
      .join(', ')}`,
  );
  console.log(
    `  floor: ${n(floorRows)} rows (${Object.entries(floor.rows)
      .map(([table, count]) => `${n(count)} ${table}`)
      .join(', ')}) in ${floor.seconds.toFixed(1)} s`,
  );
}

const floorIs = (provider: Provider) =>
  provider === 'sqlite'
    ? 'same rows, better-sqlite3 prepared INSERTs, 10,000-row transactions, WAL'
    : 'same rows, pg multi-row INSERTs (1,000 rows), 10,000-row transactions';
const rows: Comparison[] = runs.map((run) => ({
  name: `pull, ${name(run.provider)} (records in Pryzm/s)`,
  figure: records / run.pull.pagesSeconds,
  baseline: records / run.floor.seconds,
  unit: 'records/s',
  baselineIs: floorIs(run.provider),
}));
printComparisons(`Full pull of ${n(records)} Accounts, default mapping`, rows);
console.log(
  'targets: >= 60,000 records/s into SQLite on 2 cores, service peak RSS <= 300 MB, <= 2.00x the floor',
);
