import type { DatabaseConfig } from '../../config/env.ts';
import type { Logger } from '../../logging/logger.ts';
import { InProcessQueue } from './in-process-queue.ts';
import type { JobQueue } from './job-queue.ts';
import type { UnfinishedJob } from './pg-boss-queue.ts';

export interface QueueOptions {
  database: DatabaseConfig;
  /** Jobs the database lists as unfinished, oldest first: what a start delivers again. */
  unfinished: () => Promise<UnfinishedJob[]>;
  /** How this process names itself in the jobs it runs (`host:pid`). */
  workerId: string;
  logger: Logger;
  /** How long a stop waits for running jobs to reach a checkpoint. */
  stopTimeoutMs: number;
}

/**
 * The queue for the database: SQLite has one service process, which runs its jobs in process;
 * on PostgreSQL every process shares the jobs through pg-boss, in the same database (loaded only
 * then: pg-boss and its driver are about 15 MB of memory a SQLite service does not need).
 */
export async function createJobQueue(options: QueueOptions): Promise<JobQueue> {
  if (options.database.provider === 'sqlite') {
    return new InProcessQueue(options.unfinished, options.logger);
  }
  const { PgBossQueue } = await import('./pg-boss-queue.ts');
  return new PgBossQueue({
    connectionString: options.database.url,
    unfinished: options.unfinished,
    workerId: options.workerId,
    logger: options.logger,
    stopTimeoutMs: options.stopTimeoutMs,
  });
}
