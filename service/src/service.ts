import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Config } from './config/env.ts';
import { resolveSecrets } from './config/local-secrets.ts';
import { signInUrl } from './http/api/session/links/post.ts';
import { createApp, createMetricsApp } from './http/app.ts';
import { ServiceMetrics } from './metrics/service-metrics.ts';
import { readMetricsSnapshot } from './store/repositories/metrics-snapshot.ts';
import { listen } from './lifecycle/http-server.ts';
import { InFlightWork } from './lifecycle/in-flight-work.ts';
import type { Logger } from './logging/logger.ts';
import { applyHeapSizing } from './lifecycle/heap-sizing.ts';
import { openDatabase, type Database } from './store/database.ts';
import { PostgresEventRelay } from './store/event-relay.ts';
import { SecretBox } from './crypto/secret-box.ts';
import { createServices } from './services.ts';
import { createRepositories, type Repositories } from './store/repositories/index.ts';
import { createJobQueue } from './sync/jobs/create-queue.ts';
import { Scheduler } from './sync/jobs/scheduler.ts';

export interface RunningService {
  url: string;
  /** Where `/metrics` is served without a token (PRYZM_METRICS_PORT), when configured. */
  metricsUrl?: string;
  database: Database;
  /** The stores the service runs on (benchmarks watch its commits through them). */
  repositories: Repositories;
  work: InFlightWork;
  /** Graceful stop: no new requests, in-flight requests and work finish, then the database closes. */
  stop(): Promise<void>;
}

