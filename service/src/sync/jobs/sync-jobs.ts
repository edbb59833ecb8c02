import type { ConnectionService } from '../../connections/connection-service.ts';
import type { EventBus } from '../../events/event-bus.ts';
import type { DescribeService } from '../../connections/describe-service.ts';
import type { Logger } from '../../logging/logger.ts';
import type { ObjectMapping } from '../../mapping/index.ts';
import type { MappingService } from '../../mappings/mapping-service.ts';
import { problem, type Outcome } from '../../outcome/problem.ts';
import { ok } from '../../outcome/result.ts';
import { SalesforceApiError } from '../../salesforce/client.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import { definitionOf } from '../../store/repositories/record-types.ts';
import {
  JobSupersededError,
  type JobKind,
  type JobStatus,
  type RecordResultRow,
  type SyncJobRow,
} from '../../store/repositories/sync-jobs.ts';
import { pullObject } from '../pull/pull-object.ts';
import { pushObject } from '../push/push-object.ts';
import { runDescribes } from './run-describes.ts';
import type { JobQueue } from './job-queue.ts';
import { JobRun } from './job-run.ts';

/** A sync job as the API shows it. */
export { JOB_KINDS, JOB_STATUSES } from '../../store/repositories/sync-jobs.ts';
export type SyncJob = Omit<SyncJobRow, 'workerId' | 'heartbeatAt' | 'attempts'>;
export type RecordResult = RecordResultRow;

/** The connection's API allowance is spent: the job waits and resumes by itself. */
export class AllowanceExhaustedError extends Error {
  override readonly name = 'AllowanceExhaustedError';
}

export interface SyncSettings {
  /** Records per Bulk API 2.0 results page: one API call each. */
  pageSize: number;
  /** Records per database transaction of a pull (a page commits in slices; default 10,000). */
  commitSize?: number;
  /** How often Bulk API 2.0 query jobs are polled at first (ms). */
  pollIntervalMs?: number;
  /** Names this process in the jobs it runs. */
  workerId: string;
  /** How long a job waiting for API allowance waits before it looks again. */
  allowanceRetryMs: number;
  /**
   * Records from which a batch push, or a pull's `Pryzm_ID__c` write-back, goes through one Bulk
   * API 2.0 ingest job instead of sObject Collections calls of 200 (0: never).
   */
  bulkIngestThreshold?: number;
}

export type StartRequest =
  { kind: 'pull'; mode: 'full' | 'incremental' } | { kind: 'push' } | { kind: 'sync' };

/**
 * Salesforce: "Any data operation that includes more than 2,000 records is a good candidate for
 * Bulk API 2.0" (https://developer.salesforce.com/docs/platform/api-asynch/guide/asynch-api-intro.html).
 */
export const DEFAULT_BULK_INGEST_THRESHOLD = 2_000;

/** What job events say of the job itself (its counts and status come from the run). */
const jobEventFields = (job: SyncJobRow) => ({
  id: job.id,
  connectionId: job.connectionId,
  kind: job.kind,
  mode: job.mode,
  startedBy: job.startedBy,
});

const pulls = (mapping: ObjectMapping) => mapping.direction !== 'push';
const pushes = (mapping: ObjectMapping) => mapping.direction !== 'pull';

/**
 * Sync jobs: starting, listing, cancelling and running them. A job is queued in the database
 * and delivered by the queue to one process, which claims it and runs it object by object in
 * pull order, committing each page with its checkpoint.
 */
export class SyncJobs {
  constructor(
    private readonly repositories: Pick<
      Repositories,
      'syncJobs' | 'syncPages' | 'syncPush' | 'syncDeletes' | 'syncIngestJobs' | 'recordTypes'
    >,
    private readonly connections: ConnectionService,
    private readonly mappings: MappingService,
    private readonly describes: DescribeService,
    private readonly queue: JobQueue,
    private readonly settings: SyncSettings,
    private readonly logger: Logger,
    /** Where progress, job ends and new conflicts are announced; none in unit tests. */
    private readonly events?: EventBus,
  ) {}

