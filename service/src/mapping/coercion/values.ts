/**
 * Value primitives shared by both directions: numbers, dates in time zones, emails, urls, phones.
 * Each parser returns `undefined` when the input is not a value of its kind.
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a JSON number or a plain decimal string (`"1234.50"`, `"-3"`, `"1E3"`). */
export function parseNumber(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Digits after the decimal point in the shortest decimal form of `value`. */
export function decimalPlaces(value: number): number {
  const [mantissa = '', exponent] = Math.abs(value).toString().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/**
 * Rounds half away from zero on the decimal digits people see (1.005 → 1.01), as Salesforce
 * does when it stores a number with more decimals than the field's scale.
 */
export function roundToScale(value: number, scale: number): number {
  const magnitude = Math.abs(value);
  const text = magnitude.toString();
  const rounded = text.includes('e')
    ? Number(magnitude.toFixed(scale))
    : Number(`${Math.round(Number(`${text}e${scale}`))}e-${scale}`);
  return value < 0 && rounded !== 0 ? -rounded : rounded;
}

/** Whether a value is blank: null, undefined, or only whitespace. */
export function isBlank(raw: unknown): boolean {
  return raw == null || (typeof raw === 'string' && raw.trim() === '');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

function validCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Parses `YYYY-MM-DD` (a real calendar date) and returns it unchanged, else `undefined`. */
export function parseDate(raw: string): string | undefined {
  const match = DATE.exec(raw.trim());
  if (!match) return undefined;
  const [, year, month, day] = match.map(Number) as [number, number, number, number];
  return validCalendarDate(year, month, day) ? raw.trim() : undefined;
}

/**
 * Parses an ISO 8601 date-time as Salesforce writes it (`2026-01-31T23:30:00.000+0000`, `...Z`,
 * `...+01:00`; no offset means UTC) and returns epoch milliseconds.
 */
export function parseDateTime(raw: string): number | undefined {
  const match = DATETIME.exec(raw.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? 0);
  if (!validCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const millis = Number((fraction ?? '0').padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 14 || minutes > 59) return undefined;
    offsetMinutes = (digits.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** Formats epoch milliseconds as Pryzm stores datetimes: `2026-01-31T23:30:00.000Z`. */
export function formatDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether `timeZone` is an IANA zone name this runtime knows (`Europe/Paris`, `UTC`). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

function wallClock(epochMs: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts as Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>;
}

function offsetMs(epochMs: number, timeZone: string): number {
  const clock = wallClock(epochMs, timeZone);
  const asUtc = Date.UTC(
    clock.year,
    clock.month - 1,
    clock.day,
    clock.hour,
    clock.minute,
    clock.second,
  );
  return asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/** The calendar date (`YYYY-MM-DD`) an instant falls on in `timeZone`. */
export function dateInTimeZone(epochMs: number, timeZone: string): string {
  const clock = wallClock(epochMs, timeZone);
  return `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}`;
}

/** The instant a calendar date (`YYYY-MM-DD`) starts in `timeZone`. */
export function startOfDateInTimeZone(date: string, timeZone: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day);
  const first = wall - offsetMs(wall, timeZone);
  return wall - offsetMs(first, timeZone);
}

/** RFC 5321: a path is at most 256 octets, so an address at most 254 characters. */
export const MAX_EMAIL_LENGTH = 254;
const EMAIL_PART = /^[^\s@<>(),;:"]+$/;

/**
 * Whether text has the shape of an address: `local@domain.tld`, no spaces or specials. Checked in
 * linear time (a single regex with two `+` runs around a dot backtracks quadratically on long
 * input) and only up to `MAX_EMAIL_LENGTH`.
 */
export function isEmailShape(text: string): boolean {
  if (text.length > MAX_EMAIL_LENGTH) return false;
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@')) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  return EMAIL_PART.test(local) && EMAIL_PART.test(domain) && dot > 0 && dot < domain.length - 1;
}

/** Trims, drops a `mailto:` prefix and lower-cases the domain; `undefined` if not an address. */
export function normaliseEmail(raw: string): string | undefined {
  const text = raw.trim().replace(/^mailto:/i, '');
  if (!isEmailShape(text)) return undefined;
  const at = text.lastIndexOf('@');
  return `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * An http(s) address the URL parser accepts as it is, told without building a URL for each value
 * (a pull checks every Website it reads): a host of ASCII letters, digits and hyphens in two or
 * more dot-separated labels whose last starts with a letter (the WHATWG URL host parser reads a
 * host whose last label is a number as IPv4: https://url.spec.whatwg.org/#ends-in-a-number-checker),
 * no user, no port, then nothing or a path, query or fragment of printable ASCII (no spaces). A
 * host with an `xn--` label is left to the parser, which decodes it and may refuse it. Anything
 * else goes through `new URL` as before; values.test.ts compares both ways on generated input.
 */
const PUNYCODE_LABEL = /xn--/i;
const PLAIN_HTTP_URL = /^https?:\/\/(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*(?:[/?#][\x21-\x7e]*)?$/i;

/**
 * Accepts http(s) addresses, adding `https://` when Salesforce holds a bare host (`acme.com`);
 * other schemes (`javascript:`, `ftp:`) are refused.
 */
export function normaliseUrl(raw: string): string | undefined {
  const text = raw.trim();
  const withScheme = SCHEME.test(text) ? text : `https://${text}`;
  if (PLAIN_HTTP_URL.test(withScheme) && !PUNYCODE_LABEL.test(withScheme)) {
    // Most addresses are written lower-case (or are a bare host given `https://` above).
    return withScheme.startsWith('https://') || withScheme.startsWith('http://')
      ? withScheme
      : withScheme.replace(SCHEME, (scheme) => scheme.toLowerCase());
  }
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') return undefined;
  if (/\s/.test(text)) return undefined;
  return withScheme.replace(SCHEME, (scheme) => scheme.toLowerCase());
}

const PHONE = /^\+?[0-9().\-/ ]+(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?$/i;

/** Trims and collapses spaces; refuses text that is not a phone number (fewer than 3 digits). */
export function normalisePhone(raw: string): string | undefined {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (!PHONE.test(text)) return undefined;
  // At least three digits, counted without building the digits' text.
  let digits = 0;
  for (let index = 0; index < text.length && digits < 3; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) digits += 1;
  }
  return digits >= 3 ? text : undefined;
}

const SALESFORCE_ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Whether text has the shape of a 15- or 18-character Salesforce record id. */
export function isSalesforceId(raw: string): boolean {
  return SALESFORCE_ID.test(raw);
}
