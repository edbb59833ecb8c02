/**
 * The service side of the push benchmark, in a process of its own (started with `fork`, plain
 * `node`, the service compiled in service/dist: compiled-service.ts): boots
 * the real service (`startService`) on the database URL it is given, connects the local org's
 * user through the API (username-password flow) and saves the default mappings; then writes
 * `records` new Organization records straight into the database (untimed: records are not
 * created through the API one by one), and pushes them:
 *
 * - a push job through the API (`POST …/connections/:id/jobs {"kind":"push"}`), waited for;
 * - single-record pushes (`POST …/records/:id/push`) of records changed through the API after
 *   the job (so the describes are cached), each timed on its own.
 *
 * Every request the service sends to the org is counted here, next to what the service itself
 * reports; the bodies of the job's sObject Collections upserts (four to a Composite call, with
 * the query of their stamps) are sent back, so the benchmark can send the same records to the org
 * without the service (the wire's floor).
 */
import type * as Env from '../../src/config/env.ts';
import type * as Database from '../../src/store/database.ts';
import type * as MigrationFiles from '../../src/store/migrations/migration-files.ts';
import type * as FastInsert from '../../src/store/repositories/fast-insert.ts';
import type * as SyncPush from '../../src/store/repositories/sync-push.ts';
import { fromDist } from './compiled-service.ts';
import type { LocalOrgReady } from './local-org-process.ts';
import { serveOneRun, startBenchService, timeMethods } from './service-run.ts';

// The compiled service's own modules, so that timing SyncPushStore times the service's calls.
const [
  { parseDatabaseUrl },
  { openDatabase },
  { serviceDir },
  { fastInsert, insertTarget },
  { SyncPushStore },
] = await Promise.all([
  fromDist<typeof Env>('config/env.js'),
  fromDist<typeof Database>('store/database.js'),
  fromDist<typeof MigrationFiles>('store/migrations/migration-files.js'),
  fromDist<typeof FastInsert>('store/repositories/fast-insert.js'),
  fromDist<typeof SyncPush>('store/repositories/sync-push.js'),
]);

export interface PushRunInput {
  databaseUrl: string;
  org: LocalOrgReady;
  /** New Organization records the push job sends. */
  records: number;
  /** Single-record pushes, each of a record changed just before. */
  singles: number;
}

/** One sObject Collections upsert the push job sent (a Composite subrequest): URL and body. */
export interface CapturedUpsert {
  url: string;
  body: string;
}

export interface PushRunResult {
  type: 'result';
  job: {
    status: string;
    error: string | null;
    /** From the API call that started the job to its end as the API reported it. */
    seconds: number;
    counts: Record<string, number>;
    /** API calls the job reports. */
    apiCalls: number;
    /** Requests the service sent to the org during the job, by kind. */
    requests: Record<string, number>;
    /** Seconds in each store call of the push (`syncPush.commit`, ...) and on the wire. */
    steps: Record<string, number>;
  };
  singles: {
    /** Milliseconds of each `POST …/records/:id/push`, as the API client saw it. */
    latencyMs: number[];
    /** API calls each push reported (`apiCalls` of the answer). */
    apiCalls: number[];
    /** Requests each push sent to the org, counted on the wire. */
    requests: number[];
    actions: string[];
  };
  upserts: CapturedUpsert[];
}

/** What a request to the org is, for the counts: `upsert`, `describe`, `token`, `other`. */
function requestKind(url: string, method: string): string {
  if (url.includes('/oauth2/')) return 'token';
  if (url.includes('/jobs/ingest')) return `bulk ingest ${method}`;
  if (method === 'POST' && /\/composite(?:\?|$)/.test(url)) return 'composite';
  if (method === 'PATCH' && url.includes('/composite/sobjects/')) return 'collections upsert';
  if (method === 'PATCH' && url.includes('/sobjects/')) return 'single upsert';
  if (url.includes('/describe')) return 'describe';
  return `${method} other`;
}

/** The sObject Collections upserts among a Composite call's subrequests. */
function collectionUpserts(origin: string, body: string): CapturedUpsert[] {
  const { compositeRequest = [] } = JSON.parse(body) as {
    compositeRequest?: { method: string; url: string; body?: unknown }[];
  };
  return compositeRequest
    .filter((sub) => sub.method === 'PATCH' && sub.url.includes('/composite/sobjects/'))
    .map((sub) => ({ url: `${origin}${sub.url}`, body: JSON.stringify(sub.body) }));
}

