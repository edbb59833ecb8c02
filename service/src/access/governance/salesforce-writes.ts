import { SalesforceApiError, type SalesforceClient } from '../../salesforce/client.ts';
import type { SaveResult } from '../../salesforce/collections.ts';

/**
 * The writes access actions need beyond `salesforce/collections.ts`: creating records through
 * sObject Collections (`POST composite/sobjects`, 200 a call, `allOrNone` per call) and single
 * creates and deletes through `sobjects/{object}`. Every request goes through the counted client.
 */

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const RECORD_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

function apiName(name: string): string {
  if (!API_NAME.test(name)) throw new Error(`Not a Salesforce API name: ${name}`);
  return name;
}

export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && RECORD_ID.test(value);
}

interface RawResult {
  id?: string | null;
  success?: boolean;
  errors?: { statusCode?: string; message?: string; fields?: string[] }[];
}

/** Creates records of one object, 200 a call; results in input order. */
export async function createRecords(
  client: SalesforceClient,
  object: string,
  records: readonly Record<string, unknown>[],
  allOrNone = false,
): Promise<SaveResult[]> {
  const results: SaveResult[] = [];
  for (let start = 0; start < records.length; start += 200) {
    const batch = records.slice(start, start + 200);
    const response = await client.fetch(client.dataPath('composite/sobjects'), {
      method: 'POST',
      body: JSON.stringify({
        allOrNone,
        records: batch.map((r) => ({ attributes: { type: apiName(object) }, ...r })),
      }),
    });
    const raw = (await response.json()) as RawResult[];
    if (!Array.isArray(raw) || raw.length !== batch.length) {
      throw new SalesforceApiError(
        'UNEXPECTED_RESPONSE',
        'sObject Collections answered a different count',
      );
    }
    results.push(
      ...raw.map((r) => ({
        id: typeof r.id === 'string' && r.id ? r.id : null,
        success: r.success === true,
        errors: (r.errors ?? []).map((e) => ({
          statusCode: e.statusCode ?? 'UNKNOWN_EXCEPTION',
          message: e.message ?? '',
          fields: e.fields ?? [],
        })),
      })),
    );
  }
  return results;
}

/** One record (`POST sobjects/{object}`): its id, or Salesforce's refusal as a thrown error. */
export async function createOne(
  client: SalesforceClient,
  object: string,
  fields: Record<string, unknown>,
): Promise<string> {
  const response = await client.fetch(client.dataPath(`sobjects/${apiName(object)}`), {
    method: 'POST',
    body: JSON.stringify(fields),
  });
  const body = (await response.json()) as { id?: string };
  if (!body.id)
    throw new SalesforceApiError('UNEXPECTED_RESPONSE', `${object} created without an id`);
  return body.id;
}

/** Deletes one record (`DELETE sobjects/{object}/{id}`); Salesforce's refusal is thrown. */
export async function deleteOne(
  client: SalesforceClient,
  object: string,
  id: string,
): Promise<void> {
  if (!isRecordId(id))
    throw new SalesforceApiError('MALFORMED_ID', `Not a Salesforce record id: ${id}`);
  const response = await client.fetch(client.dataPath(`sobjects/${apiName(object)}/${id}`), {
    method: 'DELETE',
  });
  await response.body?.cancel();
}

/** A SOQL string literal for ids that were checked to be ids. */
export function idList(ids: readonly string[]): string {
  for (const id of ids) {
    if (!isRecordId(id))
      throw new SalesforceApiError('MALFORMED_ID', `Not a Salesforce record id: ${id}`);
  }
  return ids.map((id) => `'${id}'`).join(', ');
}
