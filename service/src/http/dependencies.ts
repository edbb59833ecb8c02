import type { RateLimitConfig } from '../config/env.ts';
import type { Logger } from '../logging/logger.ts';
import type { ServiceMetrics } from '../metrics/service-metrics.ts';
import type { Services } from '../services.ts';
import type { DatabaseProbe } from './health/readyz.ts';

/** What the HTTP layer is built from: the use cases, the database probe and a logger. */
export interface AppDependencies {
  database: DatabaseProbe;
  logger: Logger;
  services: Services;
  /** Whether cookies get the Secure flag (the service is reached over https). */
  secureCookies: () => boolean;
  /** Per-token and per-IP request limits; none when left out. */
  rateLimits?: RateLimitConfig;
  /** The service's Prometheus registry (latencies are timed when present). */
  metrics?: ServiceMetrics;
  /** Serves `/metrics` on the API's port behind this bearer token. */
  metricsToken?: string;
  /** How often an event stream writes a heartbeat comment (15 s when left out). */
  eventsHeartbeatMs?: number;
}
