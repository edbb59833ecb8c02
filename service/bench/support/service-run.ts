/**
 * What the pull and push benchmarks' service processes (pull-run.ts, push-run.ts) share: the
 * real service, compiled as production runs it (compiled-service.ts), booted on a database URL
 * with the local org as its Salesforce and real-time sync off, a workspace with
 * the org's user connected through the API (username-password flow) and the default mappings
 * saved; timing of a store's calls; waiting for a job; and the child-process protocol (one input
 * message in, one result message out).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Env from '../../src/config/env.ts';
import type * as Logging from '../../src/logging/logger.ts';
import type * as Service from '../../src/service.ts';
import type * as MigrationFiles from '../../src/store/migrations/migration-files.ts';
import { fromDist } from './compiled-service.ts';
import type { LocalOrgReady } from './local-org-process.ts';

const [{ loadConfig }, { createLogger }, { startService }, { serviceDir }] = await Promise.all([
  fromDist<typeof Env>('config/env.js'),
  fromDist<typeof Logging>('logging/logger.js'),
  fromDist<typeof Service>('service.js'),
  fromDist<typeof MigrationFiles>('store/migrations/migration-files.js'),
]);

export interface Job {
  id: string;
  status: string;
  error: string | null;
  apiCalls: number;
  counts: Record<string, number>;
}

export interface BenchService {
  /** A call to the service's API with a bearer token; throws on an answer of 300 or more. */
  call<T>(token: string, method: string, path: string, body?: unknown): Promise<T>;
  workspaceId: string;
  /** The workspace's API key. */
  key: string;
  /** `/api/workspaces/<id>`. */
  base: string;
  connectionId: string;
  /** Starts a job on the connection through the API and polls it until it has finished. */
  runJob(body: object, pollMs: number): Promise<{ job: Job; seconds: number }>;
  stop(): Promise<void>;
}

/**
 * Boots the service (`startService`, port 0) on `databaseUrl`, creates a workspace, connects the
 * local org's user and saves the default mappings. `env` adds or overrides service variables.
 * `fetchForApi` is the fetch the benchmark's own API calls use (one that a benchmark wraps to
 * count the service's requests to the org would count these too).
 */
export async function startBenchService(input: {
  databaseUrl: string;
  org: LocalOrgReady;
  name: string;
  env?: Record<string, string>;
  fetchForApi?: typeof fetch;
}): Promise<BenchService> {
  const apiFetch = input.fetchForApi ?? fetch;
  const adminToken = `bench-admin-${randomBytes(24).toString('hex')}`;
  const secretsDir = mkdtempSync(join(tmpdir(), 'pryzm-bench-secrets-'));
  const config = loadConfig(
    {
      DATABASE_URL: input.databaseUrl,
      LOG_LEVEL: 'warn',
      PRYZM_ADMIN_TOKEN: adminToken,
      PRYZM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PRYZM_SECRETS_DIR: secretsDir,
      SALESFORCE_LOGIN_URL: input.org.loginUrl,
      // The org's instance runs on a port of its own: the one loopback port tokens may go to.
      PRYZM_LOCAL_ORG_URLS: input.org.instanceUrl,
      PRYZM_SYNC_POLL_MS: '50',
      // What is measured is the sync alone: no subscriber and no reconciliation sweep beside it.
      PRYZM_REALTIME: 'off',
      ...input.env,
    },
    { serviceDir },
  );
  const service = await startService({ ...config, port: 0 }, createLogger('warn', process.stderr));
  const stop = async () => {
    await service.stop();
    rmSync(secretsDir, { recursive: true, force: true });
  };
  try {
    const call = async <T>(token: string, method: string, path: string, body?: unknown) => {
      const response = await apiFetch(`${service.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await response.json()) as T;
      if (response.status >= 300) {
        throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
      }
      return json;
    };
    const workspace = await call<{ id: string; apiKey: { secret: string } }>(
      adminToken,
      'POST',
      '/api/workspaces',
      { name: input.name },
    );
    const key = workspace.apiKey.secret;
    const base = `/api/workspaces/${workspace.id}`;
    const connection = await call<{ id: string }>(key, 'POST', `${base}/connections`, {
      authFlow: 'password',
      environment: 'production',
      clientId: input.org.app.clientId,
      clientSecret: input.org.app.clientSecret,
      ...input.org.user,
    });
    await call(key, 'POST', `${base}/connections/${connection.id}/mappings/defaults`, {});
    return {
      call,
      workspaceId: workspace.id,
      key,
      base,
      connectionId: connection.id,
      async runJob(body, pollMs) {
        const started = performance.now();
        const queued = await call<Job>(
          key,
          'POST',
          `${base}/connections/${connection.id}/jobs`,
          body,
        );
        let job = queued;
        while (['queued', 'running', 'waiting_for_allowance'].includes(job.status)) {
          await new Promise((resolve) => setTimeout(resolve, pollMs));
          job = await call<Job>(key, 'GET', `${base}/jobs/${queued.id}`);
        }
        return { job, seconds: (performance.now() - started) / 1000 };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Wraps every method of `prototype` so that the seconds spent in each add up in
 * `steps['<label>.<method>']`, while `counting()` says so; `after` sees each call once it ended.
 */
export function timeMethods(
  prototype: object,
  label: string,
  steps: Record<string, number>,
  options: {
    counting?: () => boolean;
    after?: (method: string, args: unknown[], seconds: number) => void;
  } = {},
): void {
  const target = prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const original = target[name];
    if (name === 'constructor' || typeof original !== 'function') continue;
    target[name] = async function (this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return await (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      } finally {
        const seconds = (performance.now() - started) / 1000;
        if (options.counting?.() ?? true) {
          steps[`${label}.${name}`] = (steps[`${label}.${name}`] ?? 0) + seconds;
        }
        options.after?.(name, args, seconds);
      }
    };
  }
}

/** Runs `main` on the first message the parent sends, sends its result back and exits. */
export function serveOneRun<Input, Result>(main: (input: Input) => Promise<Result>): void {
  process.once('message', (input: Input) => {
    main(input).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
