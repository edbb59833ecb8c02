import type { Logger } from '../../logging/logger.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import type { SyncJobs } from './sync-jobs.ts';

export interface SchedulerSettings {
  /** How often the schedules are looked at (ms). */
  tickMs: number;
  /** Finished jobs (and their results) older than this many days are deleted. */
  retentionDays: number;
}

/**
 * Runs what mappings schedule: a connection whose enabled mappings have an `interval` schedule
 * gets a "Sync now" job (incremental pull, then push) every that many minutes (the shortest of
 * its mappings), unless a job of it is queued or running. Also deletes history past retention.
 * The jobs table is the schedule's memory: after a restart the next tick finds what is due.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly repositories: Pick<Repositories, 'mappings' | 'syncJobs'>,
    private readonly jobs: SyncJobs,
    private readonly settings: SchedulerSettings,
    private readonly logger: Logger,
    /** Other schedules looked at on each tick (access governance pulls, every 24 hours by default). */
    private readonly alsoDue: readonly { tick(now: Date): Promise<unknown> }[] = [],
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error({ err: error }, 'scheduler tick failed'))
        .finally(() => (this.running = undefined));
    }, this.settings.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One look at every schedule; answers the connections a job was queued for. */
  async tick(now = new Date()): Promise<string[]> {
    const queued: string[] = [];
    for (const schedule of await this.repositories.mappings.intervalSchedules()) {
      const { connectionId } = schedule;
      if (await this.repositories.syncJobs.hasActive(connectionId)) continue;
      const last = await this.repositories.syncJobs.lastQueuedAt(connectionId);
      if (last && now.getTime() - last.getTime() < schedule.minutes * 60_000) continue;
      const started = await this.jobs.start(
        schedule.workspaceId,
        connectionId,
        { kind: 'sync' },
        'schedule',
      );
      if (started.ok) queued.push(connectionId);
      else this.logger.warn({ connectionId, problem: started.error }, 'scheduled sync not started');
    }
    for (const other of this.alsoDue) {
      await other
        .tick(now)
        .catch((error: unknown) => this.logger.error({ err: error }, 'scheduled work failed'));
    }
    const pruned = await this.repositories.syncJobs.prune(
      new Date(now.getTime() - this.settings.retentionDays * 24 * 3_600_000),
    );
    if (pruned > 0) this.logger.info({ pruned }, 'old sync jobs deleted (retention)');
    return queued;
  }
}
