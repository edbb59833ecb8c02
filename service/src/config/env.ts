import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_HEAP_SIZING, HEAP_SIZINGS, type HeapSizing } from '../lifecycle/heap-sizing.ts';

/**
 * The service's configuration, read once from the environment at start. Every variable is
 * documented in `.env.example`; a wrong or missing one stops the start with one line naming it.
 */
export interface Config {
  host: string;
  port: number;
  database: DatabaseConfig;
  logLevel: LogLevel;
  /** How long a SIGTERM/SIGINT waits for in-flight requests and jobs before forcing exit. */
  shutdownTimeoutMs: number;
  security: SecurityConfig;
  rateLimits: RateLimitConfig;
  metrics: MetricsConfig;
  salesforce: SalesforceConfig;
  sync: SyncConfig;
  realtime: RealtimeConfig;
  webhooks: WebhookConfig;
  /** Server-sent event streams: a comment line this often keeps proxies from closing them. */
  eventsHeartbeatMs: number;
  /** How V8's heap trades memory for speed (lifecycle/heap-sizing.ts); `balanced` when left out. */
  heap?: HeapSizing;
}

export interface WebhookConfig {
  /** Whether loopback and private-network URLs may receive webhooks (tests, on-premises). */
  allowPrivateTargets: boolean;
  /** Wait before the first retry; each further retry waits twice as long (capped at an hour). */
  firstRetryMs: number;
  /** How long after an event its delivery is retried before it is marked failed. */
  retryForMs: number;
  /** How long one delivery attempt may take. */
  timeoutMs: number;
  /** How often due retries are looked for (also after a restart). */
  pollMs: number;
}

export interface RealtimeConfig {
  /** Whether this process subscribes to connections' change events (`PRYZM_REALTIME`). */
  enabled: boolean;
  /** `host:port` of the Pub/Sub API (Salesforce's global endpoint by default). */
  pubSubEndpoint: string;
  /** A PEM file of extra roots to trust for the Pub/Sub API (the local org's own CA). */
  pubSubCaFile?: string;
  /** How long one real-time job window records changes before the next one opens. */
  windowMs: number;
  /** How often a reconciliation sweep (an incremental pull) runs per connection; 0: never. */
  sweepIntervalMs: number;
  /** Under a steady stream of changes, how long a batch may wait to fill (0: never waits). */
  lingerMs: number;
  /**
   * How long a process holds a connection's real-time subscription or auto push without renewing
   * it; a live process takes over after that (at once when the holder died on the same host).
   */
  leaseTtlMs: number;
  /** How often leases are renewed and connections looked at: a third of `leaseTtlMs`. */
  leaseTickMs: number;
}

export interface SyncConfig {
  /** Records per Bulk API 2.0 results page: one API call each. */
  pageSize: number;
  /** Records per database transaction of a pull: a page commits in slices of this many. */
  commitSize: number;
  /** First wait before polling a Bulk API 2.0 query or ingest job (it grows 1.5x per poll). */
  pollIntervalMs: number;
  /** How long a job waiting for API allowance waits before it looks again. */
  allowanceRetryMs: number;
  /** Records from which a batch push or an id write-back uses Bulk API 2.0 ingest (0: never). */
  bulkIngestThreshold: number;
  /** How often interval schedules are looked at. */
  schedulerTickMs: number;
  /** Days finished jobs and their per-record results are kept. */
  retentionDays: number;
}

export interface SecurityConfig {
  /** Bearer token for workspace administration; generated into `secretsDir` when unset. */
  adminToken?: string;
  /** Base64 of 32 bytes: the AES-256-GCM key for tokens at rest; a key file when unset. */
  encryptionKey?: string;
  /** Keys that may still have encrypted stored secrets, tried for decryption during a rotation. */
  previousEncryptionKeys: string[];
  /** Where the generated admin token and encryption key files live. */
  secretsDir: string;
}

export interface RateLimitConfig {
  windowMs: number;
  /** Requests per window per token (or console session) on /api; 0 turns the limit off. */
  apiPerWindow: number;
  /** Requests per window per IP address on the sign-in routes (OAuth, sessions); 0: off. */
  authPerWindow: number;
}

