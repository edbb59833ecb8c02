import type { Request, Response, Router } from 'express';
import type { Org } from '../org/org.ts';
import { formatDateTime } from '../org/values.ts';
import { purgeDeletedRecords } from '../rest/delete-log.ts';
import { apiContext, sendErrors, sendJson } from '../rest/respond.ts';
import { csvRow, DELIMITERS, LINE_ENDINGS, quote } from './csv-writer.ts';
import { parseUpload } from './ingest-csv.ts';
import { applyRow } from './ingest-rows.ts';
import { invalidInput as invalid, type BulkJobKind, type FindJob } from './job-routes.ts';
import { jobInfo, jobsOf, type IngestJob } from './job-store.ts';

/**
 * Bulk API 2.0 ingest jobs (insert, update, upsert by `externalIdFieldName`, delete): CSV
 * upload, `UploadComplete`, processing 200 rows per transaction in slices that yield to the
 * event loop, result files. A row that
 * fails is reported in `failedResults`; it never fails the job. List, job info, abort and delete
 * are the routes every job kind shares (`job-routes.ts`).
 */

const OPERATIONS = new Set(['insert', 'update', 'upsert', 'delete', 'hardDelete']);
const ROWS_PER_TRANSACTION = 200;
/**
 * Rows processed before the job yields to the event loop: the org keeps answering queries,
 * polls and other jobs while a large job runs (a job of 50,000 rows in one turn held every other
 * request for seconds), as Salesforce processes a job in the background.
 */
const ROWS_PER_TURN = 2_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The job's uploads as rows, the header of the first one kept as the job's input headers. */
function uploadedRows(job: IngestJob): string[][] {
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const rows: string[][] = [];
  for (const upload of job.uploads) {
    const parsed = parseUpload(upload, delimiter);
    const head = parsed[0];
    if (!head) continue;
    if (job.inputHeaders.length === 0) job.inputHeaders = head;
    for (let i = 1; i < parsed.length; i++) rows.push(parsed[i]!);
  }
  return rows;
}

/** One result line: the outcome's two cells, then the row as uploaded, and the line ending. */
function resultLine(
  id: string,
  outcome: string,
  row: string[],
  delimiter: string,
  eol: string,
): string {
  const cells = row.length === 0 ? '' : delimiter + csvRow(row, delimiter);
  return quote(id) + delimiter + quote(outcome) + cells + eol;
}

/** CSV lines of result rows, each with its line ending, as one string (the compact form kept). */
function csvLines(job: IngestJob, rows: (string | null)[][]): string {
  if (rows.length === 0) return '';
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const eol = LINE_ENDINGS[job.lineEnding] ?? '\n';
  let text = '';
  for (const row of rows) text += csvRow(row, delimiter) + eol;
  return text;
}

/**
 * Processes the job's rows, 200 per transaction, yielding to the event loop every
 * `ROWS_PER_TURN` rows. The uploaded CSV is let go once parsed and each slice's rows once
 * applied; results are kept as the CSV lines the result routes answer with (`sf__Id`,
 * `sf__Created` or `sf__Error`, then the row as uploaded), not as objects per row. An abort
 * between slices leaves the rest unprocessed (`aborted`).
 */
