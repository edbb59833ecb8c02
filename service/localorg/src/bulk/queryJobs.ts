import { Router, type Request, type Response } from 'express';
import { formatDateTime } from '../org/values.ts';
import { apiContext, NOT_FOUND, sendErrors, sendJson } from '../rest/respond.ts';
import { SoqlError, executeSoqlToCsv } from '../soql/index.ts';
import { csvText, DELIMITERS, LINE_ENDINGS } from './csvWriter.ts';
import { jobInfo, jobsOf, type QueryJob } from './jobStore.ts';

/**
 * Bulk API 2.0 query jobs: create (`query`/`queryAll`), poll (UploadComplete → InProgress →
 * JobComplete), results as CSV paged by `locator`/`maxRecords`, abort, delete, list.
 */

/** Locators are opaque to clients; these encode the next row offset. */
function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function decodeLocator(locator: string): number | undefined {
  const n = Number(Buffer.from(locator, 'base64').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function invalid(res: Response, message: string, status = 400): void {
  sendErrors(res, status, [{ message, errorCode: 'INVALID_INPUT' }]);
}

export function queryJobsRouter(): Router {
  const r = Router({ mergeParams: true });

  r.post('/jobs/query', (req, res) => {
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
  });

  r.get('/jobs/query', (_req, res) => {
    const { org } = apiContext(res);
    sendJson(res, 200, {
      done: true,
      records: jobsOf(org)
        .list('query')
        .map((j) => jobInfo(j, false)),
      nextRecordsUrl: null,
    });
  });

  const find = (req: Request, res: Response): QueryJob | undefined => {
    const job = jobsOf(apiContext(res).org).get(String(req.params['jobId']), 'query');
    if (!job) sendErrors(res, 404, NOT_FOUND);
    return job as QueryJob | undefined;
  };

  r.get('/jobs/query/:jobId', (req, res) => {
    const job = find(req, res);
    if (job) sendJson(res, 200, jobInfo(job, true));
  });

  r.patch('/jobs/query/:jobId', (req, res) => {
    const job = find(req, res);
    if (!job) return;
    const state = (req.body as Record<string, unknown> | undefined)?.['state'];
    if (state !== 'Aborted') return invalid(res, `Invalid state: ${String(state)}`);
    if (job.state === 'JobComplete' || job.state === 'Failed' || job.state === 'Aborted') {
      return invalid(res, `Job is already in a terminal state: ${job.state}`, 409);
    }
    jobsOf(apiContext(res).org).touch(job, 'Aborted');
    sendJson(res, 200, jobInfo(job, false));
  });

  r.delete('/jobs/query/:jobId', (req, res) => {
    const job = find(req, res);
    if (!job) return;
    if (job.state === 'UploadComplete' || job.state === 'InProgress') {
      return invalid(res, 'Job must be in a terminal state to be deleted', 409);
    }
    jobsOf(apiContext(res).org).delete(job.id);
    res.status(204).end();
  });

  r.get('/jobs/query/:jobId/results', (req, res) => {
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

  return r;
}
