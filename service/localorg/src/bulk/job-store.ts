import type { Org } from '../org/org.ts';
import { base62, to18 } from '../core/ids.ts';
import { formatDateTime } from '../org/values.ts';

/** Bulk API 2.0 jobs of one org, query and ingest, with Salesforce's job info fields. */

export type JobState =
  'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface JobBase {
  id: string;
  operation: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  concurrencyMode: 'Parallel';
  contentType: 'CSV';
  apiVersion: number;
  lineEnding: string;
  columnDelimiter: string;
  numberRecordsProcessed: number;
  retries: number;
  totalProcessingTime: number;
  errorMessage?: string;
}

export interface QueryJob extends JobBase {
  kind: 'query';
  query: string;
  headers: string[];
  rows: (string | null)[][];
}

export interface IngestJob extends JobBase {
  kind: 'ingest';
  externalIdFieldName?: string;
  assignmentRuleId?: string;
  /** The uploaded CSV bodies, until the job starts processing them. */
  uploads: string[];
  numberRecordsFailed: number;
  apiActiveProcessingTime: number;
  apexProcessingTime: number;
  /**
   * Results as the CSV lines the result routes answer with (after the header), one string per
   * processed slice: a million rows kept as per-row objects and arrays took gigabytes.
   */
  successfulCsv: string[];
  failedCsv: string[];
  unprocessedCsv: string[];
  inputHeaders: string[];
  /** While processing: the parsed rows and the first one not processed yet. */
  pending?: { rows: string[][]; next: number };
}

export type Job = QueryJob | IngestJob;

export class JobStore {
  private readonly jobs = new Map<string, Job>();
  private counter = 0;

  constructor(private readonly org: Org) {}

  newId(): string {
    this.counter++;
    return to18(`750${this.org.id.slice(3, 5)}${base62(this.counter, 10)}`);
  }

  add(job: Job): void {
    this.jobs.set(job.id, job);
  }

  get(id: string, kind: Job['kind']): Job | undefined {
    const job =
      this.jobs.get(id) ??
      [...this.jobs.values()].find((j) => j.id.slice(0, 15) === id.slice(0, 15));
    return job && job.kind === kind ? job : undefined;
  }

  list(kind: Job['kind']): Job[] {
    return [...this.jobs.values()].filter((j) => j.kind === kind);
  }

  delete(id: string): void {
    this.jobs.delete(id);
  }

  touch(job: Job, state: JobState): void {
    job.state = state;
    job.systemModstamp = formatDateTime(this.org.now());
  }
}

const stores = new WeakMap<Org, JobStore>();

export function jobsOf(org: Org): JobStore {
  let s = stores.get(org);
  if (!s) stores.set(org, (s = new JobStore(org)));
  return s;
}

/** The job info body, without the fields only the job's own GET reports. */
export function jobInfo(job: Job, detailed: boolean): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
  };
  if (job.kind === 'ingest' && job.externalIdFieldName)
    base['externalIdFieldName'] = job.externalIdFieldName;
  Object.assign(base, {
    concurrencyMode: job.concurrencyMode,
    contentType: job.contentType,
    apiVersion: job.apiVersion,
  });
  if (job.kind === 'ingest') {
    base['contentUrl'] =
      `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`;
  }
  if (detailed) base['jobType'] = 'V2' + (job.kind === 'query' ? 'Query' : 'Ingest');
  base['lineEnding'] = job.lineEnding;
  base['columnDelimiter'] = job.columnDelimiter;
  if (!detailed) return base;
  base['numberRecordsProcessed'] = job.numberRecordsProcessed;
  if (job.kind === 'ingest') base['numberRecordsFailed'] = job.numberRecordsFailed;
  base['retries'] = job.retries;
  base['totalProcessingTime'] = job.totalProcessingTime;
  if (job.kind === 'ingest') {
    base['apiActiveProcessingTime'] = job.apiActiveProcessingTime;
    base['apexProcessingTime'] = job.apexProcessingTime;
  } else {
    base['isPkChunkingSupported'] = true;
  }
  if (job.errorMessage) base['errorMessage'] = job.errorMessage;
  return base;
}
