/**
 * The service side of the pull benchmark, in a process of its own (started with `fork`, plain
 * `node`, the service compiled in service/dist: compiled-service.ts): boots
 * the real service (`startService`) on the database URL it is given, connects the local org's
 * user through the API (username-password flow), saves the default mappings, starts a full pull
 * through the API and waits for it. Sends back one `PullRunResult`.
 *
 * The `Pryzm_ID__c` write-back runs beside the pages (a loop of its own that reads the committed
 * links awaiting it); it is measured on its own: its API calls (Bulk API 2.0 ingest requests and
 * sObject Collections PATCHes), the records it marked written, and its span from its first
 * request to its last commit. The pull's own figure ends with the last page's commit: all
 * records in Pryzm.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type * as SyncJobs from '../../src/store/repositories/sync-jobs.ts';
import type * as SyncIngestJobs from '../../src/store/repositories/sync-ingest-jobs.ts';
import type * as SyncPages from '../../src/store/repositories/sync-pages.ts';
import { fromDist } from './compiled-service.ts';
import type { LocalOrgReady } from './local-org-process.ts';
import { residentByKind, residentMap, type ResidentMap } from './resident-memory.ts';
import { serveOneRun, startBenchService, timeMethods } from './service-run.ts';

// The classes the compiled service runs, so that timing their methods times the service's calls.
const [{ SyncJobRepository }, { SyncIngestJobStore }, { SyncPageStore }] = await Promise.all([
  fromDist<typeof SyncJobs>('store/repositories/sync-jobs.js'),
  fromDist<typeof SyncIngestJobs>('store/repositories/sync-ingest-jobs.js'),
  fromDist<typeof SyncPages>('store/repositories/sync-pages.js'),
]);

export interface PullRunInput {
  databaseUrl: string;
  org: LocalOrgReady;
  /** PRYZM_SYNC_PAGE_SIZE; the service's default when left out. */
  pageSize?: number;
}

export interface PullRunResult {
  type: 'result';
  status: string;
  error: string | null;
  /** Seconds from the API call that started the job to the job's end as the API reported it. */
  seconds: number;
  /** Seconds from the API call that started the job to the last page's commit: all in Pryzm. */
  pagesSeconds: number;
  counts: Record<string, number>;
  apiCalls: number;
  /** Peak resident set size of this process (the service alone), bytes. */
  maxRss: number;
  /** Peak RSS before the pull started (service booted, connected, mappings saved), bytes. */
  rssAtRest: number;
  /** Heap in use at the end, bytes (what the pull left behind). */
  heapUsed: number;
  /**
   * The RSS sampled every 100 ms during the pull, `process.memoryUsage()` at each new peak and
   * every second: the sample with the highest RSS, and the highest of each figure (bytes). `external` holds the Buffers, `arrayBuffers`
   * included.
   */
  memory: { atPeak: MemorySample; max: MemorySample };
  /**
   * With `--expose-gc`: RSS, heap and external memory after a full collection, before the pull
   * and after it (what the service really holds, garbage aside).
   */
  collected?: Record<
    'before' | 'after',
    Pick<MemorySample, 'rss' | 'heapUsed' | 'heapTotal' | 'external'> & {
      resident: Record<string, number>;
    }
  >;
  /**
   * With PULL_BENCH_MEMORY_MAP=1: where the resident memory is (resident-memory.ts) once the
   * service is booted, and at the pull's peak RSS (the map read again whenever the RSS has grown
   * 8 MB past the last map).
   */
  memoryMap?: { atRest: ResidentMap; atPeak: ResidentMap };
  /**
   * The `Pryzm_ID__c` write-back: records marked written, API calls, seconds from its first
   * request to its last commit, and seconds from the last page's commit to its last commit (how
   * long the job waited for it to drain; 0 when it drained first).
   */
  writeBack: { seconds: number; calls: number; records: number; drainedAfterPages: number };
  /** Idempotent requests repeated because the org had closed the kept-alive socket. */
  socketRetries: number;
  /** The longest the event loop was blocked during the pull (ms): how long the API went deaf. */
  longestStallMs: number;
  /** Seconds spent in each store call of the sync engine (`syncPages.commit`, ...). */
  steps: Record<string, number>;
  workspaceId: string;
}

