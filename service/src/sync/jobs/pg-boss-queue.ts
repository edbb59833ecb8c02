import { hostname } from 'node:os';
import { PgBoss, type Job } from 'pg-boss';
import type { Logger } from '../../logging/logger.ts';
import type { JobHandler, JobQueue } from './job-queue.ts';

/** The pg-boss queue every service process on the database works from. */
export const SYNC_QUEUE = 'pryzm-sync-jobs';
/** pg-boss keeps its tables in a schema of its own, created by the first process that starts. */
export const PG_BOSS_SCHEMA = 'pgboss';

/** What a pg-boss job carries: our job's id, and its connection (also its singleton key). */
interface Delivery {
  jobId: string;
  connectionId: string;
}

/** An unfinished job of our table; `workerId` (`host:pid`) names the process that last ran it. */
export interface UnfinishedJob {
  id: string;
  connectionId: string;
  workerId?: string | null;
}

/**
 * How fast a job held by a dead process moves on. A running job's worker refreshes its
 * heartbeat every `heartbeatSeconds / 2`; the supervisor of every live process (each
 * `superviseSeconds`) fails a job whose heartbeat is older than `heartbeatSeconds` (pg-boss's
 * minimum is 10), and pg-boss retries it on a live process: about 6 to 20 seconds after a kill.
 */
export interface PgBossTimings {
  heartbeatSeconds: number;
  superviseSeconds: number;
  pollingSeconds: number;
}

export const DEFAULT_TIMINGS: PgBossTimings = {
  heartbeatSeconds: 10,
  superviseSeconds: 5,
  pollingSeconds: 1,
};

export interface PgBossQueueOptions {
  connectionString: string;
  /** Jobs our table lists as unfinished, oldest first. */
  unfinished: () => Promise<UnfinishedJob[]>;
  /** How this process names itself in the jobs it runs (`host:pid`). */
  workerId: string;
  logger: Logger;
  /** How long a stop waits for running handlers to return before pg-boss fails them. */
  stopTimeoutMs: number;
  /** Jobs of different connections one process runs side by side. */
  concurrency?: number;
  timings?: PgBossTimings;
}

/** pg-boss states in which a job will still be (or is being) delivered. */
const LIVE_STATES = new Set(['created', 'retry', 'active']);

/**
 * The queue of several service processes sharing one PostgreSQL database, on pg-boss. One
 * queue, `singleton` policy keyed by connection: at most one job per connection is active across
 * every process (a unique index in pg-boss's table), the others wait. Our jobs table stays the
 * record of progress; a pg-boss job only says "run job X now", and running it twice is harmless
 * (the handler claims our row and resumes from its checkpoints; a finished job is a no-op).
 *
 * - A process that dies stops refreshing its job's heartbeat; the supervisor of any live process
 *   fails it after `heartbeatSeconds` and pg-boss retries it, so another process resumes it.
 * - A graceful stop aborts running handlers through their signal; the handler then throws, so
 *   pg-boss records a failed attempt and retries the job (on another process, or on this one's
 *   next start) instead of completing it.
 * - On start, every unfinished job of our table that pg-boss will not deliver (its send failed,
 *   its retries ran out) is sent again; and one still held by a process of this host that no
 *   longer exists (a restart after a crash) is taken back at once instead of after its heartbeat.
 */
export class PgBossQueue implements JobQueue {
  readonly name = 'pg-boss';
  private readonly boss: PgBoss;
  private readonly controller = new AbortController();
  private readonly timings: PgBossTimings;
  private readonly workerIds: string[] = [];
  private started = false;
  private stopping = false;

