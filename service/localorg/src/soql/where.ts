/**
 * Compiles a WHERE or HAVING clause into one predicate closure: the clause is rebuilt into a
 * condition tree (`condition-tree.ts`), then every condition becomes a closure over pre-read
 * literals (`comparison.ts`) so rows are tested without re-reading the syntax tree.
 */
import type { HavingClause, WhereClause, Query } from '@jetstreamapp/soql-parser-js';
import type { FieldDescribe, FieldValue, StoredRecord } from '../core/contracts.ts';
import { getterFor, type ParentLookup } from './access.ts';
import {
  compareTo,
  isRange,
  likeRegExp,
  readLiteral,
  TYPE_NAMES,
  type Predicate,
} from './comparison.ts';
import { TreeBuilder, tokenize, type ConditionNode, type LeafCondition } from './condition-tree.ts';
import { invalidFilter, locate, malformed, positionedMessage, SoqlError } from './errors.ts';
import { dateFunction, dateFunctionType, isDateFunction } from './functions.ts';
import type { PathResolver } from './schema.ts';
import { comparableOf, idKey, unquote, valueKind, type Comparable } from './values.ts';

/** Runs a semi-join's inner query and answers the set of Id keys it selects. */
export type SemiJoinRunner = (query: Query) => Set<string>;

/**
 * What a condition's left side reads from a row: a field (or a function of one) with the
 * describe that types it. `field` is the described field, or a stand-in typed as the function's
 * result.
 */
export interface Operand<T> {
  get: (row: T) => FieldValue;
  field: FieldDescribe;
  /** Offset of the operand in the query text, for positioned errors. */
  at: number;
  /** True when the operand is a plain field, so LIKE/INCLUDES/semi-joins apply. */
  plainField: boolean;
}

export interface ConditionContext<T> {
  soql: string;
  now: Date;
  operand: (cond: LeafCondition) => Operand<T>;
  semiJoin?: SemiJoinRunner;
}

class ConditionCompiler<T> {
  constructor(private readonly ctx: ConditionContext<T>) {}

  compile(node: ConditionNode): Predicate<T> {
    switch (node.kind) {
      case 'and': {
        const parts = node.children.map((child) => this.compile(child));
        if (parts.length === 2) {
          const [a, b] = parts as [Predicate<T>, Predicate<T>];
          return (r) => a(r) && b(r);
        }
        return (r) => parts.every((p) => p(r));
      }
      case 'or': {
        const parts = node.children.map((child) => this.compile(child));
        if (parts.length === 2) {
          const [a, b] = parts as [Predicate<T>, Predicate<T>];
          return (r) => a(r) || b(r);
        }
        return (r) => parts.some((p) => p(r));
      }
      case 'not': {
        const inner = this.compile(node.child);
        return (r) => !inner(r);
      }
      case 'cond':
        return this.condition(node.cond);
    }
  }