export interface MemorySample {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/**
 * Samples the memory until stopped (see PullRunResult.memory); with `mapPeaks`, also the memory
 * map near the peak (PullRunResult.memoryMap).
 */
function sampleMemory(intervalMs: number, mapPeaks: boolean) {
  const zero = (): MemorySample => ({
    rss: 0,
    heapTotal: 0,
    heapUsed: 0,
    external: 0,
    arrayBuffers: 0,
  });
  const memory = { atPeak: zero(), max: zero() };
  let map: { rss: number; map: ResidentMap } | undefined;
  let samples = 0;
  const sample = () => {
    // The resident size alone is cheap to read; the heap's figures only at a new peak and every
    // tenth sample (for the highest of each), so that sampling costs the pull next to nothing.
    samples += 1;
    if (process.memoryUsage.rss() <= memory.atPeak.rss && samples % 10 !== 0) return;
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const now: MemorySample = { rss, heapTotal, heapUsed, external, arrayBuffers };
    if (now.rss > memory.atPeak.rss) memory.atPeak = now;
    if (mapPeaks && now.rss > (map?.rss ?? 0) + 8 * 1024 * 1024) {
      map = { rss: now.rss, map: residentMap() };
    }
    for (const key of Object.keys(now) as (keyof MemorySample)[]) {
      memory.max[key] = Math.max(memory.max[key], now[key]);
    }
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { ...memory, map: map?.map };
    },
  };
}

/**
 * Repeats a request once when the org closed the kept-alive socket before it went out ("other
 * side closed"; a GET or PATCH also on a reset). The local org, like Salesforce, closes idle connections (5 s here);
 * while a long synchronous stretch blocks the service's event loop, undici cannot see the close
 * and reuses the socket. The service does not retry such requests itself (yet). The benchmark's
 * own calls to the service's API meet the same when the pull stalls the loop past the API's
 * keep-alive timeout.
 */
function withStaleSocketRetry(inner: typeof fetch, retries: { count: number }): typeof fetch {
  return async (url, init) => {
    try {
      return await inner(url, init);
    } catch (error) {
      const method = init?.method ?? 'GET';
      const code = (error as { cause?: { code?: string } }).cause?.code ?? '';
      // A socket closed before the request went out: nothing was sent, any method may repeat.
      const unsent = code === 'UND_ERR_SOCKET';
      if (!unsent && !(['GET', 'PATCH'].includes(method) && code === 'ECONNRESET')) throw error;
      retries.count += 1;
      return inner(url, init);
    }
  };
}

