/**
 * Compiles a WHERE clause into one predicate closure. soql-parser-js gives conditions as a flat
 * chain with parenthesis counts; they are rebuilt into a tree first (NOT binds tightest, AND and
 * OR may not be mixed at one level without parentheses, as Salesforce requires), then every
 * condition becomes a closure over pre-read literals so rows are tested without re-reading the
 * syntax tree.
 */
import type {
  Condition,
  HavingClause,
  NegationCondition,
  ValueQueryCondition,
  WhereClause,
  Query,
} from '@jetstreamapp/soql-parser-js';
import type { FieldDescribe, FieldValue, StoredRecord } from '../core/contracts.ts';
import { invalidFilter, locate, malformed, positionedMessage, SoqlError } from './errors.ts';
import { dateFunction, dateFunctionType, isDateFunction } from './functions.ts';
import { getterFor, type ParentLookup } from './access.ts';
import type { PathResolver } from './schema.ts';
import {
  canonicalDateTime,
  comparableOf,
  dateLiteralRange,
  dateTimeMs,
  idKey,
  isoDay,
  unquote,
  valueKind,
  type Comparable,
  type ValueKind,
} from './values.ts';

/** A comparison in a WHERE or HAVING clause (NOT and parentheses are tokens around it). */
export type LeafCondition = Exclude<Condition, NegationCondition> | ValueQueryCondition;

export type Predicate<T = StoredRecord> = (row: T) => boolean;

type Token =
  | { kind: 'open' }
  | { kind: 'close' }
  | { kind: 'not' }
  | { kind: 'op'; op: 'AND' | 'OR' }
  | { kind: 'cond'; cond: LeafCondition };

type Node =
  | { kind: 'and' | 'or'; children: Node[] }
  | { kind: 'not'; child: Node }
  | { kind: 'cond'; cond: LeafCondition };

function isCondition(value: unknown): value is LeafCondition {
  return typeof value === 'object' && value !== null && ('field' in value || 'fn' in value);
}

function tokenize(where: WhereClause): Token[] {
  const tokens: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    const left: unknown = node.left;
    const operator = 'operator' in node ? node.operator : undefined;
    if (operator === 'NOT' && !isCondition(left)) {
      const opens = (left as { openParen?: number } | null)?.openParen ?? 0;
      for (let i = 0; i < opens; i++) tokens.push({ kind: 'open' });
      tokens.push({ kind: 'not' });
    } else if (isCondition(left)) {
      for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push({ kind: 'open' });
      tokens.push({ kind: 'cond', cond: left });
      const closes = 'closeParen' in left ? (left.closeParen ?? 0) : 0;
      for (let i = 0; i < closes; i++) tokens.push({ kind: 'close' });
      if (operator === 'AND' || operator === 'OR') tokens.push({ kind: 'op', op: operator });
    }
    node = 'right' in node ? node.right : undefined;
  }
  return tokens;
}

class TreeBuilder {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly soql: string,
  ) {}

  build(): Node {
    return this.expression();
  }

  private expression(): Node {
    const first = this.unary();
    let joiner: 'AND' | 'OR' | undefined;
    const children = [first];
    for (let token = this.tokens[this.position]; token?.kind === 'op';) {
      if (joiner && joiner !== token.op) {
        const whereAt = locate(this.soql, 'WHERE');
        throw malformed(
          this.soql,
          locate(this.soql, token.op, whereAt),
          `unexpected token: '${token.op}'`,
        );
      }
      joiner = token.op;
      this.position++;
      children.push(this.unary());
      token = this.tokens[this.position];
    }
    if (!joiner) return first;
    return { kind: joiner === 'AND' ? 'and' : 'or', children };
  }

  private unary(): Node {
    const token = this.tokens[this.position++];
    if (token?.kind === 'not') return { kind: 'not', child: this.unary() };
    if (token?.kind === 'open') {
      const inner = this.expression();
      if (this.tokens[this.position]?.kind === 'close') this.position++;
      return inner;
    }
    if (token?.kind === 'cond') return { kind: 'cond', cond: token.cond };
    throw malformed(this.soql, this.soql.length, "unexpected token: '<EOF>'");
  }
}

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

const TYPE_NAMES: Partial<Record<string, string>> = {
  int: 'integer',
  long: 'long',
  double: 'double',
  currency: 'double',
  percent: 'double',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
};

type Literal = Comparable | null | { start: Comparable; end: Comparable };

function isRange(value: Literal): value is { start: Comparable; end: Comparable } {
  return typeof value === 'object' && value !== null;
}

class ConditionCompiler<T> {
  constructor(private readonly ctx: ConditionContext<T>) {}