  async start(
    workspaceId: string,
    connectionId: string,
    request: StartRequest,
    startedBy: string,
  ): Promise<Outcome<SyncJob>> {
    const connection = await this.connections.get(workspaceId, connectionId);
    if (!connection.ok) return connection;
    if (connection.value.status !== 'active') {
      return problem(
        'conflict',
        'connection_not_active',
        `The connection is ${connection.value.status.replace(/_/g, ' ')}; only an active connection syncs`,
      );
    }
    const mappings = await this.mappings.list(workspaceId, connectionId);
    if (!mappings.ok) return mappings;
    const enabled = mappings.value.filter((row) => row.enabled).map((row) => row.mapping);
    const objects = (phase: 'pull' | 'push') =>
      request.kind !== 'sync' && request.kind !== phase
        ? []
        : enabled
            .filter(phase === 'pull' ? pulls : pushes)
            .map((mapping) => mapping.salesforceObject);
    const scope = { pull: objects('pull'), push: objects('push') };
    if (scope.pull.length + scope.push.length === 0) {
      return problem(
        'conflict',
        'no_mappings',
        `The connection has no enabled mapping that ${request.kind === 'push' ? 'pushes' : 'pulls'}`,
      );
    }
    const job = await this.repositories.syncJobs.create({
      workspaceId,
      connectionId,
      kind: request.kind,
      mode: request.kind === 'pull' ? request.mode : 'incremental',
      scope,
      startedBy,
    });
    await this.queue.enqueue(job);
    this.logger.info(
      { jobId: job.id, connectionId, kind: job.kind, mode: job.mode },
      'sync job queued',
    );
    return ok(job);
  }

  async get(workspaceId: string, id: string): Promise<Outcome<SyncJob>> {
    const job = await this.repositories.syncJobs.find(workspaceId, id);
    return job ? ok(job) : jobNotFound(id);
  }

  list(
    workspaceId: string,
    filter: { connectionId?: string; status?: JobStatus; kind?: JobKind },
    page: { limit: number; cursor?: string },
  ) {
    return this.repositories.syncJobs.list(workspaceId, filter, page);
  }

  async results(
    workspaceId: string,
    id: string,
    filter: { action?: string; salesforceObject?: string },
    page: { limit: number; cursor?: string },
  ): Promise<Outcome<{ results: RecordResult[]; nextCursor: string | null }>> {
    const job = await this.repositories.syncJobs.find(workspaceId, id);
    if (!job) return jobNotFound(id);
    return ok(await this.repositories.syncJobs.results(id, filter, page));
  }

  async cancel(workspaceId: string, id: string): Promise<Outcome<SyncJob>> {
    const job = await this.repositories.syncJobs.find(workspaceId, id);
    if (!job) return jobNotFound(id);
    const cancelled = await this.repositories.syncJobs.requestCancel(workspaceId, id);
    if (!cancelled) {
      return problem('conflict', 'job_finished', `Job ${id} is already ${job.status}`);
    }
    return ok(cancelled);
  }

  /** What the queue calls: claims the job, runs it, records how it ended. */
  readonly run = async (jobId: string, signal: AbortSignal): Promise<void> => {
    const job = await this.repositories.syncJobs.claim(jobId, this.settings.workerId);
    if (!job) {
      // Cancelled while it ran on a process that died since: nobody claims it; it ends here.
      if (await this.repositories.syncJobs.finishCancelled(jobId)) {
        this.logger.info({ jobId }, 'sync job cancelled');
      }
      return;
    }
    const run = new JobRun(job, signal, async () => {
      const allowance = await this.connections.allowance({ id: job.connectionId });
      if (allowance.exhausted) {
        throw new AllowanceExhaustedError(
          `The connection spent ${allowance.spentLast24Hours} of its ${allowance.budget} API requests (${allowance.percent}% of the org's daily ${allowance.limit}) in the last 24 hours`,
        );
      }
    });
    run.onProgress = () =>
      this.events?.publish('job.progress', job.workspaceId, {
        job: { ...jobEventFields(job), status: 'running', ...run.snapshot(), workerId: undefined },
      });
    let status: JobStatus = 'succeeded';
    let error: string | null = null;
    try {
      error = await this.execute(run);
      if (error) status = 'failed';
    } catch (thrown) {
      if (thrown instanceof JobSupersededError) {
        // The queue gave the job to another process (this one stalled): stop, write nothing.
        this.logger.warn({ jobId }, 'sync job taken over by another process');
        return;
      }
      if (signal.aborted) {
        // The process is stopping: the job stays running and resumes from its checkpoint.
        this.logger.info({ jobId }, 'sync job paused by shutdown; it resumes on the next start');
        return;
      }
      if (waitsForAllowance(thrown)) {
        // What the page committed stays; the job looks again later and carries on from there.
        await this.repositories.syncJobs.report(jobId, {
          ...run.snapshot(),
          status: 'waiting_for_allowance',
        });
        this.logger.warn(
          { jobId, retryInMs: this.settings.allowanceRetryMs, reason: (thrown as Error).message },
          'sync job waits for API allowance',
        );
        setTimeout(() => {
          void this.queue.enqueue(job);
        }, this.settings.allowanceRetryMs).unref();
        return;
      }
      status = 'failed';
      error = thrown instanceof Error ? thrown.message : String(thrown);
      this.logger.error({ err: thrown, jobId }, 'sync job failed');
    }
    if (status === 'succeeded' && run.cancelRequested) status = 'cancelled';
    else if (status === 'succeeded' && (run.counts.failed > 0 || run.counts.skipped > 0)) {
      status = 'partially_succeeded';
    }
    try {
      await this.repositories.syncJobs.finish(jobId, { status, error, ...run.snapshot() });
    } catch (thrown) {
      if (!(thrown instanceof JobSupersededError)) throw thrown;
      this.logger.warn({ jobId }, 'sync job taken over by another process');
      return;
    }
    this.logger.info(
      { jobId, status, counts: run.counts, apiCalls: run.apiCalls },
      `sync job ${status}`,
    );
    this.announceEnd(job, { status, error, counts: run.counts, apiCalls: run.apiCalls });
  };

