/**
 * Executes a SOQL query against a QueryDataSource: parse, resolve names against describes,
 * compile WHERE into a predicate, scan, sort, page (OFFSET/LIMIT) and shape the REST JSON.
 */
import type { FieldType as SelectItem, OrderByClause, Query } from '@jetstreamapp/soql-parser-js';
import type { QueryDataSource, SObjectDescribe, StoredRecord } from '../core/contracts.ts';
import { cachedLookup, getterFor, type ParentLookup } from './access.ts';
import { aggregateQuery, isAggregateQuery } from './aggregate.ts';

export { isAggregateQuery };
import { compoundReader, isCompound } from './compound.ts';
import { locate, malformed, positionedMessage, SoqlError } from './errors.ts';
import { sortRows, type SortCriterion } from './order.ts';
import { parseSoql } from './parse.ts';
import {
  addComputed,
  addPath,
  emptyShape,
  projector,
  type ChildResult,
  type QueryRecord,
  type Shape,
} from './projection.ts';
import { findChildRelationship, PathResolver, resolveObject, type ResolvedPath } from './schema.ts';
import { idKey, sortKeyOf } from './values.ts';
import { compileWhere, pinnedIds, type Predicate } from './where.ts';

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

function orderCriteria(ctx: QueryContext): SortCriterion<StoredRecord>[] {
  const clauses: OrderByClause[] = ctx.query.orderBy
    ? Array.isArray(ctx.query.orderBy)
      ? ctx.query.orderBy
      : [ctx.query.orderBy]
    : [];
  const orderAt = locate(ctx.soql, 'ORDER');
  return clauses.map((clause) => {
    if (!('field' in clause) || !clause.field) {
      throw malformed(ctx.soql, orderAt, 'Ordering by a function requires a GROUP BY query');
    }
    const path = ctx.resolver.resolve(clause.field, orderAt);
    if (path.field.sortable === false) {
      throw new SoqlError(
        'INVALID_FIELD',
        positionedMessage(
          ctx.soql,
          locate(ctx.soql, clause.field, orderAt),
          `field '${path.field.name}' can not be sorted in a query call`,
        ),
      );
    }
    const getter = getterFor(path, ctx.lookup);
    const key = sortKeyOf(path.field);
    return {
      key: (r: StoredRecord) => key(getter(r)),
      descending: clause.order === 'DESC',
      nullsLast: clause.nulls === 'LAST',
    };
  });
}

/** The select list as a projection shape, FIELDS() expanded and child subqueries included. */
function selectShape(ctx: QueryContext): { shape: Shape; paths: ResolvedPath[] } {
  const shape = emptyShape();
  const paths: ResolvedPath[] = [];
  const selectAt = locate(ctx.soql, 'SELECT');
  const seen = new Set<string>();
  const add = (resolved: ResolvedPath) => {
    const key = resolved.canonical.toLowerCase();
    if (seen.has(key)) {
      throw new SoqlError('INVALID_FIELD', `duplicate field selected: ${resolved.canonical}`);
    }
    seen.add(key);
    paths.push(resolved);
    if (resolved.hops.length === 0 && isCompound(resolved.field)) {
      addComputed(shape, resolved.field.name, compoundReader(ctx.describe, resolved.field));
    } else {
      addPath(shape, resolved);
    }
  };
  for (const item of ctx.query.fields ?? []) {
    const path = selectPath(item);
    if (path !== undefined) {
      add(ctx.resolver.resolve(path, selectAt));
      continue;
    }
    const fn = item.type === 'FieldFunctionExpression' ? item.functionName.toUpperCase() : '';
    if (item.type === 'FieldFunctionExpression' && fn === 'FIELDS') {
      for (const name of expandFields(ctx.describe, String(item.parameters[0] ?? 'ALL'), true)) {
        add(ctx.resolver.resolve(name, selectAt));
      }
      continue;
    }
    const param = item.type === 'FieldFunctionExpression' ? item.parameters[0] : undefined;
    if ((fn === 'TOLABEL' || fn === 'CONVERTCURRENCY') && typeof param === 'string') {
      // toLabel answers the picklist label (the org has one language); currencies are not
      // converted (single-currency org): both keep the field's name as the key.
      const resolved = ctx.resolver.resolve(param, selectAt);
      if (resolved.hops.length > 0) throw unsupportedSelectItem(ctx, item);
      const getter = getterFor(resolved, ctx.lookup);
      const labels = new Map(
        resolved.field.picklistValues.map((p) => [p.value, p.label] as [string, string]),
      );
      addComputed(shape, resolved.field.name, (record) => {
        const value = getter(record);
        return fn === 'TOLABEL' && typeof value === 'string' ? (labels.get(value) ?? value) : value;
      });
      continue;
    }
    if (item.type === 'FieldSubquery') {
      const { key, compute } = childSubquery(ctx, item.subquery);
      addComputed(shape, key, compute);
      continue;
    }
    throw unsupportedSelectItem(ctx, item);
  }
  return { shape, paths };
}

