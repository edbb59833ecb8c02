import type { DescribeLookup, SObjectDescribe } from './describe-types.ts';
import { effectiveDirection, salesforceFieldsOf } from './field-mapping.ts';
import { findPryzmIdField, resolveFieldPath } from './field-paths.ts';
import { normaliseFilter, type FilterProblem } from './filter.ts';
import { defaultMatchRules } from './matching.ts';
import type { ObjectMapping } from './object-mapping.ts';
import { isSalesforceId } from './coercion/values.ts';

/**
 * Fields every sync query reads besides the mapped ones: links, `most_recent`, and the record
 * currency of multi-currency orgs (left out where the describe lacks them).
 */
const SYSTEM_FIELDS = ['Id', 'LastModifiedDate', 'SystemModstamp', 'CurrencyIsoCode'];

/**
 * The field paths a pull of this mapping must select, with the org's real API names: `Id`,
 * modification stamps, the Pryzm ID field, every pulled field or parent path and the fields
 * first-sync matching reads. Paths the describe does not know are left out (validation
 * reports them).
 */
export function queryFields(
  mapping: ObjectMapping,
  describe: SObjectDescribe,
  describeFor?: DescribeLookup,
): string[] {
  const fields = new Map<string, string>();
  const add = (path: string) => {
    const resolved = resolveFieldPath(describe, path, describeFor);
    if (resolved.ok && !fields.has(resolved.apiPath.toLowerCase())) {
      fields.set(resolved.apiPath.toLowerCase(), resolved.apiPath);
    }
  };
  SYSTEM_FIELDS.forEach(add);
  const pryzmId = findPryzmIdField(describe);
  if (pryzmId) add(pryzmId.name);
  for (const fieldMapping of mapping.fields) {
    if (effectiveDirection(mapping.direction, fieldMapping).pull) {
      salesforceFieldsOf(fieldMapping).forEach(add);
    }
  }
  for (const rule of mapping.matchRules ?? defaultMatchRules(mapping.salesforceObject)) {
    rule.parts.forEach((part) => add(part.salesforceField));
  }
  return [...fields.values()];
}

export interface SelectQueryOptions {
  describeFor?: DescribeLookup;
  /** Only these records (at most 200 ids, one SOQL per batch of changes). */
  ids?: readonly string[];
  /**
   * Only records changed at or after this instant (`SystemModstamp`, which also moves on
   * system changes `LastModifiedDate` misses): an incremental pull. ISO 8601 UTC, e.g.
   * `2026-12-06T06:00:00.000Z`.
   */
  modifiedSince?: string;
}

export type SelectQueryResult =
  { ok: true; soql: string } | { ok: false; problems: FilterProblem[] };

/** Largest id list the sync engine sends in one query. */
export const MAX_IDS_PER_QUERY = 200;

/**
 * Builds the SOQL that reads records for this mapping: the query fields, the mapping's filter
 * (checked and normalised) and, when given, an `Id IN (...)` list. Every name in the text comes
 * from the describe and every literal is checked, so nothing user-typed reaches it unparsed.
 * Throws `RangeError` for an id list that is empty, too long or holds non-ids.
 */
export function buildSelectQuery(
  mapping: ObjectMapping,
  describe: SObjectDescribe,
  options: SelectQueryOptions = {},
): SelectQueryResult {
  const conditions: string[] = [];
  if (mapping.filter != null && mapping.filter.trim() !== '') {
    const filter = normaliseFilter(mapping.filter, describe, options.describeFor);
    if (!filter.ok) return filter;
    conditions.push(`(${filter.where})`);
  }
  if (options.ids) {
    // Ids come from the sync engine, not from users: a bad list is a programming error.
    const bad = options.ids.filter((id) => !isSalesforceId(id));
    if (bad.length > 0) throw new RangeError(`not Salesforce ids: ${bad.slice(0, 5).join(', ')}`);
    if (options.ids.length === 0 || options.ids.length > MAX_IDS_PER_QUERY) {
      throw new RangeError(`1 to ${MAX_IDS_PER_QUERY} ids per query, got ${options.ids.length}`);
    }
    conditions.push(`Id IN (${options.ids.map((id) => `'${id}'`).join(', ')})`);
  }
  if (options.modifiedSince !== undefined) {
    // From the sync engine's own cursor, not from users: a bad instant is a programming error.
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(options.modifiedSince)) {
      throw new RangeError(`not a UTC instant: ${options.modifiedSince}`);
    }
    conditions.push(`SystemModstamp >= ${options.modifiedSince}`);
  }
  const fields = queryFields(mapping, describe, options.describeFor).join(', ');
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  return { ok: true, soql: `SELECT ${fields} FROM ${describe.name}${where}` };
}
