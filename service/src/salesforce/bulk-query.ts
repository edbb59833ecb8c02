import type { SalesforceClient } from './client.ts';
import { readCsvRecords, type CsvRecord } from './csv-records.ts';

/**
 * Bulk API 2.0 queries, read page by page: create the job, poll it until `JobComplete`, then
 * read its results one `locator` at a time until Salesforce answers `Sforce-Locator: null`.
 * Only one page is ever held in memory, and a page's locator lets a later run continue the
 * same job where a crashed one stopped (Salesforce keeps a job's results for 7 days).
 *
 * API calls: one to create the job, one per poll, one per page (each counted by the client).
 */

export type QueryJobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

/** The job info Salesforce answers for a query job (the fields this module reads). */
export interface QueryJobInfo {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  state: QueryJobState;
  /** Rows the job found; set once it is `JobComplete`. */
  numberRecordsProcessed?: number;
  /** Why it `Failed`. */
  errorMessage?: string;
}

export interface BulkQueryOptions {
  /** `queryAll`: deleted and archived records too. */
  scanAll?: boolean;
  /** Records per result page, i.e. per results request (default 10,000). */
  maxRecords?: number;
  /** Wait before the first poll and between polls (default 1,000 ms; grows 1.5x per poll). */
  pollIntervalMs?: number;
  /** Longest wait between polls (default 10,000 ms, never below `pollIntervalMs`). */
  maxPollIntervalMs?: number;
  /** How long the job may take to complete before giving up (default 30 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Continues an existing job instead of creating one: `locator` is the page to read first
   * (a page's `nextLocator` once that page was handled; null for the first page).
   */
  resume?: { jobId: string; locator: string | null };
}

/** One results request's worth of records. */
export interface BulkQueryPage {
  jobId: string;
  /** The locator this page was read with (null: the first page). */
  locator: string | null;
  /** The locator of the page after this one; null when this is the last page. */
  nextLocator: string | null;
  /** Records of the whole job (`numberRecordsProcessed`), for progress. */
  totalRecords: number;
  records: CsvRecord[];
}

