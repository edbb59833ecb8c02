import { SalesforceApiError, type SalesforceClient } from './client.ts';

/**
 * Writes through sObject Collections (`/composite/sobjects`): up to 200 records per call, one
 * API call each, `allOrNone: false` so a record that fails does so alone. Inputs of any length
 * are sent 200 at a time, one call after the other; results come back in input order.
 */

export const COLLECTION_SIZE = 200;

/** Why Salesforce refused one record (`REQUIRED_FIELD_MISSING`, `DUPLICATE_VALUE`...). */
export interface RecordError {
  statusCode: string;
  message: string;
  fields: string[];
}

/** The outcome of one record, in the position of its input. */
export interface SaveResult {
  /** The record's id; null when Salesforce named none (a failed insert). */
  id: string | null;
  success: boolean;
  errors: RecordError[];
}

export interface UpsertResult extends SaveResult {
  /** True when the upsert created the record (false when it updated one, or failed). */
  created: boolean;
}

/** A record to write: its fields, and `attributes.type` its object. */
export type CollectionRecord = Record<string, unknown> & { attributes?: { type: string } };

/** A record to update: its `Id`, its object in `attributes.type`, and the fields to change. */
export type RecordUpdate = Record<string, unknown> & { Id: string; attributes: { type: string } };

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export function apiName(name: string): string {
  if (!API_NAME.test(name)) throw new Error(`Not a Salesforce API name: ${name}`);
  return name;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += COLLECTION_SIZE) {
    out.push(items.slice(i, i + COLLECTION_SIZE));
  }
  return out;
}

/** One record's result as sObject Collections (or an sObject upsert) answers it. */
export interface RawResult {
  id?: string | null;
  success?: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

export function saveResult(raw: RawResult): SaveResult {
  return {
    id: typeof raw.id === 'string' && raw.id !== '' ? raw.id : null,
    success: raw.success === true,
    errors: (raw.errors ?? []).map((e) => ({
      statusCode: e.statusCode ?? 'UNKNOWN_EXCEPTION',
      message: e.message ?? '',
      fields: e.fields ?? [],
    })),
  };
}

async function collectionCall(
  client: SalesforceClient,
  method: 'PATCH' | 'DELETE',
  resource: string,
  expected: number,
  body?: unknown,
): Promise<RawResult[]> {
  const response = await client.fetch(client.dataPath(resource), {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const results = (await response.json()) as unknown;
  if (!Array.isArray(results) || results.length !== expected) {
    throw new SalesforceApiError(
      'UNEXPECTED_RESPONSE',
      `sObject Collections answered ${Array.isArray(results) ? results.length : 'no'} results for ${expected} records`,
    );
  }
  return results as RawResult[];
}

/** Further calls for the records of a call that another transaction had locked. */
const LOCK_RETRIES_MS = [200, 1_000];

/**
 * Refusals worth one more call: `UNABLE_TO_LOCK_ROW` (another transaction held the row or its
 * parent), and `PROCESSING_HALTED`, which a Composite call answers for a subrequest it did not
 * run (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/requests_composite.htm).
 */
const RETRIED_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'PROCESSING_HALTED']);

/**
 * Runs a collection call, then calls again, after a jittered pause, for the records Salesforce
 * refused with `UNABLE_TO_LOCK_ROW` or left unprocessed (`PROCESSING_HALTED`): at most twice,
 * one call each; the rest of the batch is never sent twice.
 */
export async function withLockRetries<T, R extends SaveResult>(
  items: readonly T[],
  call: (batch: T[]) => Promise<R[]>,
): Promise<R[]> {
  const results = await call([...items]);
  for (const wait of LOCK_RETRIES_MS) {
    const locked = results.flatMap((result, index) =>
      !result.success && result.errors.some((e) => RETRIED_CODES.has(e.statusCode)) ? [index] : [],
    );
    if (locked.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, wait / 2 + Math.random() * wait));
    const retried = await call(locked.map((index) => items[index]!));
    locked.forEach((index, position) => {
      results[index] = retried[position]!;
    });
  }
  return results;
}

/**
 * Creates or updates records of `object` matched on `externalIdField`, whose value each record
 * carries (`PATCH composite/sobjects/{object}/{externalIdField}`). One call per 200 records.
 */
export async function upsertByExternalId(
  client: SalesforceClient,
  object: string,
  externalIdField: string,
  records: readonly CollectionRecord[],
): Promise<UpsertResult[]> {
  const resource = `composite/sobjects/${apiName(object)}/${apiName(externalIdField)}`;
  const results: UpsertResult[] = [];
  for (const chunk of chunks(records)) {
    const saved = await withLockRetries(chunk, async (batch) => {
      const body = {
        allOrNone: false,
        records: batch.map((record) => ({ ...record, attributes: { type: object } })),
      };
      const raw = await collectionCall(client, 'PATCH', resource, batch.length, body);
      return raw.map((r) => {
        const result = saveResult(r);
        return { ...result, created: result.success && r.created === true };
      });
    });
    results.push(...saved);
  }
  return results;
}

/** Updates records by `Id` (`PATCH composite/sobjects`). One call per 200 records. */
export async function updateRecords(
  client: SalesforceClient,
  records: readonly RecordUpdate[],
): Promise<SaveResult[]> {
  const results: SaveResult[] = [];
  for (const chunk of chunks(records)) {
    const saved = await withLockRetries(chunk, async (batch) => {
      const body = { allOrNone: false, records: batch };
      const raw = await collectionCall(client, 'PATCH', 'composite/sobjects', batch.length, body);
      return raw.map(saveResult);
    });
    results.push(...saved);
  }
  return results;
}

const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

/** Deletes records by id (`DELETE composite/sobjects?ids=…`). One call per 200 ids. */
export async function deleteRecords(
  client: SalesforceClient,
  ids: readonly string[],
): Promise<SaveResult[]> {
  const bad = ids.find((id) => !RECORD_ID.test(id));
  if (bad !== undefined) throw new Error(`Not a Salesforce record id: ${bad}`);
  const results: SaveResult[] = [];
  for (const chunk of chunks(ids)) {
    const query = new URLSearchParams({ ids: chunk.join(','), allOrNone: 'false' });
    const raw = await collectionCall(
      client,
      'DELETE',
      `composite/sobjects?${query.toString()}`,
      chunk.length,
    );
    results.push(...raw.map(saveResult));
  }
  return results;
}
