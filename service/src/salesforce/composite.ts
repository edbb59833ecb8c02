import { SalesforceApiError, type SalesforceClient } from './client.ts';
import {
  apiName,
  COLLECTION_SIZE,
  saveResult,
  withLockRetries,
  type CollectionRecord,
  type RawResult,
  type RecordError,
  type UpsertResult,
} from './collections.ts';

/**
 * Writes that also read back the `SystemModstamp` Salesforce gave what they wrote, in the same
 * API call, through the Composite resource (`POST composite`): its subrequests run as one call
 * toward the API limits, up to 25 of them, of which up to 5 may be sObject Collections or query
 * operations
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm:
 * "The entire series of requests counts as a single call toward your API limits";
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm:
 * "You can have up to 25 subrequests in a single call. Up to 5 of these subrequests can be
 * sObject Collections or query operations, including Query and QueryAll requests").
 *
 * Every call is sent with `allOrNone: false`, so a failed subrequest fails alone and the ones
 * that do not refer to it still run, and `collateSubrequests: false`, so the subrequests run in
 * the order sent and the read-back sees the writes before it (collated, "the order of execution
 * is not guaranteed"; the default from API version 49.0:
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/requests_composite.htm).
 * The top-level answer is HTTP 200 with one `compositeResponse` entry per subrequest, each with
 * its own `httpStatusCode` and body (the resource's own answer, or its error list
 * `[{"message","errorCode"}]`; `PROCESSING_HALTED` for a subrequest that was not run).
 */

/** sObject Collections and query subrequests one Composite call may hold. */
export const COLLECTION_OR_QUERY_SUBREQUESTS = 5;
/** Collections upserts per call: the fifth operation reads back their stamps. */
const UPSERTS_PER_CALL = COLLECTION_OR_QUERY_SUBREQUESTS - 1;
/** Records one stamped upsert call writes: 4 collections of 200. */
export const RECORDS_PER_STAMPED_UPSERT = UPSERTS_PER_CALL * COLLECTION_SIZE;
/**
 * Ids a stamp query names: 2,000, the most records one REST query answer holds
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm);
 * 2,000 Ids make a statement of about 44,000 characters, under SOQL's 100,000
 * (https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_soslsoql.htm).
 * A subrequest's URL travels in the Composite call's body, not as a URI of its own, so the
 * 16,384-byte URI limit of a plain GET does not bound it
 * (https://help.salesforce.com/s/articleView?id=000386264&type=1).
 */
export const IDS_PER_STAMP_QUERY = 2_000;

/** An upsert's result with the `SystemModstamp` the record had right after it (null: unknown). */
export interface StampedUpsertResult extends UpsertResult {
  systemModstamp: string | null;
}

interface SubRequest {
  method: 'GET' | 'PATCH';
  url: string;
  referenceId: string;
  body?: unknown;
}

interface SubResponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

/** One Composite call; answers the subresponses by reference id. */
async function compositeCall(
  client: SalesforceClient,
  subrequests: readonly SubRequest[],
): Promise<Map<string, SubResponse>> {
  const response = await client.fetch(client.dataPath('composite'), {
    method: 'POST',
    body: JSON.stringify({
      allOrNone: false,
      collateSubrequests: false,
      compositeRequest: subrequests,
    }),
  });
  const answer = (await response.json()) as { compositeResponse?: SubResponse[] };
  if (!Array.isArray(answer.compositeResponse)) {
    throw new SalesforceApiError('UNEXPECTED_RESPONSE', 'Composite answered no compositeResponse');
  }
  return new Map(answer.compositeResponse.map((sub) => [sub.referenceId, sub]));
}

const ok = (sub: SubResponse | undefined): sub is SubResponse =>
  sub !== undefined && sub.httpStatusCode >= 200 && sub.httpStatusCode < 300;

/** A failed subrequest's errors as collections errors (its body: `[{message, errorCode}]`). */
function subrequestErrors(sub: SubResponse | undefined, what: string): RecordError[] {
  const list = Array.isArray(sub?.body) ? (sub.body as Record<string, unknown>[]) : [];
  const errors = list.flatMap((error) =>
    typeof error['errorCode'] === 'string'
      ? [
          {
            statusCode: error['errorCode'],
            message: typeof error['message'] === 'string' ? error['message'] : '',
            fields: Array.isArray(error['fields']) ? (error['fields'] as string[]) : [],
          },
        ]
      : [],
  );
  if (errors.length > 0) return errors;
  return [
    {
      statusCode: 'UNEXPECTED_RESPONSE',
      message: `Composite answered ${sub ? `HTTP ${sub.httpStatusCode}` : 'nothing'} for ${what}`,
      fields: [],
    },
  ];
}

