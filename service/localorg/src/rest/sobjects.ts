import { Router, type Request, type Response } from 'express';
import type { ApiError, SObjectDescribe } from '../core/contracts.ts';
import { normalizeId } from '../core/ids.ts';
import type { Org } from '../org/org.ts';
import type { LocalOrgRuntime } from '../org/runtime.ts';
import { DmlError } from '../org/transaction.ts';
import { formatDateTime, parseDateTime } from '../org/values.ts';
import { DELETE_LOG_DAYS, deletedRecords } from './delete-log.ts';
import { describeForVersion, globalEntry } from './describe-view.ts';
import { publishPlatformEvent } from './platform-events.ts';
import { recordUrl, restRecord } from './record-view.ts';
import {
  apiContext,
  NOT_FOUND,
  restOrigin,
  sendDmlError,
  sendErrors,
  sendJson,
} from './respond.ts';

/**
 * `sobjects`: describeGlobal, describe, basic info, record create/read/update/delete,
 * upsert and read by External ID, `updated` and `deleted` listings, platform event publish.
 */

function describeOr404(org: Org, name: string, res: Response): SObjectDescribe | undefined {
  const d = org.describe(name);
  if (!d) sendErrors(res, 404, NOT_FOUND);
  return d;
}

function bodyObject(req: Request, res: Response): Record<string, unknown> | undefined {
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    sendErrors(res, 400, [
      {
        message: 'The request body is either invalid or incomplete.',
        errorCode: 'JSON_PARSER_ERROR',
      },
    ]);
    return undefined;
  }
  return body as Record<string, unknown>;
}

/** A path segment that is neither a record Id nor an External ID field of the object. */
function externalIdNotFound(segment: string): ApiError {
  return {
    message: `Provided external ID field does not exist or is not accessible: ${segment}`,
    errorCode: 'NOT_FOUND',
  };
}

/**
 * Upsert answers as of API 46.0: `created` in the body and 200 with a body for an update.
 * Earlier versions leave `created` out and answer an update with 204 No Content.
 */
function sendUpsert(res: Response, version: string, id: string, created: boolean): void {
  if (Number(version) < 46) {
    if (created) sendJson(res, 201, { id, success: true, errors: [] });
    else res.status(204).end();
    return;
  }
  sendJson(res, created ? 201 : 200, { id, success: true, errors: [], created });
}

function fieldsParam(req: Request): string[] | undefined {
  const raw = req.query['fields'];
  return typeof raw === 'string' && raw !== '' ? raw.split(',').map((f) => f.trim()) : undefined;
}

function invalidFields(d: SObjectDescribe, org: Org, fields: string[] | undefined): ApiError[] {
  const bad = (fields ?? []).filter((f) => !org.schema.field(d.name, f));
  return bad.length
    ? [
        {
          message: `No such column '${bad[0]}' on sobject of type ${d.name}`,
          errorCode: 'INVALID_FIELD',
        },
      ]
    : [];
}

/**
 * Describes honour `If-Modified-Since`: the schema is read at start, so anything asked about
 * since then has not changed (304, no body).
 */
function notModified(req: Request, res: Response, org: Org): boolean {
  const since = req.get('if-modified-since');
  res.set('Last-Modified', new Date(org.schema.loadedAt).toUTCString());
  if (!since) return false;
  const at = Date.parse(since);
  if (Number.isNaN(at) || at < Math.floor(org.schema.loadedAt / 1000) * 1000) return false;
  res.status(304).end();
  return true;
}

function rangeParams(req: Request, res: Response): { start: number; end: number } | undefined {
  const start =
    typeof req.query['start'] === 'string' ? parseDateTime(req.query['start']) : undefined;
  const end = typeof req.query['end'] === 'string' ? parseDateTime(req.query['end']) : undefined;
  if (start === undefined || end === undefined) {
    const missing = start === undefined ? 'start' : 'end';
    sendErrors(res, 400, [
      { message: `Missing or invalid argument: ${missing}`, errorCode: 'MISSING_ARGUMENT' },
    ]);
    return undefined;
  }
  return { start, end };
}

const DAY_MS = 24 * 3600_000;

/** Salesforce reports coverage to the minute. */
function toMinute(ms: number): string {
  return formatDateTime(Math.floor(ms / 60_000) * 60_000);
}

