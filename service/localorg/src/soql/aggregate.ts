/**
 * Aggregate queries (GROUP BY, HAVING, COUNT/COUNT_DISTINCT/SUM/AVG/MIN/MAX, date functions)
 * answering `AggregateResult` records: grouped fields under their field name, aggregates and
 * date functions under their alias or `expr0`, `expr1`... in the order they appear.
 */
import type {
  FunctionExp,
  GroupByClause,
  OrderByClause,
  Query,
} from '@jetstreamapp/soql-parser-js';
import type { FieldDescribe, FieldValue, StoredRecord } from '../core/contracts.ts';
import { getterFor, type Getter } from './access.ts';
import { locate, malformed, positionedMessage, SoqlError } from './errors.ts';
import {
  AGGREGATE_FUNCTIONS,
  dateFunction,
  dateFunctionType,
  isDateFunction,
} from './functions.ts';
import { sortRows, type SortCriterion } from './order.ts';
import type { QueryRecord } from './projection.ts';
import {
  scan,
  selectPath,
  wherePredicate,
  type QueryContext,
  type QueryResult,
} from './context.ts';
import { comparableOf, sortKeyOf, valueKind, type Comparable } from './values.ts';
import { compileConditions, functionResultField } from './where.ts';

export function isAggregateQuery(query: Query): boolean {
  if (query.groupBy) return true;
  return (query.fields ?? []).some(
    (f) =>
      f.type === 'FieldFunctionExpression' && AGGREGATE_FUNCTIONS.has(f.functionName.toUpperCase()),
  );
}

/** A value computed per group: a grouped expression or an aggregate over the group's rows. */
interface GroupValue {
  /** Normalised text (`count(id)`, `account.name`) to match ORDER BY and HAVING against. */
  text: string;
  value: (rows: StoredRecord[]) => FieldValue;
  field: FieldDescribe;
}

interface OutputColumn extends GroupValue {
  key: string;
}

function normalized(text: string): string {
  return text.replace(/\s+/g, '').toLowerCase();
}

function fnText(fn: FunctionExp): string {
  return normalized(fn.rawValue ?? `${fn.functionName ?? ''}(${String(fn.parameters?.[0] ?? '')})`);
}

function groupClauses(query: Query): GroupByClause[] {
  if (!query.groupBy) return [];
  return Array.isArray(query.groupBy) ? query.groupBy : [query.groupBy];
}