/** A string literal of SOQL (quotes and backslashes escaped). */
const soqlString = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Rows of a query subresponse; none when it failed. */
function queryRows(sub: SubResponse | undefined): Record<string, unknown>[] {
  if (!ok(sub)) return [];
  const records = (sub.body as { records?: unknown } | null)?.records;
  return Array.isArray(records) ? (records as Record<string, unknown>[]) : [];
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Creates or updates records of `object` matched on `externalIdField` (each record carries its
 * value), up to 800 per Composite call: four sObject Collections upserts of 200
 * (`PATCH composite/sobjects/{object}/{externalIdField}`, `allOrNone: false`), then one query of
 * `Id, SystemModstamp` of those records by their external ids. Results come back in input order,
 * each with the stamp its record had after the call (null when the read-back failed or the write
 * did). A collections subrequest Salesforce refused as a whole fails each of its records with its
 * error; records refused for a lock or not processed are sent again, at most twice.
 */
export async function upsertWithStamps(
  client: SalesforceClient,
  object: string,
  externalIdField: string,
  records: readonly CollectionRecord[],
): Promise<StampedUpsertResult[]> {
  const results: StampedUpsertResult[] = [];
  for (let start = 0; start < records.length; start += RECORDS_PER_STAMPED_UPSERT) {
    const chunk = records.slice(start, start + RECORDS_PER_STAMPED_UPSERT);
    results.push(
      ...(await withLockRetries(chunk, (batch) =>
        stampedUpsertCall(client, object, externalIdField, batch),
      )),
    );
  }
  return results;
}

async function stampedUpsertCall(
  client: SalesforceClient,
  object: string,
  externalIdField: string,
  batch: readonly CollectionRecord[],
): Promise<StampedUpsertResult[]> {
  const name = apiName(object);
  const field = apiName(externalIdField);
  const groups: CollectionRecord[][] = [];
  for (let i = 0; i < batch.length; i += COLLECTION_SIZE) {
    groups.push(batch.slice(i, i + COLLECTION_SIZE));
  }
  const keys = batch.map((record) => String(record[field] ?? ''));
  const subrequests: SubRequest[] = groups.map((group, index) => ({
    method: 'PATCH',
    url: client.dataPath(`composite/sobjects/${name}/${field}`),
    referenceId: `upsert${index}`,
    body: {
      allOrNone: false,
      records: group.map((record) => ({ ...record, attributes: { type: name } })),
    },
  }));
  const soql = `SELECT Id, SystemModstamp, ${field} FROM ${name} WHERE ${field} IN (${keys.map(soqlString).join(',')})`;
  subrequests.push({
    method: 'GET',
    url: client.dataPath(`query?q=${encodeURIComponent(soql)}`),
    referenceId: 'stamps',
  });
  const answers = await compositeCall(client, subrequests);
  // External ids match without regard to case unless the field is marked case-sensitive.
  const stamps = new Map<string, string>();
  for (const row of queryRows(answers.get('stamps'))) {
    const key = text(row[field]);
    const stamp = text(row['SystemModstamp']);
    if (key && stamp) stamps.set(key.toLowerCase(), stamp);
  }
  return groups.flatMap((group, index) => {
    const sub = answers.get(`upsert${index}`);
    const raw = ok(sub) && Array.isArray(sub.body) ? (sub.body as RawResult[]) : null;
    const offset = index * COLLECTION_SIZE;
    if (!raw || raw.length !== group.length) {
      const errors: RecordError[] = raw
        ? [
            {
              statusCode: 'UNEXPECTED_RESPONSE',
              message: `sObject Collections answered ${raw.length} results for ${group.length} records`,
              fields: [],
            },
          ]
        : subrequestErrors(sub, `${group.length} records`);
      return group.map(() => ({
        id: null,
        success: false,
        errors,
        created: false,
        systemModstamp: null,
      }));
    }
    return raw.map((r, position) => {
      const result = saveResult(r);
      const key = keys[offset + position]!.toLowerCase();
      return {
        ...result,
        created: result.success && r.created === true,
        systemModstamp: result.success ? (stamps.get(key) ?? null) : null,
      };
    });
  });
}

/**
 * Creates or updates the one record of `object` whose `externalIdField` is `value`, and reads
 * its `Id` and `SystemModstamp` right after, in one Composite call: `PATCH
 * sobjects/{object}/{field}/{value}` (201 created, 200 updated; 204 without a body before API
 * version 46.0; 300 when the value matches several records), then `GET` of the same resource
 * with `fields=Id,SystemModstamp`
 * (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm).
 * A refusal throws `SalesforceApiError` with Salesforce's code (`DUPLICATE_EXTERNAL_ID` for 300).
 */
export async function upsertOneWithStamp(
  client: SalesforceClient,
  object: string,
  externalIdField: string,
  value: string,
  fields: Record<string, unknown>,
): Promise<{ id: string; created: boolean; systemModstamp: string | null }> {
  if (value === '') throw new Error(`An upsert needs a value of ${externalIdField}`);
  const url = client.dataPath(
    `sobjects/${apiName(object)}/${apiName(externalIdField)}/${encodeURIComponent(value)}`,
  );
  // The value is in the URL; Salesforce refuses the field in the body as well.
  const body = Object.fromEntries(
    Object.entries(fields).filter(
      ([key]) => key !== 'attributes' && key.toLowerCase() !== externalIdField.toLowerCase(),
    ),
  );
  const answers = await compositeCall(client, [
    { method: 'PATCH', url, referenceId: 'upsert', body },
    { method: 'GET', url: `${url}?fields=Id,SystemModstamp`, referenceId: 'stamp' },
  ]);
  const upsert = answers.get('upsert');
  if (upsert?.httpStatusCode === 300) {
    throw new SalesforceApiError(
      'DUPLICATE_EXTERNAL_ID',
      `${object}.${externalIdField} ${value} matches more than one record`,
      300,
    );
  }
  if (!ok(upsert)) {
    const status = (upsert as SubResponse | undefined)?.httpStatusCode;
    const error = subrequestErrors(upsert, `the upsert of ${object} ${value}`)[0]!;
    throw new SalesforceApiError(error.statusCode, error.message, status);
  }
  const read = answers.get('stamp');
  const row = ok(read) ? (read.body as Record<string, unknown> | null) : null;
  const result = (upsert.body ?? {}) as RawResult;
  const id = text(result.id) ?? text(row?.['Id']);
  if (!id || result.success === false) {
    const error = saveResult(result).errors[0];
    throw new SalesforceApiError(
      error?.statusCode ?? 'UNEXPECTED_RESPONSE',
      error?.message ?? `Upsert of ${object} ${value} answered no id`,
      upsert.httpStatusCode,
    );
  }
  return {
    id,
    created: upsert.httpStatusCode === 201 || result.created === true,
    systemModstamp: text(row?.['SystemModstamp']),
  };
}

/**
 * The `SystemModstamp` of records by Id (those the org has), read by queries of 2,000 Ids, up to
 * five in one Composite call: 10,000 records a call. A query that fails leaves its records out.
 */
export async function readStamps(
  client: SalesforceClient,
  object: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const name = apiName(object);
  const stamps = new Map<string, string>();
  const perCall = IDS_PER_STAMP_QUERY * COLLECTION_OR_QUERY_SUBREQUESTS;
  for (let start = 0; start < ids.length; start += perCall) {
    const slice = ids.slice(start, start + perCall);
    const subrequests: SubRequest[] = [];
    for (let i = 0; i < slice.length; i += IDS_PER_STAMP_QUERY) {
      const list = slice
        .slice(i, i + IDS_PER_STAMP_QUERY)
        .map(soqlString)
        .join(',');
      const soql = `SELECT Id, SystemModstamp FROM ${name} WHERE Id IN (${list})`;
      subrequests.push({
        method: 'GET',
        url: client.dataPath(`query?q=${encodeURIComponent(soql)}`),
        referenceId: `stamps${subrequests.length}`,
      });
    }
    const answers = await compositeCall(client, subrequests);
    for (const sub of answers.values()) {
      for (const row of queryRows(sub)) {
        const id = text(row['Id']);
        const stamp = text(row['SystemModstamp']);
        if (id && stamp) stamps.set(id, stamp);
      }
    }
  }
  return stamps;
}
