import type { SalesforceClient } from './client.ts';
import { parseCsvText, readCsvRecords, type CsvRecord } from './csv-records.ts';

/**
 * Bulk API 2.0 queries, read page by page: create the job, poll it until `JobComplete`, then
 * read its results one `locator` at a time until Salesforce answers `Sforce-Locator: null`.
 * One page's records are held in memory at a time (with `readAhead`, the next page's CSV bytes
 * besides), and a page's locator lets a later run continue the same job where a crashed one
 * stopped (Salesforce keeps a job's results for 7 days).
 *
 * Polling: Salesforce documents no interval; its walkthrough monitors the job "until the state is
 * JobComplete", one GET of the job's info per look, each an API request
 * (https://developer.salesforce.com/docs/platform/api-asynch/guide/query-get-one-job.html,
 * https://developer.salesforce.com/docs/atlas.en-us.252.0.api_asynch.meta/api_asynch/query_walkthrough.htm;
 * its example job of 500 records took `totalProcessingTime` 334 ms). The first look comes after
 * 100 ms and the wait grows 1.5x up to 10 s: a quick job is read within a few tenths of a second,
 * at the cost of about six more polls than waits starting at a second (100, 150, 225 ... ms
 * reach 10 s after 12 polls and 30 s; 1, 1.5, 2.25 ... s after 6).
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
  /** Wait before the first poll and between polls (default 100 ms; grows 1.5x per poll). */
  pollIntervalMs?: number;
  /** Longest wait between polls (default 10,000 ms, never below `pollIntervalMs`). */
  maxPollIntervalMs?: number;
  /** How long the job may take to complete before giving up (default 30 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Requests the next page as soon as a page is handed out, and reads its CSV bytes while the
   * caller works on this one (the org prepares and sends it meanwhile); they are parsed when the
   * caller asks for the page. Holds one page's bytes more; a caller that leaves early has spent
   * one results request it did not use.
   */
  readAhead?: boolean;
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
  pollIntervalMs: 100,
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

function resultsPath(
  client: SalesforceClient,
  jobId: string,
  locator: string | null,
  maxRecords: number | undefined,
): string {
  const params = new URLSearchParams();
  if (locator !== null) params.set('locator', locator);
  params.set('maxRecords', String(maxRecords ?? DEFAULTS.maxRecords));
  return jobPath(client, jobId, `/results?${params.toString()}`);
}

function nextLocatorOf(response: Response): string | null {
  const next = response.headers.get('sforce-locator');
  return next === null || next === '' || next === 'null' ? null : next;
}

/** Fails when a page holds another number of records than its `Sforce-NumberOfRecords`. */
function checkAnnounced(jobId: string, announced: string | null, count: number): void {
  if (announced !== null && announced !== '' && Number(announced) !== count) {
    throw new Error(
      `Bulk query job ${jobId}: the page announced ${announced} records and held ${count}`,
    );
  }
}

/** Reads one page of a completed job's results (one API call), parsed as it streams in. */
export async function readQueryResultsPage(
  client: SalesforceClient,
  jobId: string,
  locator: string | null,
  options: { maxRecords?: number; signal?: AbortSignal } = {},
): Promise<{ records: CsvRecord[]; nextLocator: string | null }> {
  const response = await client.fetch(resultsPath(client, jobId, locator, options.maxRecords), {
    headers: { accept: 'text/csv' },
    signal: options.signal,
  });
  const records = await readCsvRecords(response.body);
  checkAnnounced(jobId, response.headers.get('sforce-numberofrecords'), records.length);
  return { records, nextLocator: nextLocatorOf(response) };
}

/**
 * A results page read ahead: its CSV text, parsed once the caller wants them. Kept as text (in
 * V8's heap, given back when collected) rather than as the response's bytes, which took two more
 * copies of the page outside V8's heap (the bytes, and a Blob of them to stream to the parser).
 */
interface FetchedResultsPage {
  csv: string;
  nextLocator: string | null;
  announced: string | null;
}

/** Requests one page of a completed job's results and reads its bytes (one API call). */
async function fetchQueryResultsPage(
  client: SalesforceClient,
  jobId: string,
  locator: string | null,
  options: { maxRecords: number; signal: AbortSignal },
): Promise<FetchedResultsPage> {
  const response = await client.fetch(resultsPath(client, jobId, locator, options.maxRecords), {
    headers: { accept: 'text/csv' },
    signal: options.signal,
  });
  return {
    csv: await response.text(),
    nextLocator: nextLocatorOf(response),
    announced: response.headers.get('sforce-numberofrecords'),
  };
}

async function parseFetchedPage(
  jobId: string,
  page: FetchedResultsPage,
): Promise<{ records: CsvRecord[]; nextLocator: string | null }> {
  const records = parseCsvText(page.csv);
  checkAnnounced(jobId, page.announced, records.length);
  return { records, nextLocator: page.nextLocator };
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
  // The read ahead runs under a signal of its own, so that leaving the loop early stops it.
  const ahead = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, ahead.signal]) : ahead.signal;
  let next: Promise<FetchedResultsPage> | null = null;
  try {
    for (;;) {
      options.signal?.throwIfAborted();
      const page = next
        ? await parseFetchedPage(job.id, await next)
        : await readQueryResultsPage(client, job.id, locator, { maxRecords, signal });
      next = null;
      if (options.readAhead && page.nextLocator !== null) {
        next = fetchQueryResultsPage(client, job.id, page.nextLocator, { maxRecords, signal });
        // Its failure is thrown where it is awaited; until then it must not count as unhandled.
        next.catch(() => undefined);
      }
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
  } finally {
    if (next) ahead.abort(new Error('The Bulk API 2.0 query was left before its next page'));
  }
}