  private condition(cond: LeafCondition): Predicate<T> {
    const { soql } = this.ctx;
    const { get: getter, field, at, plainField } = this.ctx.operand(cond);
    const kind = valueKind(field.type);
    const key = comparableOf(kind);
    const read = (r: T) => key(getter(r));
    const operator = 'operator' in cond ? cond.operator.toUpperCase() : '=';

    if ('valueQuery' in cond && cond.valueQuery) {
      if (!this.ctx.semiJoin || !plainField) {
        throw malformed(soql, at, 'semi join sub-selects are only allowed in WHERE on a field');
      }
      const ids = this.ctx.semiJoin(cond.valueQuery);
      const inSet: Predicate<T> = (r) => {
        const v = getter(r);
        return typeof v === 'string' && ids.has(idKey(v));
      };
      return operator === 'NOT IN' ? (r) => !inSet(r) : inSet;
    }
    const rawValue: string | string[] = 'value' in cond ? cond.value : [];
    const values: string[] = Array.isArray(rawValue) ? rawValue : [rawValue];
    const types = Array.isArray(cond.literalType) ? cond.literalType : [cond.literalType];
    const nVars = 'dateLiteralVariable' in cond ? cond.dateLiteralVariable : undefined;
    const nList = Array.isArray(nVars) ? nVars : [nVars];

    if (operator === 'INCLUDES' || operator === 'EXCLUDES') {
      if (field.type !== 'multipicklist') {
        throw invalidFilter(
          soql,
          at,
          'includes or excludes operator only valid on multipicklist field',
        );
      }
      const sets = values.map((raw) =>
        unquote(String(raw))
          .split(';')
          .map((s) => s.trim().toLowerCase())
          .filter((s) => s !== ''),
      );
      const includes: Predicate<T> = (r) => {
        const v = getter(r);
        if (typeof v !== 'string' || v === '') return false;
        const have = new Set(v.split(';').map((s) => s.trim().toLowerCase()));
        return sets.some((wanted) => wanted.every((w) => have.has(w)));
      };
      return operator === 'INCLUDES' ? includes : (r) => !includes(r);
    }

    if (operator === 'LIKE') {
      if (kind !== 'text' && kind !== 'id') {
        throw invalidFilter(
          soql,
          at,
          `invalid operator on ${TYPE_NAMES[field.type] ?? field.type} field: ${field.name}`,
        );
      }
      const pattern = likeRegExp(unquote(String(values[0] ?? ''), true));
      return (r) => {
        const v = getter(r);
        return v !== null && pattern.test(String(v));
      };
    }

    const literals = values.map((raw, i) =>
      readLiteral(
        this.ctx,
        field,
        kind,
        String(raw),
        String(types[i] ?? types[0] ?? ''),
        Number(nList[i] ?? nList[0] ?? 0),
        at,
      ),
    );

    if (operator === 'IN' || operator === 'NOT IN') {
      const plain = new Set<Comparable>();
      let hasNull = false;
      const ranges: { start: Comparable; end: Comparable }[] = [];
      for (const literal of literals) {
        if (literal === null) hasNull = true;
        else if (isRange(literal)) ranges.push(literal);
        else plain.add(literal);
      }
      const inList: Predicate<T> = (r) => {
        const v = read(r);
        if (v === null) return hasNull;
        if (plain.has(v)) return true;
        for (const range of ranges) if (v >= range.start && v < range.end) return true;
        return false;
      };
      return operator === 'IN' ? inList : (r) => !inList(r);
    }
    return compareTo(operator, literals[0] ?? null, read);
  }
}

/** Compiles a WHERE or HAVING clause over rows of type T. */
export function compileConditions<T>(
  where: WhereClause | HavingClause | undefined,
  ctx: ConditionContext<T>,
): Predicate<T> {
  if (!where) return () => true;
  const tree = new TreeBuilder(tokenize(where as WhereClause), ctx.soql).build();
  return new ConditionCompiler(ctx).compile(tree);
}

export interface WhereContext {
  soql: string;
  resolver: PathResolver;
  lookup: ParentLookup;
  now: Date;
  semiJoin: SemiJoinRunner;
}

/** A stand-in describe for a function's result, so literals are typed like a field of that type. */
export function functionResultField(name: string, type: FieldDescribe['type']): FieldDescribe {
  return {
    name,
    type,
    filterable: true,
    sortable: true,
    groupable: true,
    picklistValues: [],
  } as unknown as FieldDescribe;
}

export function compileWhere(where: WhereClause | undefined, ctx: WhereContext): Predicate {
  const { soql } = ctx;
  const whereAt = locate(soql, 'WHERE');
  return compileConditions<StoredRecord>(where, {
    soql,
    now: ctx.now,
    semiJoin: ctx.semiJoin,
    operand: (cond) => {
      if ('fn' in cond) {
        const fnName = cond.fn.functionName ?? '';
        const param = cond.fn.parameters?.[0];
        const at = locate(soql, fnName, whereAt);
        if (!isDateFunction(fnName) || typeof param !== 'string') {
          throw malformed(soql, at, `unexpected token: '${cond.fn.rawValue ?? fnName}'`);
        }
        const path = ctx.resolver.resolve(param, whereAt);
        const get = getterFor(path, ctx.lookup);
        const apply = dateFunction(fnName);
        return {
          get: (r) => apply(get(r)),
          field: functionResultField(cond.fn.rawValue ?? fnName, dateFunctionType(fnName)),
          at,
          plainField: false,
        };
      }
      const at = locate(soql, cond.field, whereAt);
      const path = ctx.resolver.resolve(cond.field, whereAt);
      if (path.field.filterable === false) {
        throw new SoqlError(
          'INVALID_FIELD',
          positionedMessage(
            soql,
            at,
            `field '${path.field.name}' can not be filtered in a query call`,
          ),
        );
      }
      return { get: getterFor(path, ctx.lookup), field: path.field, at, plainField: true };
    },
  });
}
