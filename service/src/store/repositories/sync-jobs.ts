import type { PrismaClient } from '../database.ts';
import type { TransactionClient } from './transaction.ts';

/** `sync` is "Sync now": an incremental pull, then a push of what changed in Pryzm. */
export const JOB_KINDS = ['pull', 'push', 'sync', 'realtime'] as const;
export type JobKind = (typeof JOB_KINDS)[number];
/**
 * `window`: a real-time job, the changes applied from events within one time window; `auto`: a
 * push job of the Pryzm changes auto push sent within one time window.
 */
export type JobMode = 'full' | 'incremental' | 'records' | 'window' | 'auto';
export const JOB_STATUSES = [
  'queued',
  'running',
  'waiting_for_allowance',
  'succeeded',
  'partially_succeeded',
  'failed',
  'cancelled',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINISHED_STATUSES: readonly JobStatus[] = [
  'succeeded',
  'partially_succeeded',
  'failed',
  'cancelled',
];

/** What a job did, record by record, added up. */
export type JobCounts = {
  created: number;
  updated: number;
  deleted: number;
  linked: number;
  unchanged: number;
  skipped: number;
  failed: number;
  conflicts: number;
};

export const emptyCounts = (): JobCounts => ({
  created: 0,
  updated: 0,
  deleted: 0,
  linked: 0,
  unchanged: 0,
  skipped: 0,
  failed: 0,
  conflicts: 0,
});

/** One object's progress within a job. */
export type ObjectProgress = {
  salesforceObject: string;
  /** Which way this entry moves records (a `sync` job has one entry per object and way). */
  phase: 'pull' | 'push';
  total: number | null;
  processed: number;
  counts: JobCounts;
  startedAt: string | null;
  finishedAt: string | null;
};

export interface SyncJobRow {
  id: string;
  workspaceId: string;
  connectionId: string;
  kind: JobKind;
  mode: JobMode;
  status: JobStatus;
  /** The objects each way covers, in run order (parents first); a record push names its record. */
  scope: { pull: string[]; push: string[]; recordIds?: string[] };
  progress: ObjectProgress[];
  counts: JobCounts;
  apiCalls: number;
  error: string | null;
  startedBy: string;
  cancelRequested: boolean;
  attempts: number;
  workerId: string | null;
  heartbeatAt: Date | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

type StoredJob = Omit<SyncJobRow, 'kind' | 'mode' | 'status' | 'scope' | 'progress' | 'counts'> & {
  kind: string;
  mode: string;
  status: string;
  scope: unknown;
  progress: unknown;
  counts: unknown;
};

const toRow = (stored: StoredJob): SyncJobRow => ({
  ...stored,
  kind: stored.kind as JobKind,
  mode: stored.mode as JobMode,
  status: stored.status as JobStatus,
  scope: stored.scope as SyncJobRow['scope'],
  progress: stored.progress as ObjectProgress[],
  counts: stored.counts as JobCounts,
});

export interface CheckpointRow {
  salesforceObject: string;
  bulkJobId: string | null;
  nextLocator: string | null;
  done: boolean;
  processed: number;
  total: number | null;
  maxModstamp: string | null;
  /** Rows of the page at `nextLocator` already committed (a page commits in slices). */
  rowsDone: number;
}

export interface RecordResultRow {
  id: string;
  jobId: string;
  salesforceObject: string;
  salesforceId: string | null;
  recordId: string | null;
  action: string;
  errorCode: string | null;
  errorMessage: string | null;
  fields: unknown;
  createdAt: Date;
}

/**
 * A job's live state as its runner commits it. `workerId` fences the write: only the process that
 * holds the job (its claim) may move it on; a process the queue has replaced since gets
 * `JobSupersededError` and its write rolls back.
 */
export type JobState = {
  progress: ObjectProgress[];
  counts: JobCounts;
  apiCalls: number;
  /** The claimer; null for a job run inline without a claim (a single-record push). */
  workerId: string | null;
};

/** Another process holds the job now: this one must stop without writing anything more. */
export class JobSupersededError extends Error {
  override readonly name = 'JobSupersededError';
  constructor(jobId: string) {
    super(`Job ${jobId} is held by another process now`);
  }
}

/** Moves a job's state on inside a transaction, fenced by the claimer (see `JobState`). */
export async function advanceJob(
  tx: TransactionClient | PrismaClient,
  jobId: string,
  state: JobState & { status?: JobStatus },
): Promise<void> {
  const { workerId, ...data } = state;
  const { count } = await tx.syncJob.updateMany({
    where: { id: jobId, workerId },
    data: { ...data, heartbeatAt: new Date() },
  });
  if (count === 0) throw new JobSupersededError(jobId);
}

/** Sync jobs: their state, progress and counts, checkpoints and per-record results. */
export class SyncJobRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(input: {
    workspaceId: string;
    connectionId: string;
    kind: JobKind;
    mode: JobMode;
    scope: SyncJobRow['scope'];
    startedBy: string;
  }): Promise<SyncJobRow> {
    const phases: ObjectProgress['phase'][] =
      input.kind === 'sync' ? ['pull', 'push'] : input.kind === 'realtime' ? [] : [input.kind];
    const progress: ObjectProgress[] = phases.flatMap((phase) =>
      input.scope[phase].map((salesforceObject) => ({
        salesforceObject,
        phase,
        total: null,
        processed: 0,
        counts: emptyCounts(),
        startedAt: null,
        finishedAt: null,
      })),
    );
    const row = await this.prisma.syncJob.create({
      data: { ...input, status: 'queued', progress, counts: emptyCounts() },
    });
    return toRow(row);
  }

  async find(workspaceId: string, id: string): Promise<SyncJobRow | null> {
    const row = await this.prisma.syncJob.findFirst({ where: { id, workspaceId } });
    return row ? toRow(row) : null;
  }

  async findById(id: string): Promise<SyncJobRow | null> {
    const row = await this.prisma.syncJob.findUnique({ where: { id } });
    return row ? toRow(row) : null;
  }

  /** Newest first; `cursor` is the last id of the previous page. */
  async list(
    workspaceId: string,
    filter: { connectionId?: string; status?: JobStatus; kind?: JobKind },
    page: { limit: number; cursor?: string },
  ): Promise<{ jobs: SyncJobRow[]; nextCursor: string | null }> {
    const rows = await this.prisma.syncJob.findMany({
      where: { workspaceId, ...filter },
      orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    const jobs = rows.slice(0, page.limit).map(toRow);
    return { jobs, nextCursor: rows.length > page.limit ? (jobs.at(-1)?.id ?? null) : null };
  }

  /** Jobs not finished yet, oldest first: what a restarted worker picks up again. */
  async unfinished(): Promise<SyncJobRow[]> {
    const rows = await this.prisma.syncJob.findMany({
      // Real-time windows are not queued: their subscriber closes them (see sync/realtime).
      where: {
        status: { in: ['queued', 'running', 'waiting_for_allowance'] },
        kind: { not: 'realtime' },
      },
      orderBy: [{ queuedAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toRow);
  }

  /** Whether the connection has a job queued, running or waiting (a new one would only queue). */
  async hasActive(connectionId: string): Promise<boolean> {
    const count = await this.prisma.syncJob.count({
      where: {
        connectionId,
        kind: { not: 'realtime' },
        status: { in: ['queued', 'running', 'waiting_for_allowance'] },
      },
    });
    return count > 0;
  }

  /** When the connection's last job that ran a schedule's way (pull or sync) was queued. */
  async lastQueuedAt(connectionId: string): Promise<Date | null> {
    const row = await this.prisma.syncJob.findFirst({
      where: { connectionId, kind: { in: ['pull', 'sync'] } },
      orderBy: { queuedAt: 'desc' },
      select: { queuedAt: true },
    });
    return row?.queuedAt ?? null;
  }

  /**
   * Takes the job for `workerId`: only an unfinished job that nobody asked to cancel can be
   * taken. A job a dead process held is taken over the same way (the queue decides when).
   */
  async claim(id: string, workerId: string): Promise<SyncJobRow | null> {
    const now = new Date();
    const { count } = await this.prisma.syncJob.updateMany({
      where: {
        id,
        cancelRequested: false,
        status: { in: ['queued', 'running', 'waiting_for_allowance'] },
      },
      data: { status: 'running', workerId, heartbeatAt: now, attempts: { increment: 1 } },
    });
    if (count === 0) return null;
    await this.prisma.syncJob.updateMany({
      where: { id, startedAt: null },
      data: { startedAt: now },
    });
    return this.findById(id);
  }

  /** Progress, counts and calls so far; answers whether someone asked to cancel. */
  /** Progress, counts and calls so far (fenced); answers whether someone asked to cancel. */
  async report(
    id: string,
    state: JobState & { status?: JobStatus },
  ): Promise<{ cancelRequested: boolean }> {
    await advanceJob(this.prisma, id, state);
    const row = await this.prisma.syncJob.findUnique({
      where: { id },
      select: { cancelRequested: true },
    });
    return { cancelRequested: row?.cancelRequested ?? false };
  }

  /** Records how the job ended (fenced: only its claimer, or nobody's inline run, may). */
  async finish(
    id: string,
    state: JobState & { status: JobStatus; error?: string | null },
  ): Promise<void> {
    const { workerId, ...data } = state;
    const { count } = await this.prisma.syncJob.updateMany({
      where: { id, workerId },
      data: { ...data, error: state.error ?? null, finishedAt: new Date(), workerId: null },
    });
    if (count === 0) throw new JobSupersededError(id);
  }

  /**
   * A job someone asked to cancel while it ran, and whose process died before it stopped: no
   * one will claim it again, so it ends here as cancelled. Answers whether it did.
   */
  async finishCancelled(id: string): Promise<boolean> {
    const { count } = await this.prisma.syncJob.updateMany({
      where: {
        id,
        cancelRequested: true,
        status: { in: ['queued', 'running', 'waiting_for_allowance'] },
      },
      data: { status: 'cancelled', finishedAt: new Date(), workerId: null },
    });
    return count > 0;
  }

  /**
   * A queued job is cancelled at once; a running one is asked to stop and stops after the page
   * it is on (what it committed stays). Null when the job is unknown or already finished.
   */
  async requestCancel(workspaceId: string, id: string): Promise<SyncJobRow | null> {
    const job = await this.find(workspaceId, id);
    if (!job || FINISHED_STATUSES.includes(job.status)) return null;
    await this.prisma.syncJob.updateMany({
      where: { id, status: 'queued' },
      data: { status: 'cancelled', cancelRequested: true, finishedAt: new Date() },
    });
    await this.prisma.syncJob.updateMany({
      where: { id, status: { in: ['running', 'waiting_for_allowance'] } },
      data: { cancelRequested: true },
    });
    return this.findById(id);
  }

  /** Results recorded outside a page's commit (e.g. a `Pryzm_ID__c` write-back Salesforce refused). */
  async addResults(
    jobId: string,
    salesforceObject: string,
    results: {
      salesforceId: string | null;
      recordId: string | null;
      action: string;
      errorCode?: string;
      errorMessage?: string;
      fields?: object;
    }[],
  ): Promise<void> {
    if (results.length === 0) return;
    await this.prisma.syncRecordResult.createMany({
      data: results.map((result) => ({ jobId, salesforceObject, ...result })),
    });
  }

  async checkpoint(jobId: string, salesforceObject: string): Promise<CheckpointRow | null> {
    return this.prisma.syncCheckpoint.findUnique({
      where: { jobId_salesforceObject: { jobId, salesforceObject } },
      select: {
        salesforceObject: true,
        bulkJobId: true,
        nextLocator: true,
        done: true,
        processed: true,
        total: true,
        maxModstamp: true,
        rowsDone: true,
      },
    });
  }

  async results(
    jobId: string,
    filter: { action?: string; salesforceObject?: string },
    page: { limit: number; cursor?: string },
  ): Promise<{ results: RecordResultRow[]; nextCursor: string | null }> {
    const rows = await this.prisma.syncRecordResult.findMany({
      where: { jobId, ...filter },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    const results = rows.slice(0, page.limit);
    return {
      results,
      nextCursor: rows.length > page.limit ? (results.at(-1)?.id ?? null) : null,
    };
  }

  async resultsForRecord(recordId: string, limit: number): Promise<RecordResultRow[]> {
    return this.prisma.syncRecordResult.findMany({
      where: { recordId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }

  async cursor(connectionId: string, salesforceObject: string): Promise<string | null> {
    const row = await this.prisma.syncCursor.findUnique({
      where: { connectionId_salesforceObject: { connectionId, salesforceObject } },
    });
    return row?.systemModstamp ?? null;
  }

  /** Deletes finished jobs (and their results) older than `before`; answers how many. */
  async prune(before: Date): Promise<number> {
    const { count } = await this.prisma.syncJob.deleteMany({
      where: { finishedAt: { lt: before }, status: { in: [...FINISHED_STATUSES] } },
    });
    return count;
  }
}