  constructor(private readonly options: PgBossQueueOptions) {
    this.timings = options.timings ?? DEFAULT_TIMINGS;
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: PG_BOSS_SCHEMA,
      application_name: 'pryzm-sync-jobs',
      max: 4,
      superviseIntervalSeconds: this.timings.superviseSeconds,
      monitorIntervalSeconds: this.timings.superviseSeconds,
    });
    this.boss.on('error', (error) => {
      options.logger.error({ err: error }, 'job queue (pg-boss) error');
    });
  }

  async start(handler: JobHandler): Promise<void> {
    await this.boss.start();
    this.started = true;
    await this.boss.createQueue(SYNC_QUEUE, {
      policy: 'singleton',
      heartbeatSeconds: this.timings.heartbeatSeconds,
      // A long pull is bounded by its heartbeat, not by a run time: pg-boss's longest (24 h).
      expireInSeconds: 24 * 60 * 60,
      // Each stop or crash spends one retry; the backoff keeps a job that cannot run from spinning.
      retryLimit: 50,
      retryDelay: 1,
      retryBackoff: true,
      retryDelayMax: 60,
      deleteAfterSeconds: 24 * 60 * 60,
    });
    // Before any worker runs: an active delivery named for this process is then a dead one's.
    await this.redeliverUnfinished();
    // One worker per job this process runs at a time, each woken on its own by `enqueue`.
    for (let i = 0; i < (this.options.concurrency ?? 4); i += 1) {
      const workerId = await this.boss.work<Delivery>(
        SYNC_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: this.timings.pollingSeconds },
        async ([job]) => {
          if (job) await this.deliver(handler, job);
        },
      );
      this.workerIds.push(workerId);
    }
  }

  async enqueue(job: UnfinishedJob): Promise<void> {
    if (!this.started || this.stopping) return;
    try {
      await this.send(job);
    } catch (error) {
      // The row stays queued in our table; the next start of any process sends it again.
      this.options.logger.error(
        { err: error, jobId: job.id },
        'sync job could not be handed to the queue; it is sent again on the next start',
      );
    }
  }

  async stop(): Promise<void> {
    if (!this.started || this.stopping) return;
    this.stopping = true;
    // Fetch nothing more, then ask running handlers to return: each job stays `running` in our
    // table and its failed attempt makes pg-boss deliver it again.
    await this.boss.offWork(SYNC_QUEUE, { wait: false }).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'job queue: stopping the workers failed');
    });
    this.controller.abort(new Error('the service is stopping'));
    await this.boss.stop({ graceful: true, timeout: this.options.stopTimeoutMs });
  }

  private async send(job: UnfinishedJob): Promise<void> {
    const delivery: Delivery = { jobId: job.id, connectionId: job.connectionId };
    await this.boss.send(SYNC_QUEUE, delivery, { singletonKey: job.connectionId });
    // An idle worker of this process fetches it now rather than at its next poll.
    for (const workerId of this.workerIds) this.boss.notifyWorker(workerId);
  }

  private async deliver(handler: JobHandler, job: Job<Delivery>): Promise<void> {
    if (this.stopping) throw new Error('the service is stopping; the job is delivered again');
    // pg-boss aborts the job's own signal when this process lost it (a stale heartbeat).
    const signal = AbortSignal.any([this.controller.signal, job.signal]);
    await handler(job.data.jobId, signal);
    if (signal.aborted) {
      // The handler stopped at a checkpoint without finishing: failing the attempt retries it.
      throw new Error(`sync job ${job.data.jobId} was interrupted; it resumes from its checkpoint`);
    }
  }

  /** Sends again every unfinished job of ours that pg-boss would otherwise not deliver soon. */
  private async redeliverUnfinished(): Promise<void> {
    for (const job of await this.options.unfinished()) {
      const live = (
        await this.boss.findJobs<Delivery>(SYNC_QUEUE, { data: { jobId: job.id } })
      ).filter((delivery) => LIVE_STATES.has(delivery.state));
      const held = live.filter((delivery) => delivery.state === 'active');
      if (held.length > 0 && this.heldByDeadProcess(job.workerId)) {
        // Its heartbeat would free it within seconds; a restart on the same host need not wait.
        await this.boss.cancel(
          SYNC_QUEUE,
          held.map((delivery) => delivery.id),
        );
        if (live.length > held.length) continue;
      } else if (live.length > 0) {
        continue;
      }
      this.options.logger.info({ jobId: job.id }, 'unfinished sync job sent to the queue again');
      await this.send(job);
    }
  }

  /**
   * Whether `workerId` names a process of this host that is gone: this process's own name (a
   * restarted container keeps its host name and pid) or a pid no process has any more. Other
   * hosts' processes are left to their heartbeat.
   */
  private heldByDeadProcess(workerId: string | null | undefined): boolean {
    if (!workerId) return false;
    if (workerId === this.options.workerId) return true;
    const separator = workerId.lastIndexOf(':');
    const pid = Number(workerId.slice(separator + 1));
    if (workerId.slice(0, separator) !== hostname() || !Number.isInteger(pid) || pid <= 0) {
      return false;
    }
    try {
      process.kill(pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }
}
