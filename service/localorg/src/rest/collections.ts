import { Router, type Request, type Response } from 'express';
import type { ApiError, StoredRecord } from '../core/contracts.ts';
import type { Dml } from '../org/dml.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import { DmlError, type Transaction } from '../org/transaction.ts';
import { restRecord } from './record-view.ts';
import { apiContext, NOT_FOUND, restOrigin, sendErrors, sendJson } from './respond.ts';

/**
 * sObject Collections (`/composite/sobjects`): create, update, upsert, delete and retrieve up
 * to 200 records in one call. Per-record results carry `statusCode` errors; with `allOrNone`
 * one failure rolls every record back.
 */

const MAX_RECORDS = 200;

interface CollectionError {
  statusCode: string;
  message: string;
  fields: string[];
}

interface CollectionResult {
  id?: string | null;
  success: boolean;
  errors: CollectionError[];
  created?: boolean;
}

const ROLLED_BACK: CollectionError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message:
    'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

function toCollectionErrors(e: unknown): CollectionError[] {
  if (!(e instanceof DmlError)) throw e;
  return e.errors.map((x: ApiError) => ({
    statusCode: x.errorCode,
    message: x.message,
    fields: x.fields ?? [],
  }));
}

function tooMany(res: Response): void {
  sendErrors(res, 400, [
    {
      message: 'record limit reached. cannot submit more than 200 records into this call',
      errorCode: 'EXCEEDED_ID_LIMIT',
    },
  ]);
}

/**
 * Runs one operation per item inside one transaction; a failed item's partial changes are
 * undone, and with allOrNone every item's are.
 */
function runAll<T>(
  org: Org,
  userId: string,
  version: string,
  items: T[],
  allOrNone: boolean,
  op: (tx: Transaction, dml: Dml, item: T) => CollectionResult,
  failureId: (item: T) => string | null | undefined,
): CollectionResult[] {
  return org.write(userId, restOrigin(version), (tx, dml) => {
    const results: CollectionResult[] = [];
    const start = tx.savepoint();
    let failed = false;
    for (const item of items) {
      const savepoint = tx.savepoint();
      try {
        results.push(op(tx, dml, item));
      } catch (e) {
        tx.rollbackTo(savepoint);
        failed = true;
        const id = failureId(item);
        const errors = toCollectionErrors(e);
        results.push(
          id === undefined ? { success: false, errors } : { id, success: false, errors },
        );
      }
    }
    if (allOrNone && failed) {
      tx.rollbackTo(start);
      return results.map((r) =>
        r.success ? { id: r.id ?? null, success: false, errors: [ROLLED_BACK] } : r,
      );
    }
    return results;
  });
}

function recordsBody(
  req: Request,
  res: Response,
): { allOrNone: boolean; records: Record<string, unknown>[] } | undefined {
  const body = req.body as { allOrNone?: unknown; records?: unknown } | undefined;
  if (!body || !Array.isArray(body.records)) {
    sendErrors(res, 400, [
      {
        message: 'The request body is either invalid or incomplete.',
        errorCode: 'JSON_PARSER_ERROR',
      },
    ]);
    return undefined;
  }
  if (body.records.length > MAX_RECORDS) {
    tooMany(res);
    return undefined;
  }
  const bad = body.records.find((r) => r === null || typeof r !== 'object' || Array.isArray(r));
  if (bad !== undefined) {
    sendErrors(res, 400, [
      {
        message: `Json Deserialization failed on token '${JSON.stringify(bad)}' and has left off in the middle of parsing a row. Will go to end of row to begin parsing the next row`,
        errorCode: 'INVALID_FIELD',
      },
    ]);
    return undefined;
  }
  return { allOrNone: body.allOrNone === true, records: body.records as Record<string, unknown>[] };
}

function typeOf(rec: Record<string, unknown>): string | undefined {
  const attributes = rec['attributes'] as { type?: unknown } | undefined;
  return typeof attributes?.type === 'string' ? attributes.type : undefined;
}

function missingType(): DmlError {
  return new DmlError([
    {
      message: 'When creating a record, the sObject type must be specified.',
      errorCode: 'INVALID_TYPE',
      fields: [],
    },
  ]);
}

/** The record's Id key, whatever its case: Salesforce reads `id` as `Id` (jsforce sends `id`). */
function idKey(rec: Record<string, unknown>): string | undefined {
  return Object.keys(rec).find((k) => k.toLowerCase() === 'id');
}

