import type { ApiError, FieldDescribe, FieldValue } from '../core/contracts.ts';

/**
 * Turns values as clients send them (JSON or Bulk CSV text) into the stored REST form, and
 * formats timestamps the way the REST API prints them.
 */

/**
 * The last two instants formatted: every record of a DML call is stamped with the same one, and
 * a Bulk row's own dateTime value often repeats from row to row.
 */
const formatted: { ms: number; text: string }[] = [
  { ms: NaN, text: '' },
  { ms: NaN, text: '' },
];

/** `2024-05-06T07:08:09.000+0000`, the REST API's dateTime form. */
export function formatDateTime(ms: number): string {
  const [newest, older] = formatted as [{ ms: number; text: string }, { ms: number; text: string }];
  if (newest.ms === ms) return newest.text;
  if (older.ms === ms) return older.text;
  const text = new Date(ms).toISOString().replace('Z', '+0000');
  formatted[1] = newest;
  formatted[0] = { ms, text };
  return text;
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export type CoercionResult = { ok: true; value: FieldValue } | { ok: false; error: ApiError };

function typeError(field: FieldDescribe, raw: unknown, source: 'json' | 'csv'): CoercionResult {
  const shown = typeof raw === 'string' ? raw : JSON.stringify(raw);
  if (source === 'json') {
    const javaType =
      field.type === 'boolean'
        ? 'boolean'
        : field.type === 'int'
          ? 'int'
          : field.type === 'date'
            ? 'date'
            : field.type === 'datetime'
              ? 'datetime'
              : 'double';
    const token = typeof raw === 'string' ? 'VALUE_STRING' : 'VALUE_NUMBER_INT';
    return {
      ok: false,
      error: {
        message: `Cannot deserialize instance of ${javaType} from ${token} value ${shown} or request may be missing a required field`,
        errorCode: 'JSON_PARSER_ERROR',
      },
    };
  }
  return {
    ok: false,
    error: {
      message: `${field.label}: value not of required type: ${shown}`,
      errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD',
      fields: [field.name],
    },
  };
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The last dateTime text parsed: a Bulk job's rows often carry the same one. */
let lastParsed: { raw: string; ms: number | undefined } = { raw: '', ms: undefined };

export function parseDateTime(raw: string): number | undefined {
  if (raw !== lastParsed.raw) lastParsed = { raw, ms: parseDateTimeText(raw) };
  return lastParsed.ms;
}

function parseDateTimeText(raw: string): number | undefined {
  const m = DATETIME_RE.exec(raw.trim());
  if (!m) {
    const d = DATE_RE.exec(raw.trim());
    return d ? Date.parse(`${raw.trim()}T00:00:00Z`) : undefined;
  }
  const zone = m[8] ?? 'Z';
  const normalizedZone = zone === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(
    `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${(m[7] ?? '').slice(0, 4)}${normalizedZone}`,
  );
  return Number.isNaN(ms) ? undefined : ms;
}

function isValidCalendarDate(raw: string): boolean {
  const m = DATE_RE.exec(raw);
  if (!m) return false;
  const d = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === raw;
}

/**
 * Coerces one incoming value for `field`. `source` decides the error form: JSON bodies fail
 * deserialization as a whole (JSON_PARSER_ERROR), Bulk CSV rows fail one by one.
 */
export function coerceValue(
  field: FieldDescribe,
  raw: unknown,
  source: 'json' | 'csv',
): CoercionResult {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  switch (field.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim())) {
        return { ok: true, value: raw.trim().toLowerCase() === 'true' };
      }
      if (source === 'csv' && (raw === '1' || raw === '0')) return { ok: true, value: raw === '1' };
      return typeError(field, raw, source);
    }
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent': {
      const n =
        typeof raw === 'number'
          ? raw
          : typeof raw === 'string' && raw.trim() !== ''
            ? Number(raw)
            : NaN;
      if (!Number.isFinite(n)) return typeError(field, raw, source);
      if ((field.type === 'int' || field.type === 'long') && !Number.isInteger(n)) {
        return typeError(field, raw, source);
      }
      return { ok: true, value: n };
    }
    case 'date': {
      if (typeof raw !== 'string') return typeError(field, raw, source);
      const v = raw.trim();
      if (isValidCalendarDate(v)) return { ok: true, value: v };
      const ms = parseDateTime(v);
      return ms === undefined ? typeError(field, raw, source) : { ok: true, value: formatDate(ms) };
    }
    case 'datetime': {
      if (typeof raw !== 'string') return typeError(field, raw, source);
      const ms = parseDateTime(raw);
      return ms === undefined
        ? typeError(field, raw, source)
        : { ok: true, value: formatDateTime(ms) };
    }
    case 'time': {
      if (typeof raw !== 'string' || !/^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?$/.test(raw)) {
        return typeError(field, raw, source);
      }
      const [h, m, s] = raw.replace('Z', '').split(':');
      return {
        ok: true,
        value: `${h}:${m}:${(s ?? '00').padEnd(2, '0').slice(0, 2)}.${(s?.split('.')[1] ?? '000').padEnd(3, '0')}Z`,
      };
    }
    default: {
      if (typeof raw === 'string') return { ok: true, value: raw };
      if (typeof raw === 'number' || typeof raw === 'boolean')
        return { ok: true, value: String(raw) };
      return typeError(field, raw, source);
    }
  }
}
