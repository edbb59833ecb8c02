import type { Request, Response, Router } from 'express';
import { formatDateTime } from '../org/values.ts';
import { apiContext, sendErrors, sendJson } from '../rest/respond.ts';
import { SoqlError, executeSoqlToCsv } from '../soql/index.ts';
import { csvText, DELIMITERS, LINE_ENDINGS } from './csv-writer.ts';
import { invalidInput as invalid, type BulkJobKind, type FindJob } from './job-routes.ts';
import { jobInfo, jobsOf, type QueryJob } from './job-store.ts';

/**
 * Bulk API 2.0 query jobs: create (`query`/`queryAll`), poll (UploadComplete → InProgress →
 * JobComplete) and results as CSV paged by `locator`/`maxRecords`. List, job info, abort and
 * delete are the routes every job kind shares (`job-routes.ts`).
 */

/** Locators are opaque to clients; these encode the next row offset. */
function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function decodeLocator(locator: string): number | undefined {
  const n = Number(Buffer.from(locator, 'base64').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function create(req: Request, res: Response): void {
  const { org, session, version } = apiContext(res);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const operation = body['operation'];
  if (operation !== 'query' && operation !== 'queryAll') {
    return invalid(res, `Invalid operation: ${String(operation)}`);
  }
  const query = typeof body['query'] === 'string' ? body['query'] : '';
  const columnDelimiter =
    typeof body['columnDelimiter'] === 'string' ? body['columnDelimiter'] : 'COMMA';
  const lineEnding = typeof body['lineEnding'] === 'string' ? body['lineEnding'] : 'LF';
  if (!DELIMITERS[columnDelimiter])
    return invalid(res, `Invalid column delimiter: ${columnDelimiter}`);
  if (!LINE_ENDINGS[lineEnding]) return invalid(res, `Invalid line ending: ${lineEnding}`);
  let table: { headers: string[]; rows: (string | null)[][] };
  const started = Date.now();
  try {
    table = executeSoqlToCsv(query, org, {
      includeDeleted: operation === 'queryAll',
      now: new Date(org.now()),
      apiVersion: version,
    });
  } catch (e) {
    if (e instanceof SoqlError)
      return sendErrors(res, 400, [{ message: e.message, errorCode: e.errorCode }]);
    throw e;
  }
  const store = jobsOf(org);
  const now = formatDateTime(org.now());
  const objectMatch = /\bfrom\s+([A-Za-z0-9_]+)/i.exec(query);
  const job: QueryJob = {
    kind: 'query',
    id: store.newId(),
    operation,
    object: org.describe(objectMatch?.[1] ?? '')?.name ?? objectMatch?.[1] ?? '',
    createdById: session.userId,
    createdDate: now,
    systemModstamp: now,
    state: 'UploadComplete',
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(version),
    lineEnding,
    columnDelimiter,
    numberRecordsProcessed: 0,
    retries: 0,
    totalProcessingTime: 0,
    query,
    headers: table.headers,
    rows: table.rows,
  };
  store.add(job);
  org.limits.count('DailyBulkV2QueryJobs');
  sendJson(res, 200, jobInfo(job, false));
  // The result set is already computed; the job still passes through InProgress as on a
  // real org, finishing on the next turn of the event loop.
  setImmediate(() => {
    if (job.state !== 'UploadComplete') return;
    store.touch(job, 'InProgress');
    setTimeout(() => {
      if (job.state !== 'InProgress') return;
      job.numberRecordsProcessed = job.rows.length;
      job.totalProcessingTime = Date.now() - started;
      store.touch(job, 'JobComplete');
    }, org.config.bulkJobMilliseconds ?? 0);
  });
}

function jobRoutes(r: Router, base: string, find: FindJob<QueryJob>): void {
  r.get(`${base}/:jobId/results`, (req, res) => {
    const job = find(req, res);
    if (!job) return;
    if (job.state !== 'JobComplete') {
      return invalid(res, `Job is not in a state to return results: ${job.state}`);
    }
    const locator =
      typeof req.query['locator'] === 'string' && req.query['locator'] !== ''
        ? req.query['locator']
        : undefined;
    const offset = locator === undefined ? 0 : decodeLocator(locator);
    if (offset === undefined || offset > job.rows.length)
      return invalid(res, `Invalid locator: ${locator ?? ''}`);
    const maxRecords = Number(req.query['maxRecords'] ?? 0);
    if (
      req.query['maxRecords'] !== undefined &&
      (!Number.isInteger(maxRecords) || maxRecords <= 0)
    ) {
      return invalid(res, `Invalid maxRecords: ${String(req.query['maxRecords'])}`);
    }
    const end = maxRecords > 0 ? Math.min(job.rows.length, offset + maxRecords) : job.rows.length;
    const rows = job.rows.slice(offset, end);
    res.status(200);
    res.set('Content-Type', 'text/csv');
    res.set('Sforce-NumberOfRecords', String(rows.length));
    res.set('Sforce-Locator', end < job.rows.length ? encodeLocator(end) : 'null');
    res.send(
      csvText(
        job.headers,
        rows,
        DELIMITERS[job.columnDelimiter] ?? ',',
        LINE_ENDINGS[job.lineEnding] ?? '\n',
      ),
    );
  });
}

export const queryJobs: BulkJobKind<QueryJob> = { kind: 'query', create, jobRoutes };