/** `/metrics` is off unless a token or a listener of its own is configured. */
export interface MetricsConfig {
  /** Bearer token that reads `/metrics` on the API's port. */
  token?: string;
  /** A listener of its own that serves `/metrics` without a token (for a scraper on a private network). */
  listener?: { host: string; port: number };
}

export interface SalesforceConfig {
  /** Consumer key of the connected app (External Client App) used by the web-server flow. */
  clientId?: string;
  clientSecret?: string;
  productionLoginUrl: string;
  sandboxLoginUrl: string;
  apiVersion: string;
  /** Base URL browsers reach this service on; the OAuth callback is `<publicUrl>/oauth/callback`. */
  publicUrl?: string;
  /** The local org's loopback URLs besides its login hosts: the only other loopback ports trusted. */
  localOrgUrls: string[];
}

export type DatabaseConfig =
  { provider: 'sqlite'; url: string; file: string } | { provider: 'postgresql'; url: string };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

/** Relative SQLite paths resolve against this folder (the service workspace). */
export interface ConfigContext {
  serviceDir: string;
}

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const httpUrl = z
  .string()
  .refine(
    (value) => /^https?:\/\/[^/]+/.test(value) && URL.canParse(value),
    'must be an http(s) URL',
  )
  .transform((value) => value.replace(/\/+$/, ''));

