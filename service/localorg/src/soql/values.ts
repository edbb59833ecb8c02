/**
 * Typed value handling for filters and sorting: which comparison family a field type belongs
 * to, how SOQL literals are read, and how stored REST-form values become comparable keys.
 */
import type { FieldDescribe, FieldType, FieldValue } from '../core/contracts.ts';

export type ValueKind = 'text' | 'id' | 'number' | 'boolean' | 'date' | 'datetime';

export function valueKind(type: FieldType): ValueKind {
  switch (type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'text';
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/**
 * The value of a quoted SOQL string literal. With `keepLikeEscapes`, `\%` and `\_` stay escaped
 * so a LIKE pattern can tell them from wildcards.
 */
export function unquote(raw: string, keepLikeEscapes = false): string {
  const body = raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i === body.length - 1) {
      out += ch;
      continue;
    }
    const next = body[++i] ?? '';
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(body.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (next === '%' || next === '_') {
      out += keepLikeEscapes ? '\\' + next : next;
    } else {
      out += ESCAPES[next] ?? next;
    }
  }
  return out;
}

/** Ids compare on their case-sensitive 15-character form, so 15- and 18-char ids match. */
export function idKey(value: string): string {
  return value.length === 18 ? value.slice(0, 15) : value;
}

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Milliseconds since epoch of an ISO / Salesforce datetime (`+0000` or `Z` or `+01:00`). */
export function dateTimeMs(value: string): number {
  const m = DATETIME.exec(value);
  if (!m) return Date.parse(value);
  const ms = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number((m[7] ?? '0').padEnd(3, '0')),
  );
  const zone = m[8];
  if (!zone || zone === 'Z') return ms;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return ms - sign * minutes * 60_000;
}

export function dayMs(date: string): number {
  return Date.UTC(
    Number(date.slice(0, 4)),
    Number(date.slice(5, 7)) - 1,
    Number(date.slice(8, 10)),
  );
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * The canonical REST form of an instant, `2026-01-31T12:00:00.000+0000`. Canonical strings of
 * the same length sort in time order, so datetimes compare as strings without re-parsing.
 */
export function canonicalDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23) + '+0000';
}

function dateTimeKey(value: string): string {
  if (value.length === 28 && value.endsWith('+0000') && value.charCodeAt(10) === 84) return value;
  if (value.length === 24 && value.endsWith('Z') && value.charCodeAt(10) === 84) {
    return value.slice(0, 23) + '+0000';
  }
  const ms = dateTimeMs(value);
  return Number.isNaN(ms) ? value : canonicalDateTime(ms);
}

/**
 * A stored value as a key that sorts and compares the way SOQL does for its kind; text compares
 * on its upper-case form, as Salesforce sorts for English locales.
 */
export type Comparable = string | number | boolean;

export function comparableOf(kind: ValueKind): (value: FieldValue) => Comparable | null {
  switch (kind) {
    case 'text':
      // Salesforce stores empty text as null, so '' and null compare equal.
      return (v) => (v === null || v === undefined || v === '' ? null : String(v).toUpperCase());
    case 'id':
      return (v) => (v === null || v === undefined || v === '' ? null : idKey(String(v)));
    case 'number':
      return (v) => (v === null || v === undefined || v === '' ? null : Number(v));
    case 'boolean':
      return (v) => (v === null || v === undefined ? null : v === true || v === 'true');
    case 'date':
      return (v) => (v === null || v === undefined || v === '' ? null : String(v).slice(0, 10));
    case 'datetime':
      return (v) => (v === null || v === undefined || v === '' ? null : dateTimeKey(String(v)));
  }
}

/** Natural order of two non-null comparables of the same kind. */
export function compareKeys(a: Comparable, b: Comparable): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A day range [start, end) in UTC milliseconds. */
export interface DayRange {
  start: number;
  end: number;
}

const DAY = 86_400_000;