  /**
   * `job.finished` or `job.failed` (each conflict was announced when its page committed,
   * sync-events.ts).
   */
  private announceEnd(
    job: SyncJobRow,
    end: {
      status: JobStatus;
      error: string | null;
      counts: SyncJobRow['counts'];
      apiCalls: number;
    },
  ): void {
    if (!this.events) return;
    const type = end.status === 'failed' ? 'job.failed' : 'job.finished';
    this.events.publish(type, job.workspaceId, { job: { ...jobEventFields(job), ...end } });
  }

  /** Runs a claimed job; answers why it failed, or null. */
  private async execute(run: JobRun): Promise<string | null> {
    const { job } = run;
    const connection = await this.connections.get(job.workspaceId, job.connectionId);
    if (!connection.ok) return connection.error.message;
    // Every run checks its mappings against the org as it is now (one describe per object).
    await run.checkAllowance();
    // The preflight's describes are the job's calls too (and the connection's, as every call).
    const prepared = await this.mappings.prepareRun(
      job.workspaceId,
      job.connectionId,
      run.recorder,
    );
    if (!prepared.ok) {
      // The preflight's describes hit the org's daily limit: wait like any other call would.
      if (prepared.error.details?.['salesforceErrorCode'] === 'REQUEST_LIMIT_EXCEEDED') {
        throw new SalesforceApiError('REQUEST_LIMIT_EXCEEDED', prepared.error.message);
      }
      return prepared.error.message;
    }
    const client = this.connections.client(connection.value, run.recorder);
    // Real-time windows are written by their subscriber and never run as queued jobs.
    const steps: ('pull' | 'push')[] =
      job.kind === 'sync' ? ['pull', 'push'] : job.kind === 'realtime' ? [] : [job.kind];
    for (const step of steps) {
      run.phase = step;
      for (const mapping of prepared.value) {
        if (!job.scope[step].includes(mapping.salesforceObject)) continue;
        if (!(step === 'pull' ? pulls(mapping) : pushes(mapping))) continue;
        const recordTypeRow = await this.repositories.recordTypes.findByKey(
          job.workspaceId,
          mapping.recordType,
        );
        if (!recordTypeRow) return `Record type ${mapping.recordType} no longer exists`;
        const recordType = { ...definitionOf(recordTypeRow), id: recordTypeRow.id };
        const describes = await runDescribes(this.describes, connection.value, mapping);
        if (!describes.ok) return describes.error.message;
        const common = {
          run,
          workspaceId: job.workspaceId,
          connectionId: job.connectionId,
          client,
          mapping,
          recordType,
          describe: describes.value.describe,
          bulkIngestThreshold: this.settings.bulkIngestThreshold ?? DEFAULT_BULK_INGEST_THRESHOLD,
          ...(this.settings.pollIntervalMs ? { pollIntervalMs: this.settings.pollIntervalMs } : {}),
        };
        if (step === 'pull') {
          await pullObject(this.repositories, {
            ...common,
            // "Sync now" pulls what changed; a pull job does what it was asked.
            mode: job.mode === 'full' ? 'full' : 'incremental',
            describeFor: describes.value.describeFor,
            pageSize: this.settings.pageSize,
            ...(this.settings.commitSize ? { commitSize: this.settings.commitSize } : {}),
          });
        } else {
          await pushObject(this.repositories, common);
        }
        if (run.cancelRequested) return null;
      }
    }
    return null;
  }
}

/** The org's or the connection's API allocation is spent for now. */
function waitsForAllowance(error: unknown): boolean {
  return (
    error instanceof AllowanceExhaustedError ||
    (error instanceof SalesforceApiError && error.errorCode === 'REQUEST_LIMIT_EXCEEDED')
  );
}

function jobNotFound(id: string) {
  return problem('not_found', 'job_not_found', `No sync job ${id}`);
}