const schema = z.object({
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  PORT: port.default(3000),
  DATABASE_URL: z.string().min(1, 'must not be empty').default('file:./data/pryzm.db'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must not be negative')
    .default(10_000),
  PRYZM_ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  PRYZM_ENCRYPTION_KEY: z
    .string()
    .refine(isEncryptionKey, 'must be 32 bytes encoded in base64 (openssl rand -base64 32)')
    .optional(),
  PRYZM_PREVIOUS_ENCRYPTION_KEYS: z
    .string()
    .refine(
      (value) => value.split(',').every((key) => isEncryptionKey(key.trim())),
      'must be comma-separated base64 keys of 32 bytes',
    )
    .optional(),
  PRYZM_SECRETS_DIR: z.string().min(1).default('./data'),
  SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
  SALESFORCE_CLIENT_SECRET: z.string().min(1).optional(),
  SALESFORCE_LOGIN_URL: httpUrl.default('https://login.salesforce.com'),
  SALESFORCE_SANDBOX_LOGIN_URL: httpUrl.default('https://test.salesforce.com'),
  SALESFORCE_API_VERSION: z
    .string()
    .regex(/^\d{2}\.0$/, 'must look like 63.0')
    .default('63.0'),
  PUBLIC_URL: httpUrl.optional(),
  PRYZM_LOCAL_ORG_URLS: z
    .string()
    .refine(
      (value) => value.split(',').every((url) => httpUrl.safeParse(url.trim()).success),
      'must be comma-separated http(s) URLs',
    )
    .optional(),
  PRYZM_RATE_LIMIT_WINDOW_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1000, 'must be at least 1000')
    .default(60_000),
  PRYZM_RATE_LIMIT_API: z.coerce
    .number({ message: 'must be a number of requests' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .default(1200),
  PRYZM_RATE_LIMIT_AUTH: z.coerce
    .number({ message: 'must be a number of requests' })
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .default(60),
  PRYZM_METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  // 0 takes any free port (tests); the address is logged at start.
  PRYZM_METRICS_PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .optional(),
  PRYZM_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  PRYZM_SYNC_PAGE_SIZE: z.coerce
    .number({ message: 'must be a number of records' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 100000')
    .max(100_000, 'must be between 1 and 100000')
    .default(10_000),
  PRYZM_SYNC_COMMIT_SIZE: z.coerce
    .number({ message: 'must be a number of records' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 100000')
    .max(100_000, 'must be between 1 and 100000')
    .default(10_000),
  PRYZM_BULK_INGEST_THRESHOLD: z.coerce
    .number({ message: 'must be a number of records' })
    .int('must be a whole number')
    .min(0, 'must be 0 (never) or more')
    .default(2_000),
  PRYZM_ALLOWANCE_RETRY_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(10, 'must be at least 10')
    .default(15 * 60_000),
  PRYZM_SCHEDULER_TICK_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100')
    .default(60_000),
  PRYZM_JOB_RETENTION_DAYS: z.coerce
    .number({ message: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .default(30),
  PRYZM_REALTIME: z.enum(['on', 'off'], { message: 'must be "on" or "off"' }).default('on'),
  PRYZM_HEAP: z
    .enum(HEAP_SIZINGS, { message: 'must be "balanced", "small" or "v8"' })
    .default(DEFAULT_HEAP_SIZING),
  SALESFORCE_PUBSUB_ENDPOINT: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port')
    .default('api.pubsub.salesforce.com:7443'),
  SALESFORCE_PUBSUB_CA_FILE: z.string().min(1).optional(),
  PRYZM_REALTIME_WINDOW_SECONDS: z.coerce
    .number({ message: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(1, 'must be at least 1')
    .default(60),
  PRYZM_REALTIME_SWEEP_MINUTES: z.coerce
    .number({ message: 'must be a number of minutes' })
    .min(0, 'must not be negative')
    .default(15),
  PRYZM_REALTIME_LINGER_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must not be negative')
    .max(10_000, 'must be at most 10000')
    .default(0),
  PRYZM_LEASE_TTL_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(1_500, 'must be at least 1500')
    .max(600_000, 'must be at most 600000')
    .default(15_000),
  PRYZM_WEBHOOK_PRIVATE_TARGETS: z
    .enum(['on', 'off'], { message: 'must be "on" or "off"' })
    .default('off'),
  PRYZM_WEBHOOK_FIRST_RETRY_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(10, 'must be at least 10')
    .default(10_000),
  PRYZM_WEBHOOK_RETRY_HOURS: z.coerce
    .number({ message: 'must be a number of hours' })
    .positive('must be more than 0')
    .max(24 * 7, 'must be at most 168 (a week)')
    .default(24),
  PRYZM_WEBHOOK_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(100, 'must be at least 100')
    .default(10_000),
  PRYZM_WEBHOOK_POLL_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(10, 'must be at least 10')
    .default(5_000),
  PRYZM_EVENTS_HEARTBEAT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(10, 'must be at least 10')
    .default(15_000),
  // 100 ms: a job a quick org finishes in a few tenths of a second is read then, for a few more
  // polls (salesforce/bulk-query.ts and bulk-ingest.ts count them).
  PRYZM_SYNC_POLL_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(10, 'must be at least 10')
    .default(100),
});

function isEncryptionKey(value: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32;
}

/** Variables whose values never appear in an error message. */
const SECRET_VARIABLES = new Set([
  'PRYZM_ADMIN_TOKEN',
  'PRYZM_ENCRYPTION_KEY',
  'PRYZM_PREVIOUS_ENCRYPTION_KEYS',
  'PRYZM_METRICS_TOKEN',
  'SALESFORCE_CLIENT_SECRET',
  'DATABASE_URL',
]);

/**
 * Parses the environment into a Config or throws a ConfigError naming the first bad variable.
 * Empty strings count as unset, as most shells and `.env` files produce them for "no value".
 */
export function loadConfig(env: NodeJS.ProcessEnv, context: ConfigContext): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const given = present[variable];
    const shown = given === undefined || SECRET_VARIABLES.has(variable) ? '' : ` (got "${given}")`;
    throw new ConfigError(variable, `${issue?.message ?? 'is invalid'}${shown}`);
  }
  const values = parsed.data;
  return {
    host: values.HOST,
    port: values.PORT,
    database: parseDatabaseUrl(values.DATABASE_URL, context),
    logLevel: values.LOG_LEVEL,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    heap: values.PRYZM_HEAP,
    security: {
      adminToken: values.PRYZM_ADMIN_TOKEN,
      encryptionKey: values.PRYZM_ENCRYPTION_KEY,
      previousEncryptionKeys: (values.PRYZM_PREVIOUS_ENCRYPTION_KEYS ?? '')
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean),
      secretsDir: isAbsolute(values.PRYZM_SECRETS_DIR)
        ? values.PRYZM_SECRETS_DIR
        : resolve(context.serviceDir, values.PRYZM_SECRETS_DIR),
    },
    rateLimits: {
      windowMs: values.PRYZM_RATE_LIMIT_WINDOW_MS,
      apiPerWindow: values.PRYZM_RATE_LIMIT_API,
      authPerWindow: values.PRYZM_RATE_LIMIT_AUTH,
    },
    metrics: {
      token: values.PRYZM_METRICS_TOKEN,
      listener:
        values.PRYZM_METRICS_PORT === undefined
          ? undefined
          : { host: values.PRYZM_METRICS_HOST, port: values.PRYZM_METRICS_PORT },
    },
    salesforce: {
      clientId: values.SALESFORCE_CLIENT_ID,
      clientSecret: values.SALESFORCE_CLIENT_SECRET,
      productionLoginUrl: values.SALESFORCE_LOGIN_URL,
      sandboxLoginUrl: values.SALESFORCE_SANDBOX_LOGIN_URL,
      apiVersion: values.SALESFORCE_API_VERSION,
      publicUrl: values.PUBLIC_URL,
      localOrgUrls: (values.PRYZM_LOCAL_ORG_URLS ?? '')
        .split(',')
        .map((url) => url.trim().replace(/\/+$/, ''))
        .filter(Boolean),
    },
    sync: {
      pageSize: values.PRYZM_SYNC_PAGE_SIZE,
      commitSize: values.PRYZM_SYNC_COMMIT_SIZE,
      pollIntervalMs: values.PRYZM_SYNC_POLL_MS,
      allowanceRetryMs: values.PRYZM_ALLOWANCE_RETRY_MS,
      bulkIngestThreshold: values.PRYZM_BULK_INGEST_THRESHOLD,
      schedulerTickMs: values.PRYZM_SCHEDULER_TICK_MS,
      retentionDays: values.PRYZM_JOB_RETENTION_DAYS,
    },
    realtime: {
      enabled: values.PRYZM_REALTIME === 'on',
      pubSubEndpoint: values.SALESFORCE_PUBSUB_ENDPOINT,
      ...(values.SALESFORCE_PUBSUB_CA_FILE
        ? {
            pubSubCaFile: isAbsolute(values.SALESFORCE_PUBSUB_CA_FILE)
              ? values.SALESFORCE_PUBSUB_CA_FILE
              : resolve(context.serviceDir, values.SALESFORCE_PUBSUB_CA_FILE),
          }
        : {}),
      windowMs: values.PRYZM_REALTIME_WINDOW_SECONDS * 1000,
      sweepIntervalMs: values.PRYZM_REALTIME_SWEEP_MINUTES * 60_000,
      lingerMs: values.PRYZM_REALTIME_LINGER_MS,
      leaseTtlMs: values.PRYZM_LEASE_TTL_MS,
      leaseTickMs: Math.round(values.PRYZM_LEASE_TTL_MS / 3),
    },
    webhooks: {
      allowPrivateTargets: values.PRYZM_WEBHOOK_PRIVATE_TARGETS === 'on',
      firstRetryMs: values.PRYZM_WEBHOOK_FIRST_RETRY_MS,
      retryForMs: values.PRYZM_WEBHOOK_RETRY_HOURS * 3_600_000,
      timeoutMs: values.PRYZM_WEBHOOK_TIMEOUT_MS,
      pollMs: values.PRYZM_WEBHOOK_POLL_MS,
    },
    eventsHeartbeatMs: values.PRYZM_EVENTS_HEARTBEAT_MS,
  };
}

/** `file:` selects the embedded SQLite database; `postgres://` or `postgresql://` PostgreSQL. */
export function parseDatabaseUrl(url: string, context: ConfigContext): DatabaseConfig {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    if (path === '') throw new ConfigError('DATABASE_URL', 'must name a file after "file:"');
    const file = path === ':memory:' || isAbsolute(path) ? path : resolve(context.serviceDir, path);
    return { provider: 'sqlite', url: `file:${file}`, file };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return { provider: 'postgresql', url };
  }
  throw new ConfigError(
    'DATABASE_URL',
    'must start with "file:" (SQLite) or "postgres://" (PostgreSQL)',
  );
}
