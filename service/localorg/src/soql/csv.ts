/**
 * Bulk API 2.0 query results as CSV cells: one column per select path as written
 * (`Account.Name`), values stringified as Bulk 2.0 writes them (`true`/`false`, plain numbers,
 * datetimes in UTC with `Z`), null for an empty cell.
 */
import type { QueryDataSource } from '../core/contracts.ts';
import { getterFor, type Getter } from './access.ts';
import { locate, malformed, SoqlError } from './errors.ts';
import { parseSoql } from './parse.ts';
import type { QueryRecord } from './projection.ts';
import { isAggregateQuery } from './aggregate.ts';
import {
  checkPaging,
  createContext,
  expandFields,
  selectPath,
  selectText,
  type ExecuteOptions,
} from './context.ts';
import { selectRows } from './query.ts';

export interface CsvTable {
  headers: string[];
  rows: (string | null)[][];
}

type Cell = QueryRecord[string] | undefined;

const SALESFORCE_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3})\+0000$/;

export function csvCell(value: Cell): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    // Only a datetime (`2026-12-06T10:00:00.000+0000`, 28 characters) is rewritten: the length
    // and the last character rule out nearly every other text before the pattern runs.
    if (value.length !== 28 || value.charCodeAt(27) !== 48 /* 0 */) return value;
    const utc = SALESFORCE_UTC.exec(value);
    return utc ? `${utc[1]}Z` : value;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return null;
}

/** A record's key matching `name` case-insensitively (queries may spell fields in any case). */
function keyOf(record: QueryRecord, name: string): string | undefined {
  if (name in record) return name;
  const lower = name.toLowerCase();
  return Object.keys(record).find((k) => k.toLowerCase() === lower);
}

/**
 * Reads one select path off a record. Every record of a result has the same keys, so the key
 * matching each segment is found once and remembered in `keys`.
 */
function cellAt(record: QueryRecord, segments: string[], keys: (string | undefined)[]): Cell {
  let current: QueryRecord = record;
  for (let i = 0; i < segments.length; i++) {
    let key = keys[i];
    if (key === undefined || !(key in current)) {
      key = keyOf(current, segments[i] ?? '');
      if (key === undefined) return null;
      keys[i] = key;
    }
    const value = current[key];
    if (i === segments.length - 1) return value;
    if (value === null || typeof value !== 'object' || !('attributes' in value)) return null;
    current = value as QueryRecord;
  }
  return null;
}

/** Select paths as written, in order: the CSV header row. */
export function csvHeaders(soql: string): string[] {
  return (parseSoql(soql).fields ?? []).map((item) => selectText(item));
}

export function flattenForCsv(records: QueryRecord[], soql: string): CsvTable {
  const headers = csvHeaders(soql);
  const paths = headers.map((h) => ({
    segments: h.split('.'),
    keys: [] as (string | undefined)[],
  }));
  const rows = records.map((record) =>
    paths.map(({ segments, keys }) => csvCell(cellAt(record, segments, keys))),
  );
  return { headers, rows };
}

/**
 * Runs a query straight into CSV cells, without building REST records: the Bulk API 2.0 path
 * for large results. FIELDS() expands to the described names; aggregates and child subqueries,
 * which Bulk API 2.0 does not run, are refused as MALFORMED_QUERY.
 */
export function executeSoqlToCsv(
  soql: string,
  source: QueryDataSource,
  options: ExecuteOptions,
): CsvTable {
  const ctx = createContext(soql, source, options);
  checkPaging(ctx);
  if (isAggregateQuery(ctx.query)) {
    throw malformed(
      soql,
      locate(soql, 'SELECT'),
      'Aggregate queries are not supported by Bulk API 2.0',
    );
  }
  const headers: string[] = [];
  const getters: Getter[] = [];
  for (const item of ctx.query.fields ?? []) {
    const path = selectPath(item);
    const names =
      path !== undefined
        ? [path]
        : item.type === 'FieldFunctionExpression' && item.functionName.toUpperCase() === 'FIELDS'
          ? expandFields(ctx.describe, String(item.parameters[0] ?? 'ALL'))
          : undefined;
    if (item.type === 'FieldSubquery') {
      throw new SoqlError(
        'FUNCTIONALITY_NOT_ENABLED',
        'Aggregate Relationships not supported in Bulk V2 Query with CSV content type',
      );
    }
    if (!names) {
      throw malformed(
        soql,
        locate(soql, selectText(item)),
        `unexpected token: '${selectText(item)}'`,
      );
    }
    for (const name of names) {
      const resolved = ctx.resolver.resolve(name, locate(soql, 'SELECT'));
      if (resolved.field.type === 'address' || resolved.field.type === 'location') {
        throw new SoqlError(
          'FUNCTIONALITY_NOT_ENABLED',
          'Selecting compound data not supported in Bulk Query',
        );
      }
      headers.push(name);
      getters.push(getterFor(resolved, ctx.lookup));
    }
  }
  const rows = selectRows(ctx).map((record) => getters.map((get) => csvCell(get(record))));
  return { headers, rows };
}