function unsupportedSelectItem(ctx: QueryContext, item: SelectItem): SoqlError {
  const text = selectText(item);
  if (item.type === 'FieldFunctionExpression') {
    return malformed(
      ctx.soql,
      locate(ctx.soql, item.functionName),
      `Unsupported function: ${item.functionName}`,
    );
  }
  return malformed(ctx.soql, locate(ctx.soql, text), `unexpected token: '${text}'`);
}

/**
 * A parent-to-child subquery, `(SELECT ... FROM Contacts)`: the child rows of each parent as a
 * nested query result, or null when there are none (as Salesforce answers).
 */
function childSubquery(
  ctx: QueryContext,
  subquery: Query & { relationshipName: string },
): { key: string; compute: (record: StoredRecord) => ChildResult | null } {
  const relationship = findChildRelationship(ctx.source, ctx.describe, subquery.relationshipName);
  if (!relationship) {
    const at = locate(ctx.soql, subquery.relationshipName);
    throw new SoqlError(
      'INVALID_TYPE',
      positionedMessage(
        ctx.soql,
        at,
        `Didn't understand relationship '${subquery.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    );
  }
  const childDescribe = relationship.child;
  const childQuery: Query = { ...subquery, sObject: childDescribe.name };
  const childCtx = createContext(ctx.soql, ctx.source, ctx.options, childQuery, ctx.lookup);
  const predicate = wherePredicate(childCtx);
  const { shape } = selectShape(childCtx);
  const project = projector(shape, ctx.lookup, ctx.apiVersion);
  const criteria = orderCriteria(childCtx);
  let byParent: Map<string, StoredRecord[]> | undefined;
  const referenceField = relationship.field;
  return {
    key: relationship.relationshipName,
    compute: (record) => {
      if (!byParent) {
        byParent = new Map();
        for (const child of scan(childCtx, predicate)) {
          const parentId = child[referenceField];
          if (typeof parentId !== 'string' || parentId === '') continue;
          const key = idKey(parentId);
          const list = byParent.get(key);
          if (list) list.push(child);
          else byParent.set(key, [child]);
        }
      }
      let rows = byParent.get(idKey(record.Id));
      if (!rows || rows.length === 0) return null;
      rows = sortRows(rows, criteria);
      rows = rows.slice(
        childQuery.offset ?? 0,
        (childQuery.offset ?? 0) + (childQuery.limit ?? Infinity),
      );
      if (rows.length === 0) return null;
      return {
        totalSize: rows.length,
        done: true,
        records: rows.map((row) => project(row, childDescribe.name)),
      };
    },
  };
}

export function countOnlyResult(ctx: QueryContext): QueryResult {
  const rows = scan(ctx, wherePredicate(ctx));
  const offset = ctx.query.offset ?? 0;
  const total = Math.max(0, Math.min(rows.length - offset, ctx.query.limit ?? Infinity));
  return { totalSize: total, done: true, records: [] };
}

/** The stored rows a non-aggregate query returns, filtered, sorted and paged. */
export function selectRows(ctx: QueryContext): StoredRecord[] {
  const predicate = wherePredicate(ctx);
  const criteria = orderCriteria(ctx);
  const offset = ctx.query.offset ?? 0;
  const limit = ctx.query.limit ?? Infinity;
  const rows =
    criteria.length === 0
      ? scan(ctx, predicate, offset + limit)
      : sortRows(scan(ctx, predicate), criteria, offset + limit);
  return offset === 0 && rows.length <= limit ? rows : rows.slice(offset, offset + limit);
}

export function runQuery(ctx: QueryContext): QueryResult {
  checkPaging(ctx);
  if (isCountOnly(ctx.query)) {
    if (!ctx.query.groupBy) return countOnlyResult(ctx);
    // COUNT() with GROUP BY counts the groups.
    return { totalSize: aggregateQuery(ctx).totalSize, done: true, records: [] };
  }
  if (isAggregateQuery(ctx.query)) return aggregateQuery(ctx);
  const { shape } = selectShape(ctx);
  const project = projector(shape, ctx.lookup, ctx.apiVersion);
  const type = ctx.describe.name;
  const records = selectRows(ctx).map((row) => project(row, type));
  return { totalSize: records.length, done: true, records };
}
