/**
 * Aggregate queries (GROUP BY, COUNT/COUNT_DISTINCT/SUM/AVG/MIN/MAX) answering
 * `AggregateResult` records: grouped fields under their field name, aggregates under their
 * alias or `expr0`, `expr1`... in the order unaliased aggregates appear.
 */
import type {
  FieldFunctionExpression,
  GroupByClause,
  OrderByClause,
  Query,
} from '@jetstreamapp/soql-parser-js';
import type { FieldValue, StoredRecord } from '../core/contracts.ts';
import { getterFor, type Getter } from './access.ts';
import { locate, malformed } from './errors.ts';
import { sortRows, type SortCriterion } from './order.ts';
import type { QueryRecord } from './projection.ts';
import type { QueryContext, QueryResult } from './query.ts';
import { scan, selectPath, wherePredicate } from './query.ts';
import { comparableOf, valueKind, type Comparable } from './values.ts';

export function isAggregateQuery(query: Query): boolean {
  if (query.groupBy) return true;
  return (query.fields ?? []).some(
    (f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn === true,
  );
}

type Accumulate = (rows: StoredRecord[]) => FieldValue;

interface OutputColumn {
  key: string;
  /** The select item's text, for ORDER BY matching: `COUNT(Id)` or a field path. */
  text: string;
  value: (rows: StoredRecord[]) => FieldValue;
  sortKey: (value: FieldValue) => Comparable | null;
}

function groupClauses(query: Query): GroupByClause[] {
  if (!query.groupBy) return [];
  return Array.isArray(query.groupBy) ? query.groupBy : [query.groupBy];
}

function accumulator(
  fn: string,
  getter: Getter | undefined,
  key: (v: FieldValue) => Comparable | null,
): Accumulate {
  switch (fn) {
    case 'COUNT':
      if (!getter) return (rows) => rows.length;
      return (rows) => rows.reduce((n, r) => (getter(r) === null ? n : n + 1), 0);
    case 'COUNT_DISTINCT':
      return (rows) => {
        const seen = new Set<Comparable>();
        for (const r of rows) {
          const k = key(getter ? getter(r) : null);
          if (k !== null) seen.add(k);
        }
        return seen.size;
      };
    case 'SUM':
    case 'AVG':
      return (rows) => {
        let sum = 0;
        let count = 0;
        for (const r of rows) {
          const v = getter ? getter(r) : null;
          if (v === null || v === '') continue;
          sum += Number(v);
          count++;
        }
        if (count === 0) return null;
        return fn === 'SUM' ? sum : sum / count;
      };
    default:
      return (rows) => {
        let best: FieldValue = null;
        let bestKey: Comparable | null = null;
        for (const r of rows) {
          const v = getter ? getter(r) : null;
          const k = key(v);
          if (k === null) continue;
          if (bestKey === null || (fn === 'MIN' ? k < bestKey : k > bestKey)) {
            best = v;
            bestKey = k;
          }
        }
        return best;
      };
  }
}

export function aggregateQuery(ctx: QueryContext): QueryResult {
  const { query, soql } = ctx;
  const selectAt = locate(soql, 'SELECT');
  const groupAt = locate(soql, 'GROUP');
  const groups = groupClauses(query).map((clause) => {
    if (!('field' in clause))
      throw malformed(soql, groupAt, 'Grouping by a function is not supported');
    const path = ctx.resolver.resolve(clause.field, groupAt);
    const getter = getterFor(path, ctx.lookup);
    const key = comparableOf(valueKind(path.field.type));
    return { path, getter, key };
  });

  let expr = 0;
  const columns: OutputColumn[] = (query.fields ?? []).map((item) => {
    const path = selectPath(item);
    if (path !== undefined) {
      const resolved = ctx.resolver.resolve(path, selectAt);
      const group = groups.find((g) => g.path.canonical === resolved.canonical);
      if (!group) {
        throw malformed(
          soql,
          locate(soql, path, selectAt),
          `Field must be grouped or aggregated: ${resolved.field.name}`,
        );
      }
      return {
        key: item.type === 'Field' && item.alias ? item.alias : resolved.field.name,
        text: resolved.canonical.toLowerCase(),
        value: (rows) => (rows[0] ? group.getter(rows[0]) : null),
        sortKey: group.key,
      };
    }
    if (item.type !== 'FieldFunctionExpression' || !item.isAggregateFn) {
      throw malformed(
        soql,
        locate(soql, item.type === 'FieldFunctionExpression' ? item.functionName : 'SELECT'),
        'Field must be grouped or aggregated',
      );
    }
    return aggregateColumn(ctx, item, item.alias ?? `expr${expr++}`);
  });

  const predicate = wherePredicate(ctx);
  const buckets = new Map<string, StoredRecord[]>();
  for (const row of scan(ctx, predicate)) {
    const id = groups.map((g) => String(g.key(g.getter(row)))).join('\u0000');
    const bucket = buckets.get(id);
    if (bucket) bucket.push(row);
    else buckets.set(id, [row]);
  }
  if (groups.length === 0 && buckets.size === 0) buckets.set('', []);

  const resultRows = [...buckets.values()].map((rows) => columns.map((c) => c.value(rows)));
  const sorted = sortRows(resultRows, aggregateOrder(ctx, columns));
  const offset = query.offset ?? 0;
  const paged = sorted.slice(offset, offset + (query.limit ?? Infinity));
  const records = paged.map((values) => {
    const record: QueryRecord = { attributes: { type: 'AggregateResult' } };
    columns.forEach((c, i) => {
      record[c.key] = values[i] ?? null;
    });
    return record;
  });
  return { totalSize: records.length, done: true, records };
}

function aggregateColumn(
  ctx: QueryContext,
  item: FieldFunctionExpression,
  key: string,
): OutputColumn {
  const fn = item.functionName.toUpperCase();
  const param = item.parameters[0];
  const selectAt = locate(ctx.soql, 'SELECT');
  const resolved = typeof param === 'string' ? ctx.resolver.resolve(param, selectAt) : undefined;
  const getter = resolved ? getterFor(resolved, ctx.lookup) : undefined;
  const kind = resolved ? valueKind(resolved.field.type) : 'number';
  if ((fn === 'SUM' || fn === 'AVG') && kind !== 'number' && resolved) {
    throw malformed(
      ctx.soql,
      locate(ctx.soql, item.functionName, selectAt),
      `field ${resolved.field.name} does not support aggregate operator ${fn}`,
    );
  }
  const comparable = comparableOf(kind);
  const resultKind = fn === 'MIN' || fn === 'MAX' ? kind : 'number';
  return {
    key,
    text: normalizedFunctionText(item),
    value: accumulator(fn, getter, comparable),
    sortKey: comparableOf(resultKind),
  };
}

function normalizedFunctionText(item: { rawValue?: string; functionName?: string }): string {
  return (item.rawValue ?? item.functionName ?? '').replace(/\s+/g, '').toLowerCase();
}

function aggregateOrder(ctx: QueryContext, columns: OutputColumn[]): SortCriterion<FieldValue[]>[] {
  const clauses: OrderByClause[] = ctx.query.orderBy
    ? Array.isArray(ctx.query.orderBy)
      ? ctx.query.orderBy
      : [ctx.query.orderBy]
    : [];
  const orderAt = locate(ctx.soql, 'ORDER');
  return clauses.map((clause) => {
    let text: string;
    if ('field' in clause && clause.field) {
      text = ctx.resolver.resolve(clause.field, orderAt).canonical.toLowerCase();
    } else if ('fn' in clause) {
      text = normalizedFunctionText(clause.fn);
    } else {
      text = '';
    }
    const index = columns.findIndex((c) => c.text === text);
    const column = columns[index];
    if (!column) {
      throw malformed(ctx.soql, orderAt, 'Ordered field must be grouped or aggregated');
    }
    return {
      key: (row: FieldValue[]) => column.sortKey(row[index] ?? null),
      descending: clause.order === 'DESC',
      nullsLast: clause.nulls === 'LAST',
    };
  });
}
