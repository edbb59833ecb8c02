/** Runs one job; `signal` aborts when the process stops, leaving the job to be picked up again. */
export type JobHandler = (jobId: string, signal: AbortSignal) => Promise<void>;

/**
 * Delivers sync jobs to a handler. The jobs table is the record of what exists and how far each
 * got; the queue only decides which process runs a job and when, one job per connection at a
 * time. Jobs a stopped or killed process held are delivered again, and the handler resumes them
 * from their checkpoints.
 */
export interface JobQueue {
  readonly name: string;
  start(handler: JobHandler): Promise<void>;
  enqueue(job: { id: string; connectionId: string }): Promise<void>;
  /** Stops taking jobs and aborts running ones (they resume on the next start). */
  stop(): Promise<void>;
}