/** The query job failed, was aborted, or did not complete in time. */
export class BulkQueryError extends Error {
  override readonly name = 'BulkQueryError';
  constructor(
    readonly jobId: string,
    /** The job's last known state (`Failed`, `Aborted`, or `InProgress` etc. on a timeout). */
    readonly state: string,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULTS = {
  maxRecords: 10_000,
  pollIntervalMs: 1_000,
  maxPollIntervalMs: 10_000,
  timeoutMs: 30 * 60_000,
};

const JOB_ID = /^[A-Za-z0-9]{15,18}$/;

function jobPath(client: SalesforceClient, jobId: string, rest = ''): string {
  if (!JOB_ID.test(jobId)) throw new Error(`Not a Bulk API job id: ${jobId}`);
  return client.dataPath(`jobs/query/${jobId}${rest}`);
}

/** Creates a query job (one API call). */
export async function createQueryJob(
  client: SalesforceClient,
  soql: string,
  options: { scanAll?: boolean; signal?: AbortSignal } = {},
): Promise<QueryJobInfo> {
  const response = await client.fetch(client.dataPath('jobs/query'), {
    method: 'POST',
    body: JSON.stringify({
      operation: options.scanAll ? 'queryAll' : 'query',
      query: soql,
      contentType: 'CSV',
      columnDelimiter: 'COMMA',
      lineEnding: 'LF',
    }),
    signal: options.signal,
  });
  return (await response.json()) as QueryJobInfo;
}

/** A query job's info (one API call). */
export async function queryJobInfo(
  client: SalesforceClient,
  jobId: string,
  signal?: AbortSignal,
): Promise<QueryJobInfo> {
  const response = await client.fetch(jobPath(client, jobId), { signal });
  return (await response.json()) as QueryJobInfo;
}

/** Asks Salesforce to abort a query job that has not finished (one API call). */
export async function abortQueryJob(
  client: SalesforceClient,
  jobId: string,
): Promise<QueryJobInfo> {
  const response = await client.fetch(jobPath(client, jobId), {
    method: 'PATCH',
    body: JSON.stringify({ state: 'Aborted' }),
  });
  return (await response.json()) as QueryJobInfo;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls a job until it is `JobComplete` (one API call per poll). Given the job's info (as
 * creating it answers), waits `pollIntervalMs` before the first poll; given only its id, polls
 * at once. Throws `BulkQueryError` when the job failed, was aborted or ran past `timeoutMs`.
 */
export async function waitForQueryJob(
  client: SalesforceClient,
  job: QueryJobInfo | string,
  options: Pick<
    BulkQueryOptions,
    'pollIntervalMs' | 'maxPollIntervalMs' | 'timeoutMs' | 'signal'
  > = {},
): Promise<QueryJobInfo> {
  const interval = options.pollIntervalMs ?? DEFAULTS.pollIntervalMs;
  const maxInterval = Math.max(interval, options.maxPollIntervalMs ?? DEFAULTS.maxPollIntervalMs);
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  const deadline = Date.now() + timeoutMs;
  let info = typeof job === 'string' ? await queryJobInfo(client, job, options.signal) : job;
  let wait = interval;
  for (;;) {
    if (info.state === 'JobComplete') return info;
    if (info.state === 'Failed' || info.state === 'Aborted') {
      const why = info.errorMessage ? `: ${info.errorMessage}` : '';
      throw new BulkQueryError(
        info.id,
        info.state,
        `Bulk query job ${info.id} ${info.state}${why}`,
      );
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new BulkQueryError(
        info.id,
        info.state,
        `Bulk query job ${info.id} did not complete within ${timeoutMs} ms (${info.state})`,
      );
    }
    await sleep(Math.min(wait, left), options.signal);
    wait = Math.min(maxInterval, Math.ceil(wait * 1.5));
    info = await queryJobInfo(client, info.id, options.signal);
  }
}

/** Reads one page of a completed job's results (one API call). */
export async function readQueryResultsPage(
  client: SalesforceClient,
  jobId: string,
  locator: string | null,
  options: { maxRecords?: number; signal?: AbortSignal } = {},
): Promise<{ records: CsvRecord[]; nextLocator: string | null }> {
  const params = new URLSearchParams();
  if (locator !== null) params.set('locator', locator);
  params.set('maxRecords', String(options.maxRecords ?? DEFAULTS.maxRecords));
  const response = await client.fetch(jobPath(client, jobId, `/results?${params.toString()}`), {
    headers: { accept: 'text/csv' },
    signal: options.signal,
  });
  const next = response.headers.get('sforce-locator');
  const records = await readCsvRecords(response.body);
  const announced = response.headers.get('sforce-numberofrecords');
  if (announced !== null && announced !== '' && Number(announced) !== records.length) {
    throw new Error(
      `Bulk query job ${jobId}: the page announced ${announced} records and held ${records.length}`,
    );
  }
  return { records, nextLocator: next === null || next === '' || next === 'null' ? null : next };
}

/**
 * Runs a Bulk API 2.0 query (or continues one, `resume`: `soql` is then not read) and yields
 * its results page by page.
 * Stop early by leaving the loop or through `signal`; the job stays on Salesforce either way.
 */
export async function* bulkQuery(
  client: SalesforceClient,
  soql: string,
  options: BulkQueryOptions = {},
): AsyncGenerator<BulkQueryPage, void, undefined> {
  const maxRecords = options.maxRecords ?? DEFAULTS.maxRecords;
  if (!Number.isInteger(maxRecords) || maxRecords <= 0) {
    throw new Error(`maxRecords must be a positive integer: ${maxRecords}`);
  }
  const job = options.resume
    ? await waitForQueryJob(client, options.resume.jobId, options)
    : await waitForQueryJob(client, await createQueryJob(client, soql, options), options);
  const totalRecords = job.numberRecordsProcessed ?? 0;
  let locator = options.resume ? options.resume.locator : null;
  for (;;) {
    options.signal?.throwIfAborted();
    const page = await readQueryResultsPage(client, job.id, locator, {
      maxRecords,
      signal: options.signal,
    });
    yield {
      jobId: job.id,
      locator,
      nextLocator: page.nextLocator,
      totalRecords,
      records: page.records,
    };
    if (page.nextLocator === null) return;
    locator = page.nextLocator;
  }
}
