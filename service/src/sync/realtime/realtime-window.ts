/**
 * Real-time changes are recorded as jobs, one per time window (a minute by default): a
 * `realtime` job opens with the first batch of a window, every batch commits into it (per-record
 * and per-field results, counts, API calls), and it finishes when the window is over or the
 * subscription stops. A window its process left open (it died) is closed by the next holder.
 */
import type { ConnectionService } from '../../connections/connection-service.ts';
import type { SalesforceClient } from '../../salesforce/client.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import { JobSupersededError } from '../../store/repositories/sync-jobs.ts';
import { JobRun } from '../jobs/job-run.ts';

export class RealtimeWindow {
  private run: JobRun | undefined;
  private client: SalesforceClient | undefined;
  private openedAt = 0;
  private readonly abort = new AbortController();

  constructor(
    private readonly repositories: Pick<Repositories, 'syncJobs'>,
    private readonly connections: ConnectionService,
    private readonly connection: { id: string; workspaceId: string },
    private readonly workerId: string,
    private readonly windowMs: number,
    private readonly objects: () => string[],
  ) {}

  /** The window's job and a Salesforce client that charges its calls to it. */
  async current(): Promise<{ run: JobRun; client: SalesforceClient }> {
    if (this.run && Date.now() - this.openedAt >= this.windowMs) await this.close();
    if (!this.run || !this.client) {
      const created = await this.repositories.syncJobs.create({
        workspaceId: this.connection.workspaceId,
        connectionId: this.connection.id,
        kind: 'realtime',
        mode: 'window',
        scope: { pull: this.objects(), push: [] },
        startedBy: 'realtime',
      });
      const job = await this.repositories.syncJobs.claim(created.id, this.workerId);
      if (!job) throw new Error(`Could not open the real-time job ${created.id}`);
      this.run = new JobRun(job, this.abort.signal);
      this.run.phase = 'pull';
      this.client = this.connections.client({ id: this.connection.id }, this.run.recorder);
      this.openedAt = Date.now();
    }
    return { run: this.run, client: this.client };
  }

  /** Finishes the window's job once its time is over (called between batches). */
  async closeIfDue(): Promise<void> {
    if (this.run && Date.now() - this.openedAt >= this.windowMs) await this.close();
  }

  /** Finishes the window's job (succeeded, or partially when records failed or were skipped). */
  async close(): Promise<void> {
    const run = this.run;
    this.run = undefined;
    this.client = undefined;
    if (!run) return;
    const status =
      run.counts.failed > 0 || run.counts.skipped > 0 ? 'partially_succeeded' : 'succeeded';
    try {
      await this.repositories.syncJobs.finish(run.job.id, { status, ...run.snapshot() });
    } catch (error) {
      // Another holder closed it (this process lost the subscription): nothing more to write.
      if (!(error instanceof JobSupersededError)) throw error;
    }
  }
}
