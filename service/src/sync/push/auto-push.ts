/**
 * Pryzm → Salesforce auto push of every connection with an auto-push mapping: this process takes
 * the auto push lease of each such connection it can (a row per connection, taken with one
 * conditional UPDATE and renewed every few seconds, as real-time subscriptions are), runs its
 * pusher while it holds it and lets go on stop. When a process dies its leases run out and
 * another process takes them over, carrying on from the stored cursors. Works the same on SQLite
 * and PostgreSQL; the pusher finds changes in the database (polled every 250 ms by default),
 * whichever process wrote them: an API or console save, a CSV import, a script.
 */
import {
  ConnectionAutoPush,
  DEFAULT_AUTO_PUSH_SETTINGS,
  type AutoPushDeps,
  type AutoPushSettings,
} from './auto-push-connection.ts';

export { DEFAULT_AUTO_PUSH_SETTINGS, type AutoPushSettings };

export class AutoPush {
  private readonly held = new Map<string, ConnectionAutoPush>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopping = false;

  constructor(
    private readonly deps: AutoPushDeps,
    private readonly enabled: boolean,
  ) {}

  start(): void {
    if (!this.enabled || this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.deps.settings.tickMs);
    this.timer.unref();
  }

  /** Looks at the connections now (a mapping's auto push was just turned on) rather than later. */
  tick(): Promise<void> {
    if (!this.enabled || this.stopping) return Promise.resolve();
    this.ticking ??= this.look().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.ticking?.catch(() => {});
    await Promise.all([...this.held.keys()].map((id) => this.drop(id, true)));
  }

  private async look(): Promise<void> {
    const { repositories, workerId, settings, logger } = this.deps;
    try {
      const wanted = await repositories.autoPush.connectionsToPush();
      const wantedIds = new Set(wanted.map((c) => c.id));
      for (const id of [...this.held.keys()]) {
        if (wantedIds.has(id)) continue;
        // Auto push was turned off: turned on again, it starts from that save.
        await this.drop(id, false);
        await repositories.autoPush.keepCursors(id, workerId, []);
        await repositories.autoPush.release(id, workerId);
      }
      for (const entry of wanted) {
        if (this.stopping) return;
        const mine = await repositories.autoPush.acquire(
          entry.id,
          workerId,
          settings.leaseTtlMs,
          (holder) => deadOnThisHost(holder, workerId),
        );
        if (!mine) {
          if (this.held.has(entry.id)) {
            logger.warn({ connectionId: entry.id }, 'auto push taken over elsewhere');
            await this.drop(entry.id, false);
          }
          continue;
        }
        if (this.held.has(entry.id)) continue;
        const connection = await repositories.connections.findById(entry.id);
        if (!connection) continue;
        await repositories.autoPush.closeOrphanWindows(entry.id, workerId);
        const pusher = new ConnectionAutoPush(this.deps, connection);
        this.held.set(entry.id, pusher);
        pusher.start();
        logger.info({ connectionId: entry.id }, 'auto push started');
      }
    } catch (error) {
      logger.error({ err: error }, 'auto push could not look at its connections');
    }
  }

  /** Stops the connection's pusher; `release` gives the lease up for another process. */
  private async drop(connectionId: string, release: boolean): Promise<void> {
    const pusher = this.held.get(connectionId);
    this.held.delete(connectionId);
    await pusher?.stop().catch(() => {});
    if (release) await this.deps.repositories.autoPush.release(connectionId, this.deps.workerId);
  }
}

/**
 * A holder named `host:pid` on this host whose process no longer exists (killed, crashed): a
 * restarted service takes its connections back at once instead of waiting out the lease.
 */
function deadOnThisHost(holder: string, workerId: string): boolean {
  const host = holder.slice(0, holder.lastIndexOf(':'));
  const pid = Number(holder.split(':').pop());
  const myHost = workerId.slice(0, workerId.lastIndexOf(':'));
  if (host !== myHost || !Number.isInteger(pid) || pid <= 0 || holder === workerId) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