export function sobjectsRouter(runtime: LocalOrgRuntime): Router {
  const r = Router({ mergeParams: true });

  r.get('/sobjects', (req, res) => {
    const { org, version } = apiContext(res);
    if (notModified(req, res, org)) return;
    sendJson(res, 200, {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: org.schema.all().map((d) => globalEntry(d, version)),
    });
  });

  r.get('/sobjects/:object', (req, res) => {
    const { org, version } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    if (!d) return;
    sendJson(res, 200, { objectDescribe: globalEntry(d, version), recentItems: [] });
  });

  r.get('/sobjects/:object/describe', (req, res) => {
    const { org, version } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    if (!d || notModified(req, res, org)) return;
    sendJson(res, 200, describeForVersion(d, version));
  });

  r.get('/sobjects/:object/updated', (req, res) => {
    const { org } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    const range = d && rangeParams(req, res);
    if (!d || !range) return;
    const ids: string[] = [];
    for (const rec of org.records(d.name)) {
      const stamp = Date.parse(String(rec['SystemModstamp']).replace('+0000', 'Z'));
      if (!rec.IsDeleted && stamp >= range.start && stamp < range.end) ids.push(rec.Id);
    }
    sendJson(res, 200, { ids, latestDateCovered: toMinute(Math.min(range.end, org.now())) });
  });

  // getDeleted: https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/resources_getdeleted.htm
  // and its rules (getDeleted() in the SOAP API guide): the start must precede the end, may not
  // be more than 30 days ago nor before `earliestDateAvailable` (INVALID_REPLICATION_DATE);
  // records the recycle bin no longer holds (hardDelete) are still listed (delete-log.ts).
  r.get('/sobjects/:object/deleted', (req, res) => {
    const { org } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    const range = d && rangeParams(req, res);
    if (!d || !range) return;
    const now = org.now();
    const earliest = Math.floor((now - DELETE_LOG_DAYS * DAY_MS) / 60_000) * 60_000;
    const refuse = (message: string) =>
      sendErrors(res, 400, [{ message, errorCode: 'INVALID_REPLICATION_DATE' }]);
    if (range.start >= range.end) return refuse('startDate must chronologically precede endDate');
    if (range.start < now - 30 * DAY_MS) return refuse('startDate cannot be more than 30 days ago');
    if (range.start < earliest) {
      return refuse(`startDate is before earliestDateAvailable ${toMinute(earliest)}`);
    }
    const listed: { id: string; deletedDate: string }[] = [];
    for (const entry of deletedRecords(org, d.name)) {
      const at = Date.parse(entry.deletedDate.replace('+0000', 'Z'));
      if (at >= range.start && at < range.end) listed.push(entry);
    }
    sendJson(res, 200, {
      deletedRecords: listed,
      earliestDateAvailable: toMinute(earliest),
      latestDateCovered: toMinute(Math.min(range.end, now)),
    });
  });

  r.post('/sobjects/:object', (req, res) => {
    const { org, session, version } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    const body = d && bodyObject(req, res);
    if (!d || !body) return;
    if (d.name.endsWith('__e')) {
      const result = publishPlatformEvent(runtime, org, session.userId, d, body);
      if (result.success) org.limits.count('HourlyPublishedPlatformEvents');
      sendJson(
        res,
        result.success ? 201 : 400,
        result.success ? { id: result.id, success: true, errors: [] } : result.errors,
      );
      return;
    }
    try {
      const rec = org.write(session.userId, restOrigin(version), (tx, dml) =>
        dml.insert(tx, d.name, body, 'json'),
      );
      sendJson(res, 201, { id: rec.Id, success: true, errors: [] });
    } catch (e) {
      sendDmlError(res, e);
    }
  });

  // Upsert with no External ID value (POST .../sobjects/Account/Id): always creates.
  r.post('/sobjects/:object/:field', (req, res) => {
    const { org, session, version } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    const body = d && bodyObject(req, res);
    if (!d || !body) return;
    const field = org.schema.field(d.name, String(req.params['field']));
    if (!field || !(field.externalId || field.name === 'Id'))
      return sendErrors(res, 404, NOT_FOUND);
    try {
      const rec = org.write(session.userId, restOrigin(version), (tx, dml) =>
        dml.insert(tx, d.name, body, 'json'),
      );
      sendUpsert(res, version, rec.Id, true);
    } catch (e) {
      sendDmlError(res, e);
    }
  });

  r.get('/sobjects/:object/:id', (req, res) => {
    const { org, version } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    if (!d) return;
    const id = String(req.params['id']);
    const fields = fieldsParam(req);
    const bad = invalidFields(d, org, fields);
    if (bad.length) return sendErrors(res, 400, bad);
    if (!normalizeId(id)) {
      return sendErrors(res, 404, [externalIdNotFound(id)]);
    }
    try {
      const { record } = org.dml.findLive(d.name, id);
      sendJson(res, 200, restRecord(d, record, version, fields));
    } catch (e) {
      sendDmlError(res, e);
    }
  });

  r.patch('/sobjects/:object/:id', (req, res) => {
    const { org, session, version } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    const body = d && bodyObject(req, res);
    if (!d || !body) return;
    const id = String(req.params['id']);
    if (!normalizeId(id)) {
      return sendErrors(res, 404, [externalIdNotFound(id)]);
    }
    try {
      org.write(session.userId, restOrigin(version), (tx, dml) =>
        dml.update(tx, d.name, id, body, 'json'),
      );
      res.status(204).end();
    } catch (e) {
      sendDmlError(res, e);
    }
  });

  r.delete('/sobjects/:object/:id', (req, res) => {
    const { org, session, version } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    if (!d) return;
    const id = String(req.params['id']);
    if (!normalizeId(id)) return sendErrors(res, 404, [externalIdNotFound(id)]);
    const found = org.findById(id);
    if (!found || found.objectName !== d.name) return sendErrors(res, 404, NOT_FOUND);
    try {
      org.write(session.userId, restOrigin(version), (tx, dml) => dml.delete(tx, d.name, id));
      res.status(204).end();
    } catch (e) {
      sendDmlError(res, e);
    }
  });

  r.get('/sobjects/:object/:field/:value', (req, res) => {
    const { org, version } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    if (!d) return;
    const field = org.schema.field(d.name, String(req.params['field']));
    if (!field || !(field.externalId || field.idLookup)) {
      return sendErrors(res, 404, [externalIdNotFound(String(req.params['field']))]);
    }
    const table = org.store.table(d.name);
    const matches =
      field.name === 'Id'
        ? [normalizeId(String(req.params['value'])) ?? '']
        : (table?.lookup(field.name, req.params['value']) ?? []);
    const live = matches.map((id) => table?.get(id)).filter((rec) => rec && !rec.IsDeleted);
    if (live.length > 1) {
      return sendJson(
        res,
        300,
        live.map((rec) => recordUrl(version, d.name, rec?.Id ?? '')),
      );
    }
    const rec = live[0];
    if (!rec) return sendErrors(res, 404, NOT_FOUND);
    sendJson(res, 200, restRecord(d, rec, version, fieldsParam(req)));
  });

  r.patch('/sobjects/:object/:field/:value', (req, res) => {
    const { org, session, version } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    const body = d && bodyObject(req, res);
    if (!d || !body) return;
    try {
      const result = org.write(session.userId, restOrigin(version), (tx, dml) =>
        dml.upsert(tx, d.name, String(req.params['field']), req.params['value'], body, 'json'),
      );
      sendUpsert(res, version, result.record.Id, result.created);
    } catch (e) {
      const matches = (e as DmlError & { matches?: string[] }).matches;
      if (e instanceof DmlError && e.status === 300 && matches) {
        return sendJson(
          res,
          300,
          matches.map((id) => recordUrl(version, d.name, id)),
        );
      }
      sendDmlError(res, e);
    }
  });

  r.delete('/sobjects/:object/:field/:value', (req, res) => {
    const { org, session, version } = apiContext(res);
    const d = describeOr404(org, String(req.params['object']), res);
    if (!d) return;
    const field = org.schema.field(d.name, String(req.params['field']));
    const matches = field
      ? (org.store.table(d.name)?.lookup(field.name, req.params['value']) ?? [])
      : [];
    if (!field || !field.externalId) {
      return sendErrors(res, 404, [externalIdNotFound(String(req.params['field']))]);
    }
    if (matches.length > 1)
      return sendJson(
        res,
        300,
        matches.map((id) => recordUrl(version, d.name, id)),
      );
    const id = matches[0];
    if (!id) return sendErrors(res, 404, NOT_FOUND);
    try {
      org.write(session.userId, restOrigin(version), (tx, dml) => dml.delete(tx, d.name, id));
      res.status(204).end();
    } catch (e) {
      sendDmlError(res, e);
    }
  });

  return r;
}