async function processJob(org: Org, job: IngestJob): Promise<void> {
  const store = jobsOf(org);
  const started = Date.now();
  let rows: string[][];
  try {
    rows = uploadedRows(job);
  } catch (e) {
    job.errorMessage = `InvalidBatch : ${(e as Error).message}`;
    store.touch(job, 'Failed');
    return;
  }
  job.uploads = [];
  const headers = job.inputHeaders;
  job.pending = { rows, next: 0 };
  // Bulk API 2.0 splits ingest data into internal batches of 10,000 records.
  org.limits.count('DailyBulkApiBatches', Math.max(1, Math.ceil(rows.length / 10_000)));
  const origin = `com/salesforce/api/bulkapi/${job.apiVersion.toFixed(1)}`;
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const eol = LINE_ENDINGS[job.lineEnding] ?? '\n';
  for (let turn = 0; turn < rows.length; turn += ROWS_PER_TURN) {
    if (turn > 0) await nextTurn();
    if (job.state !== 'InProgress') return;
    // Result lines are written as each row is applied, not kept as cells first.
    let successful = '';
    let failed = '';
    let failures = 0;
    const end = Math.min(rows.length, turn + ROWS_PER_TURN);
    for (let i = turn; i < end; i += ROWS_PER_TRANSACTION) {
      const chunk = rows.slice(i, Math.min(end, i + ROWS_PER_TRANSACTION));
      const hardDeleted: string[] = [];
      org.write(job.createdById, origin, (tx, dml) => {
        for (const row of chunk) {
          const outcome = applyRow(
            tx,
            dml,
            job.operation,
            job.object,
            job.externalIdFieldName,
            headers,
            row,
          );
          if (outcome.ok) {
            successful += resultLine(outcome.id, String(outcome.created), row, delimiter, eol);
          } else {
            failed += resultLine(outcome.id, outcome.error, row, delimiter, eol);
            failures += 1;
          }
          if (outcome.ok && job.operation === 'hardDelete') hardDeleted.push(outcome.id);
        }
      });
      // hardDelete: "the deleted records aren't stored in the Recycle Bin" (Bulk API 2.0 guide):
      // queryAll no longer sees them; getDeleted still lists them.
      purgeDeletedRecords(org, job.object, hardDeleted);
    }
    job.successfulCsv.push(successful);
    job.failedCsv.push(failed);
    job.numberRecordsFailed += failures;
    job.numberRecordsProcessed += end - turn;
    job.pending.next = end;
    // Let the applied rows go: only the results stay.
    rows.fill([], turn, end);
  }
  job.pending = undefined;
  job.totalProcessingTime = Date.now() - started;
  job.apiActiveProcessingTime = job.totalProcessingTime;
  store.touch(job, 'JobComplete');
}

function resultCsv(job: IngestJob, leading: string[], lines: readonly string[]): string {
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const eol = LINE_ENDINGS[job.lineEnding] ?? '\n';
  const header = [...leading.map(quote), ...job.inputHeaders].join(delimiter);
  return header + eol + lines.join('');
}

function create(req: Request, res: Response): void {
  const { org, session, version } = apiContext(res);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const operation = String(body['operation'] ?? '');
  if (!OPERATIONS.has(operation)) return invalid(res, `Invalid operation: ${operation}`);
  const d = org.describe(String(body['object'] ?? ''));
  if (!d)
    return sendErrors(res, 400, [
      {
        message: `sObject type '${String(body['object'] ?? '')}' is not supported.`,
        errorCode: 'INVALID_TYPE',
      },
    ]);
  const externalIdFieldName =
    typeof body['externalIdFieldName'] === 'string' ? body['externalIdFieldName'] : undefined;
  if (operation === 'upsert') {
    const field = externalIdFieldName ? org.schema.field(d.name, externalIdFieldName) : undefined;
    if (!field || !(field.externalId || field.name === 'Id')) {
      return invalid(res, `Invalid External ID field: ${externalIdFieldName ?? ''}`);
    }
  }
  const columnDelimiter =
    typeof body['columnDelimiter'] === 'string' ? body['columnDelimiter'] : 'COMMA';
  const lineEnding = typeof body['lineEnding'] === 'string' ? body['lineEnding'] : 'LF';
  if (!DELIMITERS[columnDelimiter])
    return invalid(res, `Invalid column delimiter: ${columnDelimiter}`);
  if (!LINE_ENDINGS[lineEnding]) return invalid(res, `Invalid line ending: ${lineEnding}`);
  const store = jobsOf(org);
  const now = formatDateTime(org.now());
  const job: IngestJob = {
    kind: 'ingest',
    id: store.newId(),
    operation,
    object: d.name,
    externalIdFieldName:
      operation === 'upsert'
        ? org.schema.field(d.name, externalIdFieldName ?? '')?.name
        : undefined,
    createdById: session.userId,
    createdDate: now,
    systemModstamp: now,
    state: 'Open',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(version),
    lineEnding,
    columnDelimiter,
    numberRecordsProcessed: 0,
    numberRecordsFailed: 0,
    retries: 0,
    totalProcessingTime: 0,
    apiActiveProcessingTime: 0,
    apexProcessingTime: 0,
    uploads: [],
    successfulCsv: [],
    failedCsv: [],
    unprocessedCsv: [],
    inputHeaders: [],
  };
  store.add(job);
  sendJson(res, 200, jobInfo(job, false));
}

