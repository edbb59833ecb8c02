import type { UsageRecorder } from '../../salesforce/usage.ts';
import {
  emptyCounts,
  type JobCounts,
  type JobState,
  type ObjectProgress,
  type SyncJobRow,
} from '../../store/repositories/sync-jobs.ts';

const COUNT_KEYS = Object.keys(emptyCounts()) as (keyof JobCounts)[];

/**
 * The live state of a running job: per-object progress and counts, the API calls it spent and
 * whether someone asked it to stop. Committed with each page, so a resumed job carries on
 * counting from where the last commit left it.
 */
export class JobRun {
  readonly progress: ObjectProgress[];
  readonly counts: JobCounts;
  apiCalls: number;
  cancelRequested = false;
  /** The way records move in the step running now; progress is kept per object and way. */
  phase: ObjectProgress['phase'] = 'pull';
  /** Told after each page's outcome is counted (live progress for event streams). */
  onProgress: (salesforceObject: string) => void = () => undefined;

  constructor(
    readonly job: SyncJobRow,
    readonly signal: AbortSignal,
    /** Throws when the job may not spend more API requests now (the allowance is used up). */
    readonly checkAllowance: () => Promise<void> = async () => {},
  ) {
    this.progress = structuredClone(job.progress);
    this.counts = { ...emptyCounts(), ...job.counts };
    this.apiCalls = job.apiCalls;
  }

  /** Counts every request the job's Salesforce client sends (OAuth ones are not charged). */
  readonly recorder: UsageRecorder = (kind) => {
    if (kind === 'api') this.apiCalls += 1;
  };

  object(salesforceObject: string): ObjectProgress {
    let entry = this.progress.find(
      (item) => item.salesforceObject === salesforceObject && item.phase === this.phase,
    );
    if (!entry) {
      entry = {
        salesforceObject,
        phase: this.phase,
        total: null,
        processed: 0,
        counts: emptyCounts(),
        startedAt: null,
        finishedAt: null,
      };
      this.progress.push(entry);
    }
    entry.startedAt ??= new Date().toISOString();
    return entry;
  }

  /** Adds a page's outcome to the object's and the job's counts. */
  add(salesforceObject: string, counts: JobCounts, processed: number, total: number | null): void {
    const entry = this.object(salesforceObject);
    for (const key of COUNT_KEYS) {
      entry.counts[key] += counts[key];
      this.counts[key] += counts[key];
    }
    entry.processed = processed;
    entry.total = total;
    this.onProgress(salesforceObject);
  }

  /** Moves `n` records of an object from one count to another (e.g. found stale at commit). */
  move(salesforceObject: string, from: keyof JobCounts, to: keyof JobCounts, n: number): void {
    if (n === 0) return;
    const entry = this.object(salesforceObject);
    entry.counts[from] -= n;
    entry.counts[to] += n;
    this.counts[from] -= n;
    this.counts[to] += n;
  }

  finishObject(salesforceObject: string): void {
    this.object(salesforceObject).finishedAt = new Date().toISOString();
  }

  /** The state to commit, fenced by this process's claim on the job. */
  snapshot(): JobState {
    return {
      progress: structuredClone(this.progress),
      counts: { ...this.counts },
      apiCalls: this.apiCalls,
      workerId: this.job.workerId,
    };
  }
}
