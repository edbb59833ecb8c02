import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { EventBus, PryzmEvent } from '../events/event-bus.ts';
import type { Logger } from '../logging/logger.ts';
import type { PrismaClient } from './database.ts';

/** Where a process says a batch of its events is in RelayedEventBatch: `<origin> <row id>`. */
const EVENTS_CHANNEL = 'pryzm_events';
/** Where a process says it has an event stream open on a workspace: `<origin> <workspace id>`. */
const INTEREST_CHANNEL = 'pryzm_event_interest';

export interface EventRelaySettings {
  /** How often a process repeats which workspaces it streams (another forgets it after 3x). */
  announceMs: number;
  /** How long a relayed batch stays in the table (a late reader still finds it). */
  keepMs: number;
  /** Wait before listening again after the connection was lost. */
  reconnectMs: number;
}

const DEFAULTS: EventRelaySettings = { announceMs: 10_000, keepMs: 5 * 60_000, reconnectMs: 1_000 };

/**
 * Carries events between service processes on one PostgreSQL database, so an event stream on
 * one process sees what any process published (a job runs where the queue delivered it; a
 * real-time subscription lives where its lease is). PostgreSQL's LISTEN/NOTIFY wakes the other
 * processes at once without polling; a notification's payload is limited to 8000 bytes and is
 * delivered only when the transaction that sent it commits
 * (https://www.postgresql.org/docs/current/sql-notify.html), so a batch (a sync page's record
 * events can be megabytes) is written to `RelayedEventBatch` and the notification names its
 * row, in the same statement.
 *
 * Only workspaces some other process streams are relayed: a process with an open stream on a
 * workspace says so on a second channel (at once, then every `announceMs`), so a pull nobody
 * watches writes nothing here. A process that was not listening when a batch was announced
 * (restarting, connection lost) misses it: streams are live views, and job state, records and
 * webhook deliveries never depend on the relay.
 */
export class PostgresEventRelay {
  private readonly settings: EventRelaySettings;
  /** This process, unique even for several services in one Node process (tests). */
  private readonly origin = `${randomUUID()}`;
  private readonly watchedElsewhere = new Map<string, number>();
  private announced = new Set<string>();
  private lastAnnounceAll = 0;
  private client: pg.Client | null = null;
  private writes: Promise<void> = Promise.resolve();
  private reads: Promise<void> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | null = null;
  private stopWatching: (() => void) | null = null;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly databaseUrl: string,
    private readonly bus: EventBus,
    private readonly logger: Logger,
    settings: Partial<EventRelaySettings> = {},
  ) {
    this.settings = { ...DEFAULTS, ...settings };
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.unsubscribe = this.bus.subscribe((events) => this.send(events), {
      origin: 'local',
      wants: (workspaceId) => this.isWatchedElsewhere(workspaceId),
    });
    this.stopWatching = this.bus.onWatch(() => void this.announce());
    await this.listen();
    this.timers.push(
      setInterval(() => void this.announce(), Math.min(1_000, this.settings.announceMs)),
      setInterval(() => void this.prune(), Math.min(60_000, this.settings.keepMs)),
    );
    for (const timer of this.timers) timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.stopWatching?.();
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.writes;
    await this.reads;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private isWatchedElsewhere(workspaceId: string): boolean {
    const seen = this.watchedElsewhere.get(workspaceId);
    return seen !== undefined && Date.now() - seen < this.settings.announceMs * 3;
  }

  /** Writes the batch and notifies its id in one statement (one implicit transaction). */
  private send(events: readonly PryzmEvent[]): void {
    const relayed = events.filter((event) => this.isWatchedElsewhere(event.workspaceId));
    if (relayed.length === 0 || this.stopped) return;
    const id = randomUUID();
    const json = JSON.stringify(relayed);
    this.writes = this.writes
      .then(async () => {
        await this.prisma.$executeRaw`
          WITH batch AS (
            INSERT INTO "RelayedEventBatch" ("id", "origin", "events")
            VALUES (${id}, ${this.origin}, ${json})
            RETURNING "id"
          )
          SELECT pg_notify(${EVENTS_CHANNEL}, ${this.origin} || ' ' || "id") FROM batch`;
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'relaying events failed'));
  }

  private async listen(): Promise<void> {
    // The driver loads here, on PostgreSQL only: a SQLite service never relays events.
    const { Client } = (await import('pg')).default;
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('notification', (message) => this.received(message.channel, message.payload ?? ''));
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'event relay connection lost; listening again');
      if (this.client === client) this.client = null;
      void client.end().catch(() => undefined);
      if (!this.stopped) {
        setTimeout(
          () => void this.listen().catch(() => undefined),
          this.settings.reconnectMs,
        ).unref();
      }
    });
    await client.connect();
    await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    await client.query(`LISTEN ${INTEREST_CHANNEL}`);
    if (this.stopped) {
      await client.end();
      return;
    }
    this.client = client;
    // A new connection says again what this process streams.
    this.announced = new Set();
    await this.announce();
  }

  private received(channel: string, payload: string): void {
    const space = payload.indexOf(' ');
    const origin = payload.slice(0, space);
    const subject = payload.slice(space + 1);
    if (space < 0 || origin === this.origin) return;
    if (channel === INTEREST_CHANNEL) {
      this.watchedElsewhere.set(subject, Date.now());
      return;
    }
    // Read in the order the notifications came (PostgreSQL sends them in commit order).
    this.reads = this.reads
      .then(async () => {
        const batch = await this.prisma.relayedEventBatch.findUnique({ where: { id: subject } });
        if (batch && !this.stopped)
          this.bus.deliverRemote(JSON.parse(batch.events) as PryzmEvent[]);
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'reading relayed events failed'));
  }

  /** Says which workspaces this process streams: new ones at once, all of them now and then. */
  private async announce(): Promise<void> {
    const client = this.client;
    if (!client || this.stopped) return;
    const watched = this.bus.watchedWorkspaces();
    const everything = Date.now() - this.lastAnnounceAll >= this.settings.announceMs;
    const toAnnounce = [...watched].filter((id) => everything || !this.announced.has(id));
    if (everything) this.lastAnnounceAll = Date.now();
    this.announced = watched;
    try {
      for (const workspaceId of toAnnounce) {
        await client.query('SELECT pg_notify($1, $2)', [
          INTEREST_CHANNEL,
          `${this.origin} ${workspaceId}`,
        ]);
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'announcing event streams failed');
    }
  }

  private async prune(): Promise<void> {
    try {
      await this.prisma.relayedEventBatch.deleteMany({
        where: { createdAt: { lt: new Date(Date.now() - this.settings.keepMs) } },
      });
    } catch (error) {
      this.logger.warn({ err: error }, 'removing old relayed events failed');
    }
  }
}
