/**
 * Executes a SOQL query against a QueryDataSource: parse, resolve names against describes,
 * compile WHERE into a predicate, scan, sort, page (OFFSET/LIMIT) and shape the REST JSON.
 */
import type { FieldType as SelectItem, OrderByClause, Query } from '@jetstreamapp/soql-parser-js';
import type { StoredRecord } from '../core/contracts.ts';
import { getterFor } from './access.ts';
import { aggregateQuery, isAggregateQuery } from './aggregate.ts';
import { compoundReader, isCompound } from './compound.ts';
import {
  checkPaging,
  createContext,
  expandFields,
  isCountOnly,
  scan,
  selectPath,
  selectText,
  wherePredicate,
  type QueryContext,
  type QueryResult,
} from './context.ts';
import { locate, malformed, positionedMessage, SoqlError } from './errors.ts';
import { sortRows, type SortCriterion } from './order.ts';
import {
  addComputed,
  addPath,
  emptyShape,
  projector,
  type ChildResult,
  type Shape,
} from './projection.ts';
import { findChildRelationship, type ResolvedPath } from './schema.ts';
import { idKey, sortKeyOf } from './values.ts';

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
