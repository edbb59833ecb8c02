/**
 * The run-time context of one query, built once from its text, and what every query shape
 * shares on it: the select paths, the FIELDS() expansion, the paging checks, the compiled WHERE
 * and the scan that applies it (plain, aggregate, count-only and Bulk CSV queries alike).
 */
import type { FieldType as SelectItem, Query } from '@jetstreamapp/soql-parser-js';
import type { QueryDataSource, SObjectDescribe, StoredRecord } from '../core/contracts.ts';
import { cachedLookup, getterFor, type ParentLookup } from './access.ts';
import { isCompound } from './compound.ts';
import { locate, malformed, SoqlError } from './errors.ts';
import { parseSoql } from './parse.ts';
import type { QueryRecord } from './projection.ts';
import { PathResolver, resolveObject } from './schema.ts';
import { idKey } from './values.ts';
import type { Predicate } from './comparison.ts';
import { pinnedIds } from './condition-tree.ts';
import { compileWhere } from './where.ts';

export interface ExecuteOptions {
  includeDeleted: boolean;
  now: Date;
  /** API version in record URLs, e.g. '63.0'. */
  apiVersion?: string;
}

export interface QueryResult {
  totalSize: number;
  done: true;
  records: QueryRecord[];
}

export const MAX_OFFSET = 2000;
const FIELDS_FUNCTION_MAX_LIMIT = 200;

/** Everything one query needs at run time, built once from its text. */
export interface QueryContext {
  soql: string;
  query: Query;
  source: QueryDataSource;
  describe: SObjectDescribe;
  resolver: PathResolver;
  lookup: ParentLookup;
  options: ExecuteOptions;
  apiVersion: string;
}

export function selectPath(item: SelectItem): string | undefined {
  if (item.type === 'Field') return item.field;
  if (item.type === 'FieldRelationship') return [...item.relationships, item.field].join('.');
  return undefined;
}

/** The text of a select item as written, e.g. `Account.Name` or `COUNT(Id)`. */
export function selectText(item: SelectItem): string {
  if (item.type === 'Field') return item.field;
  if (item.type === 'FieldRelationship') return item.rawValue ?? selectPath(item) ?? '';
  if (item.type === 'FieldFunctionExpression') return item.rawValue ?? item.functionName;
  if (item.type === 'FieldSubquery') return item.subquery.relationshipName;
  return item.field;
}

export function createContext(
  soql: string,
  source: QueryDataSource,
  options: ExecuteOptions,
  parsed?: Query,
  lookup?: ParentLookup,
): QueryContext {
  const query = parsed ?? parseSoql(soql);
  const describe = resolveObject(soql, source, query.sObject ?? '');
  return {
    soql,
    query,
    source,
    describe,
    resolver: new PathResolver(soql, source, describe, query.sObjectAlias),
    lookup: lookup ?? cachedLookup(source),
    options,
    apiVersion: options.apiVersion ?? '63.0',
  };
}

export function isCountOnly(query: Query): boolean {
  const fields = query.fields ?? [];
  return (
    fields.length === 1 &&
    fields[0]?.type === 'FieldFunctionExpression' &&
    fields[0].functionName.toUpperCase() === 'COUNT' &&
    fields[0].parameters.length === 0
  );
}

export function checkPaging(ctx: QueryContext): void {
  const { query, soql } = ctx;
  if (query.offset !== undefined && query.offset > MAX_OFFSET) {
    throw new SoqlError(
      'NUMBER_OUTSIDE_VALID_RANGE',
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  }
  const usesFields = (query.fields ?? []).some(
    (f) => f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'FIELDS',
  );
  const unbounded = usesFields
    ? (query.fields ?? []).some(
        (f) =>
          f.type === 'FieldFunctionExpression' &&
          f.functionName.toUpperCase() === 'FIELDS' &&
          String(f.parameters[0] ?? '').toUpperCase() !== 'STANDARD',
      )
    : false;
  if (unbounded && (query.limit === undefined || query.limit > FIELDS_FUNCTION_MAX_LIMIT)) {
    throw malformed(
      soql,
      locate(soql, 'FIELDS'),
      `The SOQL FIELDS function must have a LIMIT of at most ${FIELDS_FUNCTION_MAX_LIMIT}`,
    );
  }
}

/**
 * Fields FIELDS(ALL|STANDARD|CUSTOM) stands for, in describe order; compound fields only when
 * the caller can answer them (REST does, Bulk CSV does not).
 */
export function expandFields(
  describe: SObjectDescribe,
  which: string,
  includeCompound = false,
): string[] {
  const wanted = which.toUpperCase();
  return describe.fields
    .filter((f) => includeCompound || !isCompound(f))
    .filter((f) => (wanted === 'CUSTOM' ? f.custom : wanted === 'STANDARD' ? !f.custom : true))
    .map((f) => f.name);
}

/**
 * The rows that pass the filter, in store order; deleted rows only for queryAll. A filter
 * pinned to Ids (`Id IN (...)`, the connector's batched reads) fetches those rows by Id, in Id
 * order, instead of scanning the object.
 */
export function scan(
  ctx: QueryContext,
  predicate: Predicate,
  stopAfter = Infinity,
): StoredRecord[] {
  const out: StoredRecord[] = [];
  const includeDeleted = ctx.options.includeDeleted;
  for (const record of candidates(ctx)) {
    if (!includeDeleted && record.IsDeleted === true) continue;
    if (!predicate(record)) continue;
    out.push(record);
    if (out.length >= stopAfter) break;
  }
  return out;
}

function candidates(ctx: QueryContext): Iterable<StoredRecord> {
  const ids = pinnedIds(ctx.query.where);
  if (!ids) return ctx.source.records(ctx.describe.name);
  const objectName = ctx.describe.name.toLowerCase();
  const byId = new Map<string, StoredRecord>();
  for (const id of ids) {
    const found = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(id)
      ? ctx.source.findById(id)
      : undefined;
    if (found && found.objectName.toLowerCase() === objectName)
      byId.set(found.record.Id, found.record);
  }
  return [...byId.values()].sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
}

export function wherePredicate(ctx: QueryContext): Predicate {
  return compileWhere(ctx.query.where, {
    soql: ctx.soql,
    resolver: ctx.resolver,
    lookup: ctx.lookup,
    now: ctx.options.now,
    semiJoin: (inner) => semiJoinIds(ctx, inner),
  });
}

function semiJoinIds(ctx: QueryContext, inner: Query): Set<string> {
  const innerCtx = createContext(ctx.soql, ctx.source, ctx.options, inner, ctx.lookup);
  const item = inner.fields?.[0];
  const path = item ? selectPath(item) : undefined;
  if (!item || !path || (inner.fields?.length ?? 0) !== 1) {
    throw malformed(
      ctx.soql,
      locate(ctx.soql, 'SELECT', 1),
      'semi join sub-selects must select exactly one field',
    );
  }
  const resolved = innerCtx.resolver.resolve(path, locate(ctx.soql, 'SELECT', 1));
  const getter = getterFor(resolved, ctx.lookup);
  const ids = new Set<string>();
  for (const record of scan(innerCtx, wherePredicate(innerCtx))) {
    const value = getter(record);
    if (typeof value === 'string' && value !== '') ids.add(idKey(value));
  }
  return ids;
}