async function main(input: PushRunInput): Promise<PushRunResult> {
  const requests: Record<string, number> = {};
  const upserts: CapturedUpsert[] = [];
  let capture = false;
  const realFetch = globalThis.fetch;
  const orgOrigins = [new URL(input.org.loginUrl).origin, new URL(input.org.instanceUrl).origin];
  globalThis.fetch = async (url, init) => {
    const text = url instanceof Request ? url.url : String(url);
    const method = init?.method ?? (url instanceof Request ? url.method : 'GET');
    if (orgOrigins.some((origin) => text.startsWith(origin))) {
      const kind = requestKind(text, method);
      requests[kind] = (requests[kind] ?? 0) + 1;
      if (capture && kind === 'composite' && typeof init?.body === 'string') {
        upserts.push(...collectionUpserts(new URL(text).origin, init.body));
      }
      const started = performance.now();
      try {
        return await realFetch(url, init);
      } finally {
        time(`org ${kind}`, started);
      }
    }
    return realFetch(url, init);
  };
  // Seconds of the job in each store call of the push and in its upserts on the wire.
  const steps: Record<string, number> = {};
  const time = (label: string, started: number) => {
    if (capture) steps[label] = (steps[label] ?? 0) + (performance.now() - started) / 1000;
  };
  timeMethods(SyncPushStore.prototype, 'syncPush', steps, { counting: () => capture });
  const counted = () => Object.values(requests).reduce((a, b) => a + b, 0);

  const service = await startBenchService({
    databaseUrl: input.databaseUrl,
    org: input.org,
    name: 'Push bench',
    // sObject Collections only (no Bulk API 2.0 ingest), so the job's upserts can be sent
    // again as the wire's floor.
    env: { PRYZM_BULK_INGEST_THRESHOLD: '0' },
    fetchForApi: realFetch,
  });
  const { call, key, base } = service;
  const database = await openDatabase(parseDatabaseUrl(input.databaseUrl, { serviceDir }));
  try {
    // New Organizations, as a workspace holds them before their first push.
    const prisma = database.prisma;
    const recordType = await prisma.recordType.findFirstOrThrow({
      where: { workspaceId: service.workspaceId, key: 'organization' },
      select: { id: true },
    });
    const ids: string[] = [];
    const rows = Array.from({ length: input.records }, (_, index) => {
      const id = crypto.randomUUID();
      ids.push(id);
      return {
        id,
        workspaceId: service.workspaceId,
        recordTypeId: recordType.id,
        values: {
          name: `Bench Organization ${index + 1}`,
          website: `https://org-${index + 1}.example.com`,
          industry: 'Technology',
          phone: `+1 415 555 ${String(index % 10_000).padStart(4, '0')}`,
          description: `Organization ${index + 1} of the push benchmark`,
          annual_revenue: 1_000_000 + index,
          employee_count: 10 + (index % 5_000),
        },
      };
    });
    await prisma.$transaction(
      (tx) => fastInsert.records(tx, insertTarget(prisma), rows).then(() => undefined),
      { timeout: 120_000 },
    );

    for (const kind of Object.keys(requests)) delete requests[kind];
    capture = true;
    const { job, seconds } = await service.runJob({ kind: 'push' }, 50);
    capture = false;
    const jobRequests = { ...requests };

    const singles: PushRunResult['singles'] = {
      latencyMs: [],
      apiCalls: [],
      requests: [],
      actions: [],
    };
    for (let index = 0; index < input.singles; index += 1) {
      const recordId = ids[index * Math.floor(ids.length / Math.max(1, input.singles))]!;
      await call(key, 'PATCH', `${base}/records/${recordId}`, {
        values: { phone: `+1 212 555 ${String(index).padStart(4, '0')}` },
      });
      const before = counted();
      const pushStarted = performance.now();
      const outcome = await call<{ action: string; apiCalls: number }>(
        key,
        'POST',
        `${base}/records/${recordId}/push`,
        { connectionId: service.connectionId },
      );
      singles.latencyMs.push(performance.now() - pushStarted);
      singles.requests.push(counted() - before);
      singles.apiCalls.push(outcome.apiCalls);
      singles.actions.push(outcome.action);
    }
    return {
      type: 'result',
      job: {
        status: job.status,
        error: job.error,
        seconds,
        counts: job.counts,
        apiCalls: job.apiCalls,
        requests: jobRequests,
        steps,
      },
      singles,
      upserts,
    };
  } finally {
    await database.close();
    await service.stop();
  }
}

serveOneRun(main);