function accumulator(
  fn: string,
  getter: Getter | undefined,
  key: (v: FieldValue) => Comparable | null,
): (rows: StoredRecord[]) => FieldValue {
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
        // Rounding to 15 significant digits drops binary floating-point noise (0.1 + 0.2).
        return Number((fn === 'SUM' ? sum : sum / count).toPrecision(15));
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

class AggregatePlanner {
  private readonly selectAt: number;
  readonly groups: (GroupValue & { rowKey: (row: StoredRecord) => string })[];

  constructor(private readonly ctx: QueryContext) {
    this.selectAt = locate(ctx.soql, 'SELECT');
    const groupAt = locate(ctx.soql, 'GROUP');
    this.groups = groupClauses(ctx.query).map((clause) => {
      if ('field' in clause) {
        const path = ctx.resolver.resolve(clause.field, groupAt);
        if (path.field.groupable === false) {
          throw new SoqlError(
            'INVALID_FIELD',
            positionedMessage(
              ctx.soql,
              locate(ctx.soql, clause.field, groupAt),
              `field '${path.field.name}' can not be grouped in a query call`,
            ),
          );
        }
        const getter = getterFor(path, ctx.lookup);
        const key = comparableOf(valueKind(path.field.type));
        return {
          text: path.canonical.toLowerCase(),
          field: path.field,
          value: (rows: StoredRecord[]) => (rows[0] ? getter(rows[0]) : null),
          rowKey: (row: StoredRecord) => String(key(getter(row))),
        };
      }
      const fn = this.dateFunctionValue(clause.fn, groupAt);
      return {
        ...fn,
        value: (rows: StoredRecord[]) => (rows[0] ? fn.apply(rows[0]) : null),
        rowKey: (row: StoredRecord) => String(fn.apply(row)),
      };
    });
  }

  private dateFunctionValue(fn: FunctionExp, searchFrom: number) {
    const name = fn.functionName ?? '';
    const param = fn.parameters?.[0];
    if (!isDateFunction(name) || typeof param !== 'string') {
      throw malformed(
        this.ctx.soql,
        locate(this.ctx.soql, name, searchFrom),
        `unexpected token: '${name}'`,
      );
    }
    const getter = getterFor(this.ctx.resolver.resolve(param, searchFrom), this.ctx.lookup);
    const apply = dateFunction(name);
    return {
      text: fnText(fn),
      field: functionResultField(fn.rawValue ?? name, dateFunctionType(name)),
      apply: (row: StoredRecord) => apply(getter(row)),
    };
  }

  /** An aggregate function over a group's rows. */
  aggregate(fn: FunctionExp, searchFrom: number): GroupValue {
    const name = (fn.functionName ?? '').toUpperCase();
    const param = fn.parameters?.[0];
    const resolved =
      typeof param === 'string' ? this.ctx.resolver.resolve(param, searchFrom) : undefined;
    const getter = resolved ? getterFor(resolved, this.ctx.lookup) : undefined;
    const kind = resolved ? valueKind(resolved.field.type) : 'number';
    if ((name === 'SUM' || name === 'AVG') && kind !== 'number' && resolved) {
      const fnAt = locate(this.ctx.soql, fn.functionName ?? name, searchFrom);
      throw malformed(
        this.ctx.soql,
        locate(this.ctx.soql, String(param), fnAt),
        `field ${resolved.field.name} does not support aggregate operator ${name}`,
      );
    }
    const resultType: FieldDescribe['type'] =
      name === 'MIN' || name === 'MAX'
        ? (resolved?.field.type ?? 'double')
        : name === 'COUNT' || name === 'COUNT_DISTINCT'
          ? 'int'
          : 'double';
    return {
      text: fnText(fn),
      field: functionResultField(fn.rawValue ?? name, resultType),
      value: accumulator(name, getter, comparableOf(kind)),
    };
  }

  /** A grouped expression or aggregate named by text, for HAVING and ORDER BY. */
  valueFor(fn: FunctionExp | undefined, field: string | undefined, at: number): GroupValue {
    if (field !== undefined) {
      const text = this.ctx.resolver.resolve(field, at).canonical.toLowerCase();
      const group = this.groups.find((g) => g.text === text);
      if (!group) {
        throw malformed(
          this.ctx.soql,
          locate(this.ctx.soql, field, at),
          'Ordered field must be grouped or aggregated: ' + field,
        );
      }
      return group;
    }
    const text = fn ? fnText(fn) : '';
    const group = this.groups.find((g) => g.text === text);
    if (group) return group;
    if (fn && AGGREGATE_FUNCTIONS.has((fn.functionName ?? '').toUpperCase()))
      return this.aggregate(fn, at);
    throw malformed(this.ctx.soql, at, `unexpected token: '${fn?.rawValue ?? ''}'`);
  }

  columns(): OutputColumn[] {
    const { ctx } = this;
    let expr = 0;
    return (ctx.query.fields ?? []).map((item) => {
      const path = selectPath(item);
      if (path !== undefined) {
        const resolved = ctx.resolver.resolve(path, this.selectAt);
        const group = this.groups.find((g) => g.text === resolved.canonical.toLowerCase());
        if (!group) {
          throw malformed(
            ctx.soql,
            locate(ctx.soql, path, this.selectAt),
            `Field must be grouped or aggregated: ${resolved.field.name}`,
          );
        }
        const alias = 'alias' in item && typeof item.alias === 'string' ? item.alias : undefined;
        const key = alias ?? resolved.field.name;
        return { ...group, key };
      }
      if (item.type !== 'FieldFunctionExpression') {
        throw malformed(ctx.soql, this.selectAt, 'Field must be grouped or aggregated');
      }
      const key = item.alias ?? `expr${expr++}`;
      if (AGGREGATE_FUNCTIONS.has(item.functionName.toUpperCase())) {
        return { ...this.aggregate(item, this.selectAt), key };
      }
      const group = this.groups.find((g) => g.text === fnText(item));
      if (!group) {
        throw malformed(
          ctx.soql,
          locate(ctx.soql, item.functionName, this.selectAt),
          `Field must be grouped or aggregated: ${item.rawValue ?? item.functionName}`,
        );
      }
      return { ...group, key };
    });
  }
}

export function aggregateQuery(ctx: QueryContext): QueryResult {
  const { query, soql } = ctx;
  const planner = new AggregatePlanner(ctx);
  const columns = planner.columns();
  const havingAt = locate(soql, 'HAVING');
  const having = compileConditions<StoredRecord[]>(query.having, {
    soql,
    now: ctx.options.now,
    operand: (cond) => {
      const value = planner.valueFor(
        'fn' in cond ? cond.fn : undefined,
        'field' in cond ? cond.field : undefined,
        havingAt,
      );
      return { get: value.value, field: value.field, at: havingAt, plainField: false };
    },
  });

  const buckets = new Map<string, StoredRecord[]>();
  for (const row of scan(ctx, wherePredicate(ctx))) {
    const id = planner.groups.map((g) => g.rowKey(row)).join('\u0000');
    const bucket = buckets.get(id);
    if (bucket) bucket.push(row);
    else buckets.set(id, [row]);
  }
  if (planner.groups.length === 0 && buckets.size === 0) buckets.set('', []);

  const groups = [...buckets.values()].filter((rows) => having(rows));
  const offset = query.offset ?? 0;
  const sorted = sortRows(groups, aggregateOrder(ctx, planner), offset + (query.limit ?? Infinity));
  const paged = sorted.slice(offset, offset + (query.limit ?? Infinity));
  const records = paged.map((rows) => {
    const record: QueryRecord = { attributes: { type: 'AggregateResult' } };
    for (const column of columns) record[column.key] = column.value(rows);
    return record;
  });
  return { totalSize: records.length, done: true, records };
}

function aggregateOrder(
  ctx: QueryContext,
  planner: AggregatePlanner,
): SortCriterion<StoredRecord[]>[] {
  const clauses: OrderByClause[] = ctx.query.orderBy
    ? Array.isArray(ctx.query.orderBy)
      ? ctx.query.orderBy
      : [ctx.query.orderBy]
    : [];
  const orderAt = locate(ctx.soql, 'ORDER');
  return clauses.map((clause) => {
    const value = planner.valueFor(
      'fn' in clause ? clause.fn : undefined,
      'field' in clause ? clause.field : undefined,
      orderAt,
    );
    const key = sortKeyOf(value.field);
    return {
      key: (rows: StoredRecord[]) => key(value.value(rows)),
      descending: clause.order === 'DESC',
      nullsLast: clause.nulls === 'LAST',
    };
  });
}
