import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The database figures a scrape reports (see store/repositories/metrics-snapshot.ts). */
export interface MetricsFigures {
  jobsByStatus: { kind: string; status: string; count: number }[];
  recordsSynced: { connectionId: string; action: string; count: number }[];
  connections: { connectionId: string; workspaceId: string; apiCalls: number; authCalls: number }[];
  subscribers: {
    connectionId: string;
    state: string;
    eventsApplied: number;
    lagMs: number | null;
  }[];
}

/** States a real-time subscriber reports (RealtimeLease.state). */
const SUBSCRIBER_STATES = [
  'starting',
  'connecting',
  'live',
  'reconnecting',
  'reconciling',
  'paused',
  'stopped',
  'failed',
];

/**
 * The service's Prometheus metrics, one registry per running service. Figures kept in the
 * database (jobs, records, API calls, subscribers) are read on each scrape, so every process on
 * a shared PostgreSQL database reports the same totals; HTTP latencies are this process's own.
 * Other parts add their own metrics to `registry` (`new Gauge({ ..., registers: [registry] })`).
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly rateLimited: Counter<'limit'>;
  private figures: (() => Promise<MetricsFigures>) | undefined;
  private scrape: Promise<MetricsFigures> | undefined;

  constructor() {
    const registers = [this.registry];
    this.httpRequestDuration = new Histogram({
      name: 'pryzm_http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.rateLimited = new Counter({
      name: 'pryzm_http_rate_limited_total',
      help: 'Requests answered 429 by a rate limit',
      labelNames: ['limit'],
      registers,
    });
    const figures = () => this.currentFigures();
    new Gauge({
      name: 'pryzm_sync_jobs',
      help: 'Sync jobs kept in the database, by kind and status',
      labelNames: ['kind', 'status'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await figures()).jobsByStatus) {
          this.set({ kind: row.kind, status: row.status }, row.count);
        }
      },
    });
    new Gauge({
      name: 'pryzm_records_synced',
      help: 'Records written by finished sync jobs still kept, by connection and action',
      labelNames: ['connection_id', 'action'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await figures()).recordsSynced) {
          this.set({ connection_id: row.connectionId, action: row.action }, row.count);
        }
      },
    });
    new Gauge({
      name: 'pryzm_salesforce_api_calls',
      help: 'Salesforce requests made per connection (kind api: counted against the org allowance; auth: OAuth)',
      labelNames: ['connection_id', 'workspace_id', 'kind'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await figures()).connections) {
          const labels = { connection_id: row.connectionId, workspace_id: row.workspaceId };
          this.set({ ...labels, kind: 'api' }, row.apiCalls);
          this.set({ ...labels, kind: 'auth' }, row.authCalls);
        }
      },
    });
    new Gauge({
      name: 'pryzm_realtime_subscribers',
      help: 'Real-time subscriptions by state (one per connection)',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        const counts = new Map(SUBSCRIBER_STATES.map((state) => [state, 0]));
        for (const row of (await figures()).subscribers) {
          counts.set(row.state, (counts.get(row.state) ?? 0) + 1);
        }
        for (const [state, count] of counts) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'pryzm_realtime_lag_seconds',
      help: 'Publish-to-commit time of the newest real-time event applied, per connection',
      labelNames: ['connection_id'],
      registers,
      async collect() {
        this.reset();
        for (const row of (await figures()).subscribers) {
          if (row.lagMs !== null) this.set({ connection_id: row.connectionId }, row.lagMs / 1000);
        }
      },
    });
  }

  /** Where scrapes read the database figures from (set once the store is open). */
  readFiguresFrom(source: () => Promise<MetricsFigures>): void {
    this.figures = source;
  }

  countRateLimited(limit: 'api' | 'auth'): void {
    this.rateLimited.inc({ limit });
  }

  /** The exposition text; the database is read once per scrape, however many gauges use it. */
  async render(): Promise<string> {
    this.scrape = undefined;
    try {
      return await this.registry.metrics();
    } finally {
      this.scrape = undefined;
    }
  }

  private currentFigures(): Promise<MetricsFigures> {
    this.scrape ??= this.figures
      ? this.figures()
      : Promise.resolve({ jobsByStatus: [], recordsSynced: [], connections: [], subscribers: [] });
    return this.scrape;
  }
}
