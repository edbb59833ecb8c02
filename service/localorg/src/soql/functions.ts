/**
 * SOQL date functions (CALENDAR_YEAR, DAY_ONLY, ...) evaluated in UTC, for WHERE, GROUP BY and
 * aggregate SELECT lists. Fiscal functions follow the calendar, as in an org whose fiscal year
 * starts in January.
 */
import type { FieldValue } from '../core/contracts.ts';
import { dateTimeMs, dayMs } from './values.ts';

export const AGGREGATE_FUNCTIONS = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);

const DAY = 86_400_000;

type DateFunction = (date: Date) => number | string;

const DATE_FUNCTIONS: Record<string, DateFunction> = {
  CALENDAR_YEAR: (d) => d.getUTCFullYear(),
  FISCAL_YEAR: (d) => d.getUTCFullYear(),
  CALENDAR_MONTH: (d) => d.getUTCMonth() + 1,
  FISCAL_MONTH: (d) => d.getUTCMonth() + 1,
  CALENDAR_QUARTER: (d) => Math.floor(d.getUTCMonth() / 3) + 1,
  FISCAL_QUARTER: (d) => Math.floor(d.getUTCMonth() / 3) + 1,
  DAY_IN_MONTH: (d) => d.getUTCDate(),
  DAY_IN_WEEK: (d) => d.getUTCDay() + 1,
  DAY_IN_YEAR: (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1,
  DAY_ONLY: (d) => d.toISOString().slice(0, 10),
  HOUR_IN_DAY: (d) => d.getUTCHours(),
  WEEK_IN_MONTH: (d) => Math.floor((d.getUTCDate() - 1) / 7) + 1,
  WEEK_IN_YEAR: (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY / 7) + 1,
};

export function isDateFunction(name: string): boolean {
  return name.toUpperCase() in DATE_FUNCTIONS;
}

/** The result type of a date function: DAY_ONLY gives a date, the others integers. */
export function dateFunctionType(name: string): 'date' | 'int' {
  return name.toUpperCase() === 'DAY_ONLY' ? 'date' : 'int';
}

/** Applies a date function to a stored date or datetime value (null stays null). */
export function dateFunction(name: string): (value: FieldValue) => FieldValue {
  const fn = DATE_FUNCTIONS[name.toUpperCase()];
  if (!fn) throw new Error(`unknown date function ${name}`);
  return (value) => {
    if (typeof value !== 'string' || value === '') return null;
    const ms = value.length === 10 ? dayMs(value) : dateTimeMs(value);
    return Number.isNaN(ms) ? null : fn(new Date(ms));
  };
}
