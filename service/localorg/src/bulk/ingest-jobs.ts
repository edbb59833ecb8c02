import type { Request, Response, Router } from 'express';
import { parse } from 'csv-parse/sync';
import type { Org } from '../org/org.ts';
import { formatDateTime } from '../org/values.ts';
import { purgeDeletedRecords } from '../rest/delete-log.ts';
import { apiContext, sendErrors, sendJson } from '../rest/respond.ts';
import { csvRow, DELIMITERS, LINE_ENDINGS, quote } from './csv-writer.ts';
import { applyRow } from './ingest-rows.ts';
import { invalidInput as invalid, type BulkJobKind, type FindJob } from './job-routes.ts';
import { jobInfo, jobsOf, type IngestJob } from './job-store.ts';

/**
 * Bulk API 2.0 ingest jobs (insert, update, upsert by `externalIdFieldName`, delete): CSV
 * upload, `UploadComplete`, processing 200 rows per transaction, result files. A row that
 * fails is reported in `failedResults`; it never fails the job. List, job info, abort and delete
 * are the routes every job kind shares (`job-routes.ts`).
 */

const OPERATIONS = new Set(['insert', 'update', 'upsert', 'delete', 'hardDelete']);
const ROWS_PER_TRANSACTION = 200;

function processJob(org: Org, job: IngestJob): void {
  const store = jobsOf(org);
  const started = Date.now();
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  let headers: string[] = [];
  const rows: string[][] = [];
  try {
    for (const upload of job.uploads) {
      const parsed = parse(upload, {
        delimiter,
        bom: true,
        skip_empty_lines: true,
        relax_column_count: false,
      }) as string[][];
      const [head, ...body] = parsed;
      if (!head) continue;
      if (headers.length === 0) headers = head;
      rows.push(...body);
    }
  } catch (e) {
    job.errorMessage = `InvalidBatch : ${(e as Error).message}`;
    store.touch(job, 'Failed');
    return;
  }
  job.inputHeaders = headers;
  // Bulk API 2.0 splits ingest data into internal batches of 10,000 records.
  org.limits.count('DailyBulkApiBatches', Math.max(1, Math.ceil(rows.length / 10_000)));
  const origin = `com/salesforce/api/bulkapi/${job.apiVersion.toFixed(1)}`;
  for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION) {
    if (job.state === 'Aborted') {
      job.unprocessed.push(...rows.slice(i));
      return;
    }
    const chunk = rows.slice(i, i + ROWS_PER_TRANSACTION);
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
        if (outcome.ok) job.successful.push({ id: outcome.id, created: outcome.created, row });
        else job.failed.push({ id: outcome.id, error: outcome.error, row });
        if (outcome.ok && job.operation === 'hardDelete') hardDeleted.push(outcome.id);
      }
    });
    // hardDelete: "the deleted records aren't stored in the Recycle Bin" (Bulk API 2.0 guide):
    // queryAll no longer sees them; getDeleted still lists them.
    purgeDeletedRecords(org, job.object, hardDeleted);
    job.numberRecordsProcessed = job.successful.length + job.failed.length;
    job.numberRecordsFailed = job.failed.length;
  }
  job.totalProcessingTime = Date.now() - started;
  job.apiActiveProcessingTime = job.totalProcessingTime;
  store.touch(job, 'JobComplete');
}

function resultCsv(job: IngestJob, leading: string[], rows: (string | null)[][]): string {
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  const eol = LINE_ENDINGS[job.lineEnding] ?? '\n';
  const header = [...leading.map(quote), ...job.inputHeaders].join(delimiter);
  return [header, ...rows.map((r) => csvRow(r, delimiter))].join(eol) + eol;
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
    successful: [],
    failed: [],
    unprocessed: [],
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
      if (job.state === 'InProgress') processJob(org, job);
    }, org.config.bulkJobMilliseconds ?? 0);
  });
  return true;
}

/**
 * Processing runs within one turn of the event loop: a job still open, uploaded or waiting
 * InProgress has not touched a row, so every uploaded row is unprocessed.
 */
function aborted(job: IngestJob): void {
  const delimiter = DELIMITERS[job.columnDelimiter] ?? ',';
  for (const upload of job.uploads) {
    const [head, ...body] = parse(upload, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
    }) as string[][];
    if (head && job.inputHeaders.length === 0) job.inputHeaders = head;
    job.unprocessed.push(...body);
  }
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
    sendCsv(
      res,
      resultCsv(
        job,
        ['sf__Id', 'sf__Created'],
        job.successful.map((s) => [s.id, String(s.created), ...s.row]),
      ),
    );
  });

  r.get(`${base}/:jobId/failedResults`, (req, res) => {
    const job = find(req, res);
    if (!job) return;
    sendCsv(
      res,
      resultCsv(
        job,
        ['sf__Id', 'sf__Error'],
        job.failed.map((f) => [f.id, f.error, ...f.row]),
      ),
    );
  });

  r.get(`${base}/:jobId/unprocessedrecords`, (req, res) => {
    const job = find(req, res);
    if (!job) return;
    sendCsv(res, resultCsv(job, [], job.unprocessed));
  });
}

export const ingestJobs: BulkJobKind<IngestJob> = {
  kind: 'ingest',
  create,
  changeState,
  aborted,
  jobRoutes,
};