async function main(input: PullRunInput): Promise<PullRunResult> {
  const writeBack = { calls: 0, records: 0, firstAt: null as number | null, lastAt: 0 };
  const socketRetries = { count: 0 };
  const realFetch = withStaleSocketRetry(globalThis.fetch, socketRetries);
  // The write-back's requests: Bulk API 2.0 ingest jobs (from `PRYZM_BULK_INGEST_THRESHOLD`
  // links), or PATCH composite/sobjects of 200 records.
  globalThis.fetch = async (url, init) => {
    const text = String(url);
    const ofWriteBack =
      text.includes('/jobs/ingest') ||
      (init?.method === 'PATCH' && text.includes('/composite/sobjects'));
    if (ofWriteBack) {
      writeBack.firstAt ??= performance.now();
      writeBack.calls += 1;
    }
    return realFetch(url, init);
  };
  // Every store call of the sync engine is timed, for the breakdown; the page commits and the
  // write-back's commits are also noted as they end.
  const steps: Record<string, number> = {};
  let lastPageAt = 0;
  const notePages = (name: string, args: unknown[]) => {
    if (name === 'commit') lastPageAt = performance.now();
    if (name === 'markIdsWrittenBack' || name === 'commitIdWriteBack') {
      writeBack.records += (args[1] as string[]).length;
      writeBack.lastAt = performance.now();
    }
  };
  timeMethods(SyncPageStore.prototype, 'syncPages', steps, { after: notePages });
  timeMethods(SyncIngestJobStore.prototype, 'syncIngestJobs', steps, { after: notePages });
  timeMethods(SyncJobRepository.prototype, 'syncJobs', steps);

  const service = await startBenchService({
    databaseUrl: input.databaseUrl,
    org: input.org,
    name: 'Pull bench',
    env: {
      // PULL_BENCH_BULK_THRESHOLD=0: the write-back through sObject Collections only.
      ...(process.env['PULL_BENCH_BULK_THRESHOLD'] !== undefined
        ? { PRYZM_BULK_INGEST_THRESHOLD: process.env['PULL_BENCH_BULK_THRESHOLD'] }
        : {}),
      ...(input.pageSize ? { PRYZM_SYNC_PAGE_SIZE: String(input.pageSize) } : {}),
      // PULL_BENCH_SERVICE_ENV='PRYZM_HEAP=v8': another heap sizing than the default.
      ...(process.env['PRYZM_HEAP'] ? { PRYZM_HEAP: process.env['PRYZM_HEAP'] } : {}),
    },
  });
  try {
    const rssAtRest = process.resourceUsage().maxRSS * 1024;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const atRest = process.memoryUsage();
    const residentAtRest = residentByKind();
    const mapPeaks = process.env['PULL_BENCH_MEMORY_MAP'] === '1';
    const mapAtRest = mapPeaks ? residentMap() : undefined;
    const loop = monitorEventLoopDelay({ resolution: 20 });
    loop.enable();
    const sampler = sampleMemory(100, mapPeaks);
    const startedAt = performance.now();
    const { job, seconds } = await service.runJob({ kind: 'pull', mode: 'full' }, 100);
    loop.disable();
    const { map: mapAtPeak, ...memory } = sampler.stop();
    gc?.();
    const after = process.memoryUsage();
    const residentAfter = residentByKind();
    // PULL_BENCH_SMAPS=<file>: the whole memory map after the pull, for a closer look.
    const smapsFile = process.env['PULL_BENCH_SMAPS'];
    if (smapsFile) writeFileSync(smapsFile, readFileSync('/proc/self/smaps'));
    return {
      type: 'result',
      status: job.status,
      error: job.error,
      seconds,
      pagesSeconds: (lastPageAt - startedAt) / 1000,
      counts: job.counts,
      apiCalls: job.apiCalls,
      maxRss: process.resourceUsage().maxRSS * 1024,
      rssAtRest,
      heapUsed: process.memoryUsage().heapUsed,
      memory,
      ...(mapAtRest && mapAtPeak ? { memoryMap: { atRest: mapAtRest, atPeak: mapAtPeak } } : {}),
      ...(gc
        ? {
            collected: {
              before: {
                rss: atRest.rss,
                heapUsed: atRest.heapUsed,
                heapTotal: atRest.heapTotal,
                external: atRest.external,
                resident: residentAtRest,
              },
              after: {
                rss: after.rss,
                heapUsed: after.heapUsed,
                heapTotal: after.heapTotal,
                external: after.external,
                resident: residentAfter,
              },
            },
          }
        : {}),
      writeBack: {
        calls: writeBack.calls,
        records: writeBack.records,
        seconds: writeBack.firstAt === null ? 0 : (writeBack.lastAt - writeBack.firstAt) / 1000,
        drainedAfterPages: Math.max(0, (writeBack.lastAt - lastPageAt) / 1000),
      },
      socketRetries: socketRetries.count,
      longestStallMs: loop.max / 1e6,
      steps,
      workspaceId: service.workspaceId,
    };
  } finally {
    await service.stop();
  }
}

serveOneRun(main);
