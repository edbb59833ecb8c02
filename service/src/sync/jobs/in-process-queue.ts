import type { Logger } from '../../logging/logger.ts';
import type { JobHandler, JobQueue } from './job-queue.ts';

/**
 * The queue of a single service process (SQLite): jobs of one connection run one after another,
 * jobs of different connections side by side. Nothing is kept only in memory: on start, every
 * job the database lists as unfinished (queued, or running when the process died) is delivered
 * again.
 */
export class InProcessQueue implements JobQueue {
  readonly name = 'in-process';
  private handler: JobHandler | undefined;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly controller = new AbortController();
  private stopped = false;

  constructor(
    private readonly unfinished: () => Promise<{ id: string; connectionId: string }[]>,
    private readonly logger: Logger,
  ) {}

  async start(handler: JobHandler): Promise<void> {
    this.handler = handler;
    for (const job of await this.unfinished()) await this.enqueue(job);
  }

  async enqueue(job: { id: string; connectionId: string }): Promise<void> {
    if (this.stopped || !this.handler) return;
    const handler = this.handler;
    const previous = this.chains.get(job.connectionId) ?? Promise.resolve();
    const next = previous.then(async () => {
      if (this.stopped) return;
      try {
        await handler(job.id, this.controller.signal);
      } catch (error) {
        this.logger.error({ err: error, jobId: job.id }, 'sync job failed to run');
      }
    });
    this.chains.set(job.connectionId, next);
    void next.finally(() => {
      if (this.chains.get(job.connectionId) === next) this.chains.delete(job.connectionId);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.controller.abort(new Error('the service is stopping'));
    await Promise.allSettled([...this.chains.values()]);
  }
}