/** `UploadComplete` queues the job: InProgress on the next turn, processed after the delay. */
function changeState(job: IngestJob, state: unknown, res: Response): boolean {
  if (state !== 'UploadComplete') return false;
  const { org } = apiContext(res);
  if (job.state !== 'Open') {
    invalid(res, `Job is not in the Open state: ${job.state}`, 409);
    return true;
  }
  jobsOf(org).touch(job, 'UploadComplete');
  sendJson(res, 200, jobInfo(job, false));
  setImmediate(() => {
    if (job.state !== 'UploadComplete') return;
    jobsOf(org).touch(job, 'InProgress');
    setTimeout(() => {
      if (job.state !== 'InProgress') return;
      processJob(org, job).catch((e: unknown) => {
        job.pending = undefined;
        job.errorMessage = `InternalServerError : ${(e as Error).message}`;
        jobsOf(org).touch(job, 'Failed');
      });
    }, org.config.bulkJobMilliseconds ?? 0);
  });
  return true;
}

/**
 * The rows an aborted job did not process: those of its uploads when it never started, or those
 * after the last slice it processed.
 */
function aborted(job: IngestJob): void {
  let rest: string[][];
  if (job.pending) {
    rest = job.pending.rows.slice(job.pending.next);
    job.pending = undefined;
  } else {
    rest = uploadedRows(job);
    job.uploads = [];
  }
  job.unprocessedCsv.push(csvLines(job, rest));
}

function jobRoutes(r: Router, base: string, find: FindJob<IngestJob>): void {
  r.put(`${base}/:jobId/batches`, (req, res) => {
    const job = find(req, res);
    if (!job) return;
    if (job.state !== 'Open')
      return invalid(res, `Job is not in the Open state: ${job.state}`, 409);
    const text =
      typeof req.body === 'string'
        ? req.body
        : Buffer.isBuffer(req.body)
          ? req.body.toString('utf8')
          : '';
    if (text.trim() === '') return invalid(res, 'The CSV upload is empty');
    job.uploads.push(text);
    res.status(201).end();
  });

  const sendCsv = (res: Response, text: string): void => {
    res.status(200).set('Content-Type', 'text/csv').send(text);
  };

  r.get(`${base}/:jobId/successfulResults`, (req, res) => {
    const job = find(req, res);
    if (!job) return;
    sendCsv(res, resultCsv(job, ['sf__Id', 'sf__Created'], job.successfulCsv));
  });

  r.get(`${base}/:jobId/failedResults`, (req, res) => {
    const job = find(req, res);
    if (!job) return;
    sendCsv(res, resultCsv(job, ['sf__Id', 'sf__Error'], job.failedCsv));
  });

  r.get(`${base}/:jobId/unprocessedrecords`, (req, res) => {
    const job = find(req, res);
    if (!job) return;
    sendCsv(res, resultCsv(job, [], job.unprocessedCsv));
  });
}

export const ingestJobs: BulkJobKind<IngestJob> = {
  kind: 'ingest',
  create,
  changeState,
  aborted,
  jobRoutes,
};