function idOf(rec: Record<string, unknown>): string | undefined {
  const key = idKey(rec);
  const value = key === undefined ? undefined : rec[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function withoutAttributes(rec: Record<string, unknown>): Record<string, unknown> {
  const { attributes: _attributes, ...rest } = rec;
  return rest;
}

export function collectionsRouter(): Router {
  const r = Router({ mergeParams: true });

  r.post('/composite/sobjects', (req, res) => {
    const { org, session, version } = apiContext(res);
    const body = recordsBody(req, res);
    if (!body) return;
    const results = runAll(
      org,
      session.userId,
      version,
      body.records,
      body.allOrNone,
      (tx, dml, rec) => {
        const type = typeOf(rec);
        if (!type) throw missingType();
        if (idKey(rec) !== undefined) {
          throw new DmlError([
            {
              message: 'cannot specify Id in an insert call',
              errorCode: 'INVALID_FIELD',
              fields: ['Id'],
            },
          ]);
        }
        const created: StoredRecord = dml.insert(tx, type, withoutAttributes(rec), 'json');
        return { id: created.Id, success: true, errors: [] };
      },
      () => undefined,
    );
    sendJson(res, 200, results);
  });

  r.patch('/composite/sobjects', (req, res) => {
    const { org, session, version } = apiContext(res);
    const body = recordsBody(req, res);
    if (!body) return;
    const results = runAll(
      org,
      session.userId,
      version,
      body.records,
      body.allOrNone,
      (tx, dml, rec) => {
        const id = idOf(rec);
        if (!id) {
          throw new DmlError([
            {
              message: 'Id not specified in an update call',
              errorCode: 'MISSING_ARGUMENT',
              fields: [],
            },
          ]);
        }
        const values = withoutAttributes(rec);
        delete values[idKey(rec) ?? 'Id'];
        const updated = dml.update(tx, typeOf(rec), id, values, 'json');
        return { id: updated.Id, success: true, errors: [] };
      },
      (rec) => {
        const id = idOf(rec);
        return id === undefined ? null : (normalizeId(id) ?? id);
      },
    );
    sendJson(res, 200, results);
  });

  r.patch('/composite/sobjects/:object/:field', (req, res) => {
    const { org, session, version } = apiContext(res);
    const body = recordsBody(req, res);
    if (!body) return;
    const objectName = String(req.params['object']);
    const fieldName = String(req.params['field']);
    const d = org.describe(objectName);
    const field = d && org.schema.field(d.name, fieldName);
    if (!d || !field || !(field.externalId || field.name === 'Id')) {
      return sendErrors(res, 404, [
        {
          message: `Provided external ID field does not exist or is not accessible: ${fieldName}`,
          errorCode: 'NOT_FOUND',
        },
      ]);
    }
    const results = runAll(
      org,
      session.userId,
      version,
      body.records,
      body.allOrNone,
      (tx, dml, rec) => {
        const type = typeOf(rec);
        if (type && type.toLowerCase() !== d.name.toLowerCase()) throw missingType();
        const value = Object.entries(rec).find(
          ([k]) => k.toLowerCase() === field.name.toLowerCase(),
        )?.[1];
        const { record, created } = dml.upsert(
          tx,
          d.name,
          field.name,
          value,
          withoutAttributes(rec),
          'json',
        );
        return { id: record.Id, success: true, errors: [], created };
      },
      () => undefined,
    );
    sendJson(res, 200, results);
  });

  r.delete('/composite/sobjects', (req, res) => {
    const { org, session, version } = apiContext(res);
    const raw = typeof req.query['ids'] === 'string' ? req.query['ids'] : '';
    const ids = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (ids.length === 0) {
      return sendErrors(res, 400, [
        { message: 'At least 1 Id is required.', errorCode: 'REQUIRED_FIELD_MISSING' },
      ]);
    }
    if (ids.length > MAX_RECORDS) return tooMany(res);
    const allOrNone = req.query['allOrNone'] === 'true';
    const results = runAll(
      org,
      session.userId,
      version,
      ids,
      allOrNone,
      (tx, dml, id) => {
        const deleted = dml.delete(tx, undefined, id);
        return { id: deleted.Id, success: true, errors: [] };
      },
      (id) => normalizeId(id) ?? id,
    );
    sendJson(res, 200, results);
  });

  // Retrieve: GET with `ids` and `fields` in the query, or POST with them in the body for id
  // lists too long for a URL (jsforce retrieve of several ids posts).
  const retrieve = (req: Request, res: Response, ids: string[], fields: string[]): void => {
    const { org, version } = apiContext(res);
    const d = org.describe(String(req.params['object']));
    if (!d) return sendErrors(res, 404, NOT_FOUND);
    if (ids.length > 2000) return tooMany(res);
    const out = ids.map((id) => {
      const found = org.findById(id);
      return found && !found.record.IsDeleted && found.objectName === d.name
        ? restRecord(d, found.record, version, fields.length ? fields : undefined)
        : null;
    });
    sendJson(res, 200, out);
  };
  const list = (value: unknown): string[] =>
    (Array.isArray(value) ? value.map(String) : String(value ?? '').split(',')).filter(Boolean);
  r.get('/composite/sobjects/:object', (req, res) =>
    retrieve(req, res, list(req.query['ids']), list(req.query['fields'])),
  );
  r.post('/composite/sobjects/:object', (req, res) => {
    const body = (req.body ?? {}) as { ids?: unknown; fields?: unknown };
    retrieve(req, res, list(body.ids), list(body.fields));
  });

  return r;
}
