/**
 * The literals of a condition and the comparisons on them: each literal is read once as a
 * comparable key of the field's kind (text upper-cased, ids in their 18-character key, dates
 * and date literals as ranges), then a comparison closure tests a row's key against it.
 */
import type { FieldDescribe, StoredRecord } from '../core/contracts.ts';
import { invalidFilter, locate, malformed } from './errors.ts';
import {
  canonicalDateTime,
  dateLiteralRange,
  dateTimeMs,
  idKey,
  isoDay,
  unquote,
  type Comparable,
  type ValueKind,
} from './values.ts';

export type Predicate<T = StoredRecord> = (row: T) => boolean;

/** What reading a literal needs: the query text (for errors) and the clock (date literals). */
export interface LiteralContext {
  soql: string;
  now: Date;
}

export const TYPE_NAMES: Partial<Record<string, string>> = {
  int: 'integer',
  long: 'long',
  double: 'double',
  currency: 'double',
  percent: 'double',
  boolean: 'boolean',
  date: 'date',
  datetime: 'dateTime',
};

export type Literal = Comparable | null | { start: Comparable; end: Comparable };

export function isRange(value: Literal): value is { start: Comparable; end: Comparable } {
  return typeof value === 'object' && value !== null;
}

/** A literal of a condition read as a comparable key of the field's kind (or a date range). */
export function readLiteral(
  ctx: LiteralContext,
  field: FieldDescribe,
  kind: ValueKind,
  raw: string,
  literalType: string,
  n: number,
  at: number,
): Literal {
  const { soql } = ctx;
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
      const range = dateLiteralRange(name, n, ctx.now);
      if (!range) throw malformed(soql, locate(soql, name), `unexpected token: '${name}'`);
      return kind === 'date'
        ? { start: isoDay(range.start), end: isoDay(range.end) }
        : { start: canonicalDateTime(range.start), end: canonicalDateTime(range.end) };
    }
    default:
      throw malformed(soql, at, `unexpected token: '${raw}'`);
  }
}

export function compareTo<T>(
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
