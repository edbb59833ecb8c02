import { Router, type Request, type Response } from 'express';
import type { Org } from '../org/org.ts';
import { SoqlError, columnMetadata, executeSoql, type QueryRecord } from '../soql/index.ts';
import { QueryCursors } from './query-cursors.ts';
import { apiContext, sendErrors, sendJson } from './respond.ts';
import { isUserRecordAccessQuery, userRecordAccessQuery } from './user-record-access.ts';

/**
 * `query` and `queryAll`: runs SOQL, pages results in batches (2,000 by default,
 * `Sforce-Query-Options: batchSize=N` between 200 and 2,000) behind `nextRecordsUrl`
 * cursors, and answers `columns=true` with column metadata.
 */

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;

const cursorsByOrg = new WeakMap<Org, QueryCursors>();

function cursorsOf(org: Org): QueryCursors {
  let c = cursorsByOrg.get(org);
  if (!c) cursorsByOrg.set(org, (c = new QueryCursors(org.id.slice(3, 5))));
  return c;
}

export function batchSizeOf(req: Request): number {
  const header = req.get('sforce-query-options') ?? '';
  const m = /batchSize\s*=\s*(\d+)/i.exec(header);
  if (!m) return DEFAULT_BATCH;
  return Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Number(m[1])));
}

function page(
  version: string,
  cursor: { id: string; totalSize: number; records: QueryRecord[] },
  offset: number,
  batchSize: number,
): Record<string, unknown> {
  const records = cursor.records.slice(offset, offset + batchSize);
  const next = offset + batchSize;
  const done = next >= cursor.records.length;
  const body: Record<string, unknown> = { totalSize: cursor.totalSize, done };
  if (!done) body['nextRecordsUrl'] = `/services/data/v${version}/query/${cursor.id}-${next}`;
  body['records'] = records;
  return body;
}

function sendSoqlError(res: Response, e: unknown): void {
  if (e instanceof SoqlError) {
    sendErrors(res, 400, [{ message: e.message, errorCode: e.errorCode }]);
    return;
  }
  throw e;
}

function runQuery(includeDeleted: boolean) {
  return (req: Request, res: Response): void => {
    const { org, version } = apiContext(res);
    const q = typeof req.query['q'] === 'string' ? req.query['q'] : '';
    if (q.trim() === '') {
      sendErrors(res, 400, [
        { message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' },
      ]);
      return;
    }
    try {
      if (req.query['columns'] === 'true') {
        sendJson(res, 200, columnMetadata(q, org));
        return;
      }
      if (isUserRecordAccessQuery(q)) {
        sendJson(res, 200, userRecordAccessQuery(q, org));
        return;
      }
      const result = executeSoql(q, org, {
        includeDeleted,
        now: new Date(org.now()),
        apiVersion: version,
      });
      const batchSize = batchSizeOf(req);
      if (result.records.length <= batchSize) {
        sendJson(res, 200, result);
        return;
      }
      const cursor = cursorsOf(org).create(result.records, result.totalSize, batchSize, org.now());
      sendJson(res, 200, page(version, cursor, 0, batchSize));
    } catch (e) {
      sendSoqlError(res, e);
    }
  };
}

function moreResults(req: Request, res: Response): void {
  const { org, version } = apiContext(res);
  const found = cursorsOf(org).resolve(String(req.params['locator']), org.now());
  if (!found || found.offset > found.cursor.records.length) {
    sendErrors(res, 400, [
      { message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' },
    ]);
    return;
  }
  sendJson(res, 200, page(version, found.cursor, found.offset, found.cursor.batchSize));
}

export function queryRouter(): Router {
  const r = Router({ mergeParams: true });
  r.get('/query', runQuery(false));
  r.get('/queryAll', runQuery(true));
  r.get('/query/:locator', moreResults);
  r.get('/queryAll/:locator', moreResults);
  return r;
}
