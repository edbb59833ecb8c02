import { SalesforceApiError, type SalesforceClient } from './client.ts';
import type { RecordError } from './collections.ts';
import { csvRecords, type CsvRecord } from './csv-records.ts';

/**
 * Bulk API 2.0 ingest jobs: create the job, upload the records as one CSV, close it
 * (`UploadComplete`), poll it until Salesforce is done, then read its three result sets
 * (`successfulResults`, `failedResults`, `unprocessedrecords`) and answer one outcome per record,
 * keyed by a column the caller names (the external id of an upsert, the `Id` of an update).
 * https://developer.salesforce.com/docs/platform/api-asynch/guide/bulk-api-2-0.html
 *
 * Salesforce's guidance: "Any data operation that includes more than 2,000 records is a good
 * candidate for Bulk API 2.0 ... Jobs with fewer than 2,000 records should involve 'bulkified'
 * synchronous calls in REST (for example, Composite)" (Introduction to Bulk API 2.0 and Bulk API,
 * https://developer.salesforce.com/docs/platform/api-asynch/guide/asynch-api-intro.html).
 *
 * API calls: create, upload, close, one per poll, and three result reads (each counted by the
 * client). The job id is handed to `onCreated` before anything is uploaded, so a caller that
 * stores it can, after a crash, read the job's results (`resumeIngest`) instead of sending the
 * records a second time.
 */

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete';
export type IngestJobState =
  'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface IngestJobInfo {
  id: string;
  operation: IngestOperation;
  object: string;
  state: IngestJobState;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
  errorMessage?: string;
}

/** What Salesforce did with one uploaded record. */
export interface IngestOutcome {
  /** The record's id (`sf__Id`); null when Salesforce names none (a failed insert). */
  id: string | null;
  success: boolean;
  /** True when an insert or upsert created the record (`sf__Created`). */
  created: boolean;
  errors: RecordError[];
}

/** A record to send: field API names to values (null clears the field). */
export type IngestRecord = Record<string, unknown>;

export interface IngestOptions {
  /** Wait before the first poll (default 100 ms); grows 1.5x per poll up to 2 s. */
  pollIntervalMs?: number;
  /** How long the job may take once closed (default 30 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Bulk API 2.0 reads an empty cell as "leave the field as it is" and `#N/A` as null. */
export const CSV_NULL = '#N/A';

const JOB_ID = /^[A-Za-z0-9]{15,18}$/;
const API_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?$/;

function jobPath(client: SalesforceClient, jobId: string, rest = ''): string {
  if (!JOB_ID.test(jobId)) throw new Error(`Not a Bulk API job id: ${jobId}`);
  return client.dataPath(`jobs/ingest/${jobId}${rest}`);
}

function cell(value: unknown): string {
  if (value === null) return CSV_NULL;
  if (value === undefined) return '';
  if (typeof value === 'string') return value === '' ? CSV_NULL : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A record with a related record (`Parent: { Pryzm_ID__c }`) or `attributes` to leave out. */
function needsFlattening(record: IngestRecord): boolean {
  for (const key in record) {
    if (key === 'attributes') return true;
    const value = record[key];
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return true;
  }
  return false;
}

/** The record's columns: a related record's key as `Relation.Field`, `attributes` left out. */
function flatten(record: IngestRecord): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [field, inner] of Object.entries(value as Record<string, unknown>)) {
        if (field !== 'attributes') row[`${key}.${field}`] = inner;
      }
    } else {
      row[key] = value;
    }
  }
  return row;
}