/** Opens the database, applies pending migrations and serves HTTP. */
export async function startService(config: Config, logger: Logger): Promise<RunningService> {
  applyHeapSizing(config.heap ?? 'balanced');
  const secrets = resolveSecrets(config.security);
  if (secrets.ignoredRetiredKeys.length > 0) {
    logger.warn(
      { keys: secrets.ignoredRetiredKeys },
      'previous encryption keys retired by a rotation are ignored; remove them from PRYZM_PREVIOUS_ENCRYPTION_KEYS',
    );
  }
  for (const file of secrets.generatedFiles) {
    logger.warn({ file }, `generated ${file} (mode 0600); keep it safe and back it up`);
  }
  logger.info(
    secrets.sources,
    `admin token from ${secrets.sources.adminToken}; encryption key from ${secrets.sources.encryptionKey}`,
  );
  const database = await openDatabase(config.database);
  try {
    const { applied } = await database.migrate();
    if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
  } catch (error) {
    await database.close();
    throw error;
  }
  const work = new InFlightWork();
  let publicUrl = config.salesforce.publicUrl ?? '';
  const repositories = createRepositories(database.prisma);
  const workerId = `${hostname()}:${process.pid}`;
  const queue = await createJobQueue({
    database: config.database,
    unfinished: () => repositories.syncJobs.unfinished(),
    workerId,
    logger,
    stopTimeoutMs: config.shutdownTimeoutMs,
  });
  const services = createServices({
    repositories,
    queue,
    syncSettings: { ...config.sync, workerId },
    realtime: {
      enabled: config.realtime.enabled,
      pubSubEndpoint: config.realtime.pubSubEndpoint,
      ...(config.realtime.pubSubCaFile
        ? { pubSubCa: readFileSync(config.realtime.pubSubCaFile, 'utf8') }
        : {}),
      windowMs: config.realtime.windowMs,
      sweepIntervalMs: config.realtime.sweepIntervalMs,
      lingerMs: config.realtime.lingerMs,
      leaseTtlMs: config.realtime.leaseTtlMs,
      tickMs: config.realtime.leaseTickMs,
    },
    webhooks: config.webhooks,
    adminToken: secrets.adminToken,
    box: new SecretBox(secrets.encryptionKey, secrets.previousEncryptionKeys),
    settings: {
      productionLoginUrl: config.salesforce.productionLoginUrl,
      sandboxLoginUrl: config.salesforce.sandboxLoginUrl,
      localOrgUrls: config.salesforce.localOrgUrls,
      clientId: config.salesforce.clientId,
      clientSecret: config.salesforce.clientSecret,
      apiVersion: config.salesforce.apiVersion,
      publicUrl: () => publicUrl,
    },
    logger,
  });
  // On PostgreSQL several processes serve one database: event streams see every process's events.
  const relay =
    config.database.provider === 'postgresql'
      ? new PostgresEventRelay(database.prisma, config.database.url, services.events, logger)
      : undefined;
  await relay?.start();
  const metrics = new ServiceMetrics();
  metrics.readFiguresFrom(() => readMetricsSnapshot(database.prisma));
  const app = createApp({
    database,
    logger,
    services,
    secureCookies: () => publicUrl.startsWith('https:'),
    rateLimits: config.rateLimits,
    metrics,
    metricsToken: config.metrics.token,
    eventsHeartbeatMs: config.eventsHeartbeatMs,
  });
  const http = await listen(app, config.host, config.port).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const metricsListener = config.metrics.listener
    ? await listen(
        createMetricsApp({ logger, metrics }),
        config.metrics.listener.host,
        config.metrics.listener.port,
      ).catch(async (error: unknown) => {
        await http.close(0);
        await database.close();
        throw error;
      })
    : undefined;
  if (metricsListener) logger.info({ url: `${metricsListener.url}/metrics` }, 'metrics listener');
  // Without PUBLIC_URL the service is reached where it listens (the port may be ephemeral).
  publicUrl ||= http.url;
  // Until the console is first signed in to, every start prints a one-time sign-in link.
  if (!(await services.consoleSessions.hasAnySession())) {
    const link = await services.consoleSessions.createSignInLink();
    const url = signInUrl(publicUrl, link.secret);
    logger.info(
      { consoleSignIn: url, expiresAt: link.expiresAt },
      `Sign in to the console (one-time link): ${url}`,
    );
  }
  // Jobs queued before a stop, or running when the process died, resume from their checkpoints.
  await queue.start(services.syncJobs.run);
  const scheduler = new Scheduler(
    repositories,
    services.syncJobs,
    { tickMs: config.sync.schedulerTickMs, retentionDays: config.sync.retentionDays },
    logger,
    [services.access],
  );
  scheduler.start();
  // Subscriptions of connected connections (one process holds each, through a lease).
  services.realtime.start();
  // Pryzm changes on auto-push mappings (one process pushes each connection, through a lease).
  services.autoPush.start();
  // Webhook deliveries due (retries, and attempts a stopped process left) are sent again.
  services.webhookSender.start();
  let stopping: Promise<void> | undefined;
  return {
    url: http.url,
    metricsUrl: metricsListener?.url,
    database,
    repositories,
    work,
    stop() {
      stopping ??= (async () => {
        // Refuse new work at once; requests and work already running finish before the close.
        const drained = work.drain(config.shutdownTimeoutMs);
        // Event streams end now; they would otherwise hold the HTTP server open.
        services.events.close();
        await http.close(config.shutdownTimeoutMs);
        await metricsListener?.close(config.shutdownTimeoutMs);
        if (!(await drained)) {
          logger.warn(
            { pending: work.size, timeoutMs: config.shutdownTimeoutMs },
            'shutdown timeout reached: unfinished work is rolled back and redone on the next start',
          );
        }
        // Running jobs stop after their current page and resume on the next start. Each part
        // gets the shutdown timeout: one stuck on a lost database must not keep the process up.
        const parts: [string, () => Promise<void>][] = [
          ['real-time subscriptions', () => services.realtime.stop()],
          ['auto push', () => services.autoPush.stop()],
          ['webhook deliveries', () => services.webhookSender.stop()],
          ['event relay', async () => relay?.stop()],
          ['scheduler', () => scheduler.stop()],
          ['job queue', () => queue.stop()],
          ['API usage counter', () => services.connections.usage.flush()],
        ];
        for (const [name, stopPart] of parts) {
          if (!(await settlesWithin(stopPart(), config.shutdownTimeoutMs))) {
            logger.warn(
              { part: name, timeoutMs: config.shutdownTimeoutMs },
              `shutdown timeout reached: ${name} did not stop; closing the database anyway`,
            );
          }
        }
        await database.close();
      })();
      return stopping;
    },
  };
}

/** True when the promise settled (either way) within `ms`; false when the wait gave up. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  const settled = promise.then(
    () => true as const,
    () => true as const,
  );
  try {
    return await Promise.race([settled, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