function startOfUtcDay(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

function monthStart(year: number, month: number): number {
  return Date.UTC(year, month, 1);
}

function quarterStart(year: number, quarter: number): number {
  return Date.UTC(year, quarter * 3, 1);
}

/**
 * The range a date literal stands for, evaluated against `now` in UTC (weeks start on Sunday,
 * fiscal periods follow the calendar: the defaults of an org without custom fiscal years).
 * Undefined for an unknown literal.
 */
export function dateLiteralRange(literal: string, n: number, now: Date): DayRange | undefined {
  const today = startOfUtcDay(now);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const quarter = Math.floor(month / 3);
  const weekStart = today - now.getUTCDay() * DAY;
  switch (literal.toUpperCase()) {
    case 'TODAY':
      return { start: today, end: today + DAY };
    case 'YESTERDAY':
      return { start: today - DAY, end: today };
    case 'TOMORROW':
      return { start: today + DAY, end: today + 2 * DAY };
    case 'THIS_WEEK':
      return { start: weekStart, end: weekStart + 7 * DAY };
    case 'LAST_WEEK':
      return { start: weekStart - 7 * DAY, end: weekStart };
    case 'NEXT_WEEK':
      return { start: weekStart + 7 * DAY, end: weekStart + 14 * DAY };
    case 'THIS_MONTH':
      return { start: monthStart(year, month), end: monthStart(year, month + 1) };
    case 'LAST_MONTH':
      return { start: monthStart(year, month - 1), end: monthStart(year, month) };
    case 'NEXT_MONTH':
      return { start: monthStart(year, month + 1), end: monthStart(year, month + 2) };
    case 'LAST_90_DAYS':
      return { start: today - 90 * DAY, end: today + DAY };
    case 'NEXT_90_DAYS':
      return { start: today + DAY, end: today + 91 * DAY };
    case 'THIS_QUARTER':
    case 'THIS_FISCAL_QUARTER':
      return { start: quarterStart(year, quarter), end: quarterStart(year, quarter + 1) };
    case 'LAST_QUARTER':
    case 'LAST_FISCAL_QUARTER':
      return { start: quarterStart(year, quarter - 1), end: quarterStart(year, quarter) };
    case 'NEXT_QUARTER':
    case 'NEXT_FISCAL_QUARTER':
      return { start: quarterStart(year, quarter + 1), end: quarterStart(year, quarter + 2) };
    case 'THIS_YEAR':
    case 'THIS_FISCAL_YEAR':
      return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
    case 'LAST_YEAR':
    case 'LAST_FISCAL_YEAR':
      return { start: Date.UTC(year - 1, 0, 1), end: Date.UTC(year, 0, 1) };
    case 'NEXT_YEAR':
    case 'NEXT_FISCAL_YEAR':
      return { start: Date.UTC(year + 1, 0, 1), end: Date.UTC(year + 2, 0, 1) };
    case 'LAST_N_DAYS':
      return { start: today - n * DAY, end: today + DAY };
    case 'NEXT_N_DAYS':
      return { start: today + DAY, end: today + (n + 1) * DAY };
    case 'N_DAYS_AGO':
      return { start: today - n * DAY, end: today - (n - 1) * DAY };
    case 'LAST_N_WEEKS':
      return { start: weekStart - 7 * n * DAY, end: weekStart };
    case 'NEXT_N_WEEKS':
      return { start: weekStart + 7 * DAY, end: weekStart + 7 * (n + 1) * DAY };
    case 'N_WEEKS_AGO':
      return { start: weekStart - 7 * n * DAY, end: weekStart - 7 * (n - 1) * DAY };
    case 'LAST_N_MONTHS':
      return { start: monthStart(year, month - n), end: monthStart(year, month) };
    case 'NEXT_N_MONTHS':
      return { start: monthStart(year, month + 1), end: monthStart(year, month + n + 1) };
    case 'N_MONTHS_AGO':
      return { start: monthStart(year, month - n), end: monthStart(year, month - n + 1) };
    case 'LAST_N_QUARTERS':
    case 'LAST_N_FISCAL_QUARTERS':
      return { start: quarterStart(year, quarter - n), end: quarterStart(year, quarter) };
    case 'NEXT_N_QUARTERS':
    case 'NEXT_N_FISCAL_QUARTERS':
      return { start: quarterStart(year, quarter + 1), end: quarterStart(year, quarter + n + 1) };
    case 'N_QUARTERS_AGO':
    case 'N_FISCAL_QUARTERS_AGO':
      return { start: quarterStart(year, quarter - n), end: quarterStart(year, quarter - n + 1) };
    case 'LAST_N_YEARS':
    case 'LAST_N_FISCAL_YEARS':
      return { start: Date.UTC(year - n, 0, 1), end: Date.UTC(year, 0, 1) };
    case 'NEXT_N_YEARS':
    case 'NEXT_N_FISCAL_YEARS':
      return { start: Date.UTC(year + 1, 0, 1), end: Date.UTC(year + n + 1, 0, 1) };
    case 'N_YEARS_AGO':
    case 'N_FISCAL_YEARS_AGO':
      return { start: Date.UTC(year - n, 0, 1), end: Date.UTC(year - n + 1, 0, 1) };
    default:
      return undefined;
  }
}

/**
 * The ORDER BY key of a field: picklists sort in the order their values are defined (values
 * outside the list after them, alphabetically), every other type by its comparable value.
 */
export function sortKeyOf(field: FieldDescribe): (value: FieldValue) => Comparable | null {
  const base = comparableOf(valueKind(field.type));
  if (field.type !== 'picklist' || field.picklistValues.length === 0) return base;
  const rank = new Map(field.picklistValues.map((p, i) => [p.value, i] as [string, number]));
  const width = String(field.picklistValues.length).length;
  return (value) => {
    const key = base(value);
    if (key === null) return null;
    const index = rank.get(String(value)) ?? field.picklistValues.length;
    const prefix = String(index).padStart(width, '0');
    return index < field.picklistValues.length ? prefix : `${prefix}${String(key)}`;
  };
}