/** RFC 4180: a field holding a comma, a quote or a line break is quoted, its quotes doubled. */
const NEEDS_QUOTES = /[",\r\n]/;
const csvField = (text: string) =>
  NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;

/**
 * The CSV of `records`: one column per field any record has (a record without it leaves the
 * field alone), `#N/A` for null and empty values, a related record's key as `Relation.Field`,
 * lines ending in LF (the job's `lineEnding`). Written here rather than through csv-stringify,
 * which built an array of cells per record and took most of the write-back's CSV time; the same
 * text byte for byte (bulk-ingest.test.ts compares both on generated records). A record without
 * related records is read as it is instead of copied.
 */
export function ingestCsv(records: Iterable<IngestRecord>): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  const flat = Array.from(records, (record) => {
    const row = needsFlattening(record) ? flatten(record) : record;
    for (const column of Object.keys(row)) {
      if (seen.has(column)) continue;
      if (!API_NAME.test(column)) throw new Error(`Not a Salesforce field name: ${column}`);
      seen.add(column);
      columns.push(column);
    }
    return row;
  });
  let csv = `${columns.map(csvField).join(',')}\n`;
  for (const row of flat) {
    let line = '';
    for (let index = 0; index < columns.length; index += 1) {
      if (index > 0) line += ',';
      line += csvField(cell(row[columns[index]!]));
    }
    csv += `${line}\n`;
  }
  return csv;
}

/** Creates an ingest job (one API call); `externalIdFieldName` for upserts. */
export async function createIngestJob(
  client: SalesforceClient,
  job: { object: string; operation: IngestOperation; externalIdFieldName?: string },
  signal?: AbortSignal,
): Promise<IngestJobInfo> {
  const response = await client.fetch(client.dataPath('jobs/ingest'), {
    method: 'POST',
    body: JSON.stringify({
      object: job.object,
      operation: job.operation,
      ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
      contentType: 'CSV',
      columnDelimiter: 'COMMA',
      lineEnding: 'LF',
    }),
    signal,
  });
  return (await response.json()) as IngestJobInfo;
}

/** Uploads the job's CSV (one API call; Salesforce answers 201 and no body). */
export async function uploadIngestData(
  client: SalesforceClient,
  jobId: string,
  csv: string,
  signal?: AbortSignal,
): Promise<void> {
  const response = await client.fetch(jobPath(client, jobId, '/batches'), {
    method: 'PUT',
    headers: { 'content-type': 'text/csv' },
    body: csv,
    signal,
  });
  await response.body?.cancel();
}

async function setState(
  client: SalesforceClient,
  jobId: string,
  state: 'UploadComplete' | 'Aborted',
): Promise<IngestJobInfo> {
  const response = await client.fetch(jobPath(client, jobId), {
    method: 'PATCH',
    body: JSON.stringify({ state }),
  });
  return (await response.json()) as IngestJobInfo;
}

/** Closes the job: Salesforce starts processing it (one API call). */
export const closeIngestJob = (client: SalesforceClient, jobId: string) =>
  setState(client, jobId, 'UploadComplete');

/** Aborts a job that has not finished (one API call). */
export const abortIngestJob = (client: SalesforceClient, jobId: string) =>
  setState(client, jobId, 'Aborted');