  compile(node: Node): Predicate<T> {
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
      this.literal(
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

  private literal(
    field: FieldDescribe,
    kind: ValueKind,
    raw: string,
    literalType: string,
    n: number,
    at: number,
  ): Literal {
    const { soql } = this.ctx;
    const typeName = TYPE_NAMES[field.type] ?? 'string';
    const mismatch = () => {
      if (literalType === 'STRING') {
        return invalidFilter(
          soql,
          at,
          `value of filter criterion for field '${field.name}' must be of type ${typeName} and should not be enclosed in quotes`,
        );
      }
      if (kind === 'text' || kind === 'id') {
        return invalidFilter(
          soql,
          at,
          `value of filter criterion for field '${field.name}' must be of type ${kind === 'id' ? 'id' : 'string'} and should be enclosed in quotes`,
        );
      }
      return invalidFilter(
        soql,
        at,
        `value of filter criterion for field '${field.name}' must be of type ${typeName}`,
      );
    };
    switch (literalType) {
      case 'NULL':
        return null;
      case 'STRING': {
        const text = unquote(raw);
        if (kind === 'text') return text === '' ? null : text.toUpperCase();
        if (kind === 'id') {
          if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(text)) {
            throw invalidFilter(soql, at, `invalid ID field: ${text}`);
          }
          return idKey(text);
        }
        throw mismatch();
      }
      case 'INTEGER':
      case 'DECIMAL':
      case 'INTEGER_WITH_CURRENCY_PREFIX':
      case 'DECIMAL_WITH_CURRENCY_PREFIX':
        if (kind !== 'number') throw mismatch();
        return Number(raw.replace(/^[A-Za-z]{3}/, ''));
      case 'BOOLEAN':
        if (kind !== 'boolean') throw mismatch();
        return raw.toUpperCase() === 'TRUE';
      case 'DATE':
        if (kind === 'date') return raw;
        if (kind === 'datetime') return canonicalDateTime(dateTimeMs(`${raw}T00:00:00Z`));
        throw mismatch();
      case 'DATETIME':
        if (kind === 'datetime') return canonicalDateTime(dateTimeMs(raw));
        if (kind === 'date') return isoDay(dateTimeMs(raw));
        throw mismatch();
      case 'DATE_LITERAL':
      case 'DATE_N_LITERAL': {
        if (kind !== 'date' && kind !== 'datetime') throw mismatch();
        const name = raw.split(':')[0] ?? raw;
        const range = dateLiteralRange(name, n, this.ctx.now);
        if (!range) throw malformed(soql, locate(soql, name), `unexpected token: '${name}'`);
        return kind === 'date'
          ? { start: isoDay(range.start), end: isoDay(range.end) }
          : { start: canonicalDateTime(range.start), end: canonicalDateTime(range.end) };
      }
      default:
        throw malformed(soql, at, `unexpected token: '${raw}'`);
    }
  }
}

function compareTo<T>(
  operator: string,
  literal: Literal,
  read: (r: T) => Comparable | null,
): Predicate<T> {
  if (literal === null) {
    if (operator === '=') return (r) => read(r) === null;
    if (operator === '!=' || operator === '<>') return (r) => read(r) !== null;
    return () => false;
  }
  if (isRange(literal)) {
    const { start, end } = literal;
    switch (operator) {
      case '=':
        return (r) => {
          const v = read(r);
          return v !== null && v >= start && v < end;
        };
      case '!=':
      case '<>':
        return (r) => {
          const v = read(r);
          return v === null || v < start || v >= end;
        };
      case '<':
        return (r) => {
          const v = read(r);
          return v !== null && v < start;
        };
      case '<=':
        return (r) => {
          const v = read(r);
          return v !== null && v < end;
        };
      case '>':
        return (r) => {
          const v = read(r);
          return v !== null && v >= end;
        };
      default:
        return (r) => {
          const v = read(r);
          return v !== null && v >= start;
        };
    }
  }
  switch (operator) {
    case '=':
      return (r) => read(r) === literal;
    case '!=':
    case '<>':
      return (r) => read(r) !== literal;
    case '<':
      return (r) => {
        const v = read(r);
        return v !== null && v < literal;
      };
    case '<=':
      return (r) => {
        const v = read(r);
        return v !== null && v <= literal;
      };
    case '>':
      return (r) => {
        const v = read(r);
        return v !== null && v > literal;
      };
    default:
      return (r) => {
        const v = read(r);
        return v !== null && v >= literal;
      };
  }
}

/** A LIKE pattern (`%` any run, `_` one character, `\%`/`\_` literal) as a case-insensitive RegExp. */
export function likeRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      source += pattern[++i];
    } else if (ch === '%') {
      source += '[\\s\\S]*';
    } else if (ch === '_') {
      source += '[\\s\\S]';
    } else {
      source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'i');
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

/**
 * The Ids a WHERE clause pins the rows to, when every condition is ANDed and one of them is
 * `Id = '...'` or `Id IN (...)`: the rows can then be fetched by Id instead of scanned.
 * Undefined when the clause does not pin Ids.
 */
export function pinnedIds(where: WhereClause | undefined): string[] | undefined {
  if (!where) return undefined;
  const tokens = tokenize(where);
  if (tokens.some((t) => t.kind === 'not' || (t.kind === 'op' && t.op === 'OR'))) return undefined;
  for (const token of tokens) {
    if (token.kind !== 'cond') continue;
    const cond = token.cond;
    if (!('field' in cond) || cond.field.toLowerCase() !== 'id' || !('value' in cond)) continue;
    const operator = cond.operator.toUpperCase();
    if (operator !== '=' && operator !== 'IN') continue;
    const values = Array.isArray(cond.value) ? cond.value : [cond.value];
    const types = Array.isArray(cond.literalType) ? cond.literalType : [cond.literalType];
    if (types.some((t) => t !== 'STRING')) continue;
    return values.map((v) => unquote(String(v)));
  }
  return undefined;
}
