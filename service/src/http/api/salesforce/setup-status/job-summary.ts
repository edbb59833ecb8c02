import type { SyncJob } from '../../../../sync/jobs/sync-jobs.ts';

type JobStatus = SyncJob['status'];

/** The four states PryzmSetupStepFirstPull knows (force-app/.../PryzmSetupStepFirstPull.cls). */
export const SETUP_JOB_STATUSES = ['succeeded', 'running', 'queued', 'failed'] as const;
export type SetupJobStatus = (typeof SETUP_JOB_STATUSES)[number];

/**
 * The package reads four states; a job has seven. Waiting for API allowance has not finished
 * (it resumes by itself): running. Partly succeeded did finish the pull, with the failures in the
 * message. Cancelled did not bring the records: failed, saying so.
 */
const SETUP_STATUS: Record<JobStatus, SetupJobStatus> = {
  queued: 'queued',
  running: 'running',
  waiting_for_allowance: 'running',
  succeeded: 'succeeded',
  partially_succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'failed',
};

export interface SetupJobSummary {
  jobId: string;
  kind: string;
  status: SetupJobStatus;
  /** The job's own status, for a reader who wants more than the package's four. */
  jobStatus: JobStatus;
  finishedAt: string | null;
  /** Salesforce records the job read (pull) or wrote (push), over every object. */
  recordCount: number;
  message: string | null;
}

function messageOf(job: SyncJob): string | null {
  if (job.error) return job.error;
  if (job.status === 'cancelled') return 'The job was cancelled before it finished';
  if (job.status === 'waiting_for_allowance') {
    return "Waiting for the org's daily API allowance; the job resumes by itself";
  }
  if (job.status === 'partially_succeeded') {
    return `${job.counts.failed} record(s) failed; see the job's records in Pryzm`;
  }
  return null;
}

/**
 * One job as the package's setup checklist reads it. `phase` counts only the records moved that
 * way (a `sync` job pulls and pushes; its pull is what the first-pull step asks about).
 */
export function setupJobSummary(job: SyncJob, phase?: 'pull' | 'push'): SetupJobSummary {
  return {
    jobId: job.id,
    kind: job.kind,
    status: SETUP_STATUS[job.status],
    jobStatus: job.status,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    recordCount: job.progress
      .filter((object) => phase === undefined || object.phase === phase)
      .reduce((sum, object) => sum + object.processed, 0),
    message: messageOf(job),
  };
}