/** The job's info (one API call). */
export async function ingestJobInfo(
  client: SalesforceClient,
  jobId: string,
  signal?: AbortSignal,
): Promise<IngestJobInfo> {
  const response = await client.fetch(jobPath(client, jobId), { signal });
  return (await response.json()) as IngestJobInfo;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls a closed job until Salesforce stops working on it (`JobComplete`, `Failed`, `Aborted`),
 * one API request per look (Get Information About an Ingest Job,
 * https://developer.salesforce.com/docs/platform/api-asynch/guide/get-job-info.html). Salesforce
 * documents no polling interval. The first look comes after 100 ms and the wait grows 1.5x up to
 * 2 s: a job of 10,000 records a quick org finishes in a few tenths of a second is read about
 * half a second sooner than after a first wait of a second, for two or three more polls; a job
 * that takes longer spends about five more polls in all (100, 150, 225 ... ms reach 2 s after 8
 * polls and 4.9 s; 1, 1.5, 2 s after 3 polls and 4.5 s).
 */
export async function waitForIngestJob(
  client: SalesforceClient,
  job: IngestJobInfo,
  options: IngestOptions = {},
): Promise<IngestJobInfo> {
  let wait = options.pollIntervalMs ?? 100;
  // At most 2 s between polls: the sync waits on the job (the end of a pull waits for its last
  // write-back, a push round for its job), so a longer wait costs more time than the few extra
  // calls it saves.
  const maxWait = Math.max(wait, 2_000);
  const timeoutMs = options.timeoutMs ?? 30 * 60_000;
  const deadline = Date.now() + timeoutMs;
  let info = job;
  while (info.state === 'UploadComplete' || info.state === 'InProgress') {
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new SalesforceApiError(
        'BULK_JOB_TIMEOUT',
        `Bulk ingest job ${info.id} did not finish within ${timeoutMs} ms (${info.state})`,
      );
    }
    await sleep(Math.min(wait, left), options.signal);
    wait = Math.min(maxWait, Math.ceil(wait * 1.5));
    info = await ingestJobInfo(client, info.id, options.signal);
  }
  return info;
}

/**
 * `sf__Error` as Salesforce writes it, `CODE:message:Field1,Field2 --` (several errors one after
 * the other): the first error's code, message and fields.
 */
export function parseIngestError(text: string | null): RecordError {
  const raw = (text ?? '').trim();
  const match = /^([A-Z][A-Z0-9_]*):([\s\S]*?):([^:]*?)\s*--/.exec(raw);
  if (!match) return { statusCode: 'UNKNOWN_EXCEPTION', message: raw, fields: [] };
  return {
    statusCode: match[1]!,
    message: match[2]!,
    fields: match[3]!
      .split(',')
      .map((field) => field.trim())
      .filter(Boolean),
  };
}

/**
 * The rows of one result set as they stream in: a job's results are read into the outcomes one
 * row at a time, never all of a set's rows at once (a set holds up to a job's 50,000 and more
 * records).
 */
async function* resultRows(
  client: SalesforceClient,
  jobId: string,
  name: 'successfulResults' | 'failedResults' | 'unprocessedrecords',
  signal?: AbortSignal,
): AsyncGenerator<CsvRecord> {
  const response = await client.fetch(jobPath(client, jobId, `/${name}`), {
    headers: { accept: 'text/csv' },
    signal,
  });
  yield* csvRecords(response.body);
}

/**
 * Reads the `keyField` column, whatever its case, of the rows of one result set. Every row of a
 * set holds the set's header as its keys (csv-records.ts), so the column is found once, on the
 * set's first row, instead of once per row.
 */
function keyReader(keyField: string): (row: CsvRecord) => string | null {
  const wanted = keyField.toLowerCase();
  let column: string | undefined | null = null;
  return (row) => {
    if (column === null) column = Object.keys(row).find((name) => name.toLowerCase() === wanted);
    return column === undefined ? null : (row[column] ?? null);
  };
}

/**
 * The outcome of each record of a finished job, by the value of its `keyField` column (one to
 * three API calls), as the results stream in. A record Salesforce did not process (the job was
 * aborted or failed) fails with `BULK_RECORD_UNPROCESSED`. The failed results are read only when
 * the job info counts failed records, and the unprocessed ones only for a job that did not
 * complete: Salesforce lists unprocessed records "for failed or aborted jobs"
 * (https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_unprocessed_results.htm),
 * so a job of a million records written back without a refusal spends one results call. An
 * unprocessed record already listed as processed is left out; a key listed both as succeeded and
 * as failed comes twice, the failure last (as `readIngestResults` keeps it).
 */
export async function* ingestOutcomes(
  client: SalesforceClient,
  job: IngestJobInfo,
  keyField: string,
  signal?: AbortSignal,
): AsyncGenerator<[key: string, outcome: IngestOutcome]> {
  // Only a job that did not complete needs the keys seen, to leave out its unprocessed ones.
  const seen = job.state === 'JobComplete' ? null : new Set<string>();
  let keyOf = keyReader(keyField);
  for await (const row of resultRows(client, job.id, 'successfulResults', signal)) {
    const key = keyOf(row) ?? row['sf__Id'];
    if (!key) continue;
    seen?.add(key);
    yield [
      key,
      {
        id: row['sf__Id'] ?? null,
        success: true,
        created: row['sf__Created'] === 'true',
        errors: [],
      },
    ];
  }
  if (job.numberRecordsFailed !== 0) {
    keyOf = keyReader(keyField);
    for await (const row of resultRows(client, job.id, 'failedResults', signal)) {
      const key = keyOf(row);
      if (!key) continue;
      seen?.add(key);
      yield [
        key,
        {
          id: row['sf__Id'] ?? null,
          success: false,
          created: false,
          errors: [parseIngestError(row['sf__Error'] ?? null)],
        },
      ];
    }
  }
  if (seen) {
    keyOf = keyReader(keyField);
    for await (const row of resultRows(client, job.id, 'unprocessedrecords', signal)) {
      const key = keyOf(row);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      yield [
        key,
        {
          id: null,
          success: false,
          created: false,
          errors: [
            {
              statusCode: 'BULK_RECORD_UNPROCESSED',
              message: `Bulk ingest job ${job.id} ended ${job.state}${job.errorMessage ? ` (${job.errorMessage})` : ''} before Salesforce processed the record`,
              fields: [],
            },
          ],
        },
      ];
    }
  }
}

/** Every record's outcome of a finished job by its `keyField` (`ingestOutcomes`, collected). */
export async function readIngestResults(
  client: SalesforceClient,
  job: IngestJobInfo,
  keyField: string,
  signal?: AbortSignal,
): Promise<Map<string, IngestOutcome>> {
  const outcomes = new Map<string, IngestOutcome>();
  for await (const [key, outcome] of ingestOutcomes(client, job, keyField, signal)) {
    outcomes.set(key, outcome);
  }
  return outcomes;
}

/** The outcome for a record the results did not mention at all. */
export function missingOutcome(jobId: string): IngestOutcome {
  return {
    id: null,
    success: false,
    created: false,
    errors: [
      {
        statusCode: 'BULK_RECORD_UNPROCESSED',
        message: `Bulk ingest job ${jobId} reported nothing for the record`,
        fields: [],
      },
    ],
  };
}

/**
 * Sends `records` through one ingest job and answers each one's outcome by `keyField` (which
 * every record must carry). `onCreated` runs after the job is created and before the data is
 * uploaded: store the job id there to resume after a crash.
 */
export async function ingestRecords(
  client: SalesforceClient,
  job: IngestJobToSend & { keyField: string },
  onCreated: (jobId: string) => Promise<void>,
  options: IngestOptions = {},
): Promise<Map<string, IngestOutcome>> {
  const finished = await sendIngestJob(client, job, onCreated, options);
  return readIngestResults(client, finished, job.keyField, options.signal);
}

/** What `sendIngestJob` sends: the job's object and operation, and its records. */
export interface IngestJobToSend {
  object: string;
  operation: IngestOperation;
  externalIdFieldName?: string;
  /** Read once, into the upload's CSV: a generator need not hold them all. */
  records: Iterable<IngestRecord>;
}

/**
 * Creates an ingest job, uploads `records` as its one CSV, closes it and waits for Salesforce to
 * finish it; answers the finished job, whose outcomes `ingestOutcomes` reads. `onCreated` runs as
 * in `ingestRecords`. Neither the records nor their CSV outlive the upload.
 */
export async function sendIngestJob(
  client: SalesforceClient,
  job: IngestJobToSend,
  onCreated: (jobId: string) => Promise<void>,
  options: IngestOptions = {},
): Promise<IngestJobInfo> {
  // Built first: a record that cannot go (a field name Salesforce would refuse) throws before
  // any job exists.
  const csv = ingestCsv(job.records);
  const created = await createIngestJob(client, job, options.signal);
  await onCreated(created.id);
  await uploadIngestData(client, created.id, csv, options.signal);
  const closed = await closeIngestJob(client, created.id);
  return waitForIngestJob(client, closed, options);
}

/**
 * Picks up a job a crashed run started. A job still `Open` was never closed, so Salesforce
 * processed none of its records: it is aborted and null is answered (send the records again).
 * Otherwise waits for it to finish and answers its outcomes.
 */
export async function resumeIngest(
  client: SalesforceClient,
  jobId: string,
  keyField: string,
  options: IngestOptions = {},
): Promise<Map<string, IngestOutcome> | null> {
  const info = await ingestJobInfo(client, jobId, options.signal);
  if (info.state === 'Open') {
    await abortIngestJob(client, jobId);
    return null;
  }
  const finished = await waitForIngestJob(client, info, options);
  return readIngestResults(client, finished, keyField, options.signal);
}
