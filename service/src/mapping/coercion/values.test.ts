import { describe, expect, it } from 'vitest';
import {
  dateInTimeZone,
  decimalPlaces,
  isValidTimeZone,
  normaliseUrl,
  parseDateTime,
  parseNumber,
  roundToScale,
  startOfDateInTimeZone,
} from './values.ts';

describe('numbers', () => {
  it.each([
    [42, 42],
    ['42', 42],
    [' -1.50 ', -1.5],
    ['.5', 0.5],
    ['1e-3', 0.001],
    ['', undefined],
    ['1,5', undefined],
    ['0x10', undefined],
    ['Infinity', undefined],
    [Number.NaN, undefined],
    [true, undefined],
  ])('parseNumber(%j) = %j', (raw, value) => {
    expect(parseNumber(raw)).toBe(value);
  });

  it.each([
    [1.005, 2, 1.01],
    [2.675, 2, 2.68],
    [-2.5, 0, -3],
    [1234.5678, 0, 1235],
    [0.000001, 2, 0],
    [-0.001, 2, 0],
    [1e-7, 8, 1e-7],
  ])('roundToScale(%d, %d) = %d', (value, scale, rounded) => {
    expect(roundToScale(value, scale)).toBe(rounded);
  });

  it.each([
    [1, 0],
    [1.5, 1],
    [0.125, 3],
    [1e-7, 7],
    [1e21, 0],
  ])('decimalPlaces(%d) = %d', (value, places) => {
    expect(decimalPlaces(value)).toBe(places);
  });
});

describe('dates and time zones', () => {
  it.each([
    ['2026-01-31T23:30:00.000+0000', '2026-01-31T23:30:00.000Z'],
    ['2026-01-31T23:30:00Z', '2026-01-31T23:30:00.000Z'],
    ['2026-01-31T23:30:00', '2026-01-31T23:30:00.000Z'],
    ['2026-01-31 23:30', '2026-01-31T23:30:00.000Z'],
    ['2026-02-01T01:30:00.123456+02:00', '2026-01-31T23:30:00.123Z'],
    ['2026-01-31T18:30:00.000-0500', '2026-01-31T23:30:00.000Z'],
  ])('parseDateTime(%s)', (raw, iso) => {
    expect(new Date(parseDateTime(raw) ?? Number.NaN).toISOString()).toBe(iso);
  });

  it.each([
    '2026-02-29T00:00:00Z',
    '2026-01-31T24:00:00Z',
    '2026-01-31T10:00:00+1500',
    'today',
    '2026-01-31',
  ])('parseDateTime(%s) is not a date-time', (raw) => {
    expect(parseDateTime(raw)).toBeUndefined();
  });

  it.each([
    ['2026-01-31T23:30:00Z', 'UTC', '2026-01-31'],
    ['2026-01-31T23:30:00Z', 'Europe/Paris', '2026-02-01'],
    ['2026-01-31T23:30:00Z', 'Pacific/Kiritimati', '2026-02-01'],
    ['2026-01-31T09:30:00Z', 'Pacific/Pago_Pago', '2026-01-30'],
    ['2026-03-29T00:30:00Z', 'Europe/London', '2026-03-29'],
  ])('%s falls on the date in %s', (iso, zone, date) => {
    expect(dateInTimeZone(Date.parse(iso), zone)).toBe(date);
  });

  it.each([
    ['2026-01-31', 'UTC', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31', 'Asia/Kolkata', '2026-01-30T18:30:00.000Z'],
    ['2026-03-29', 'Europe/Paris', '2026-03-28T23:00:00.000Z'],
    ['2026-03-30', 'Europe/Paris', '2026-03-29T22:00:00.000Z'],
    ['2026-11-01', 'America/New_York', '2026-11-01T04:00:00.000Z'],
    ['2026-11-02', 'America/New_York', '2026-11-02T05:00:00.000Z'],
  ])('%s starts in %s at %s', (date, zone, iso) => {
    expect(new Date(startOfDateInTimeZone(date, zone)).toISOString()).toBe(iso);
  });

  it('knows valid zone names', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('normaliseUrl', () => {
  it.each([
    ['acme.com', 'https://acme.com'],
    ['  https://acme.com/path?q=1 ', 'https://acme.com/path?q=1'],
    ['HTTPS://Acme.com', 'https://Acme.com'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['ftp://acme.com', undefined],
    ['data:text/html,hi', undefined],
    ['acme .com', undefined],
  ])('%s', (raw, url) => {
    expect(normaliseUrl(raw)).toBe(url);
  });

  it.each([
    ['https://www.acme.com', 'https://www.acme.com'],
    ['www.Acme-Corp.co.uk/about?x=1#top', 'https://www.Acme-Corp.co.uk/about?x=1#top'],
    ['http://a.b.c.example', 'http://a.b.c.example'],
    // The parser reads a host ending in a number as IPv4 and refuses a malformed one.
    ['https://acme.123', undefined],
    ['https://1.2.3.4', 'https://1.2.3.4'],
    ['https://xn--nxasmq6b.com', 'https://xn--nxasmq6b.com'],
    ['https://xn--a.com', undefined],
  ])('%s takes the same answer with or without the URL parser', (raw, url) => {
    expect(normaliseUrl(raw)).toBe(url);
    expect(normaliseUrlThroughParser(raw)).toBe(url);
  });

  it('should answer as the URL parser does for every generated address', () => {
    // Deterministic generation (a linear congruential sequence): the same cases every run.
    let seed = 11;
    const next = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    const prefixes = ['', 'http://', 'https://', 'HTTPS://', 'ftp://', 'https:', 'www.', ' '];
    const pieces = ['a', 'Z', '0', '9', '-', '.', 'com', 'xn--', '/', '?', '#', ':', '@', '%'];
    const tails = ['', '\\x', ' ', '\t', '[', '0x1f', '..', 'é', '.1', ':80'];
    let compared = 0;
    for (let index = 0; index < 20_000; index += 1) {
      let raw = prefixes[next(prefixes.length)]!;
      for (let count = next(8) + 1; count > 0; count -= 1) raw += pieces[next(pieces.length)];
      raw += tails[next(tails.length)];
      expect([raw, normaliseUrl(raw)]).toEqual([raw, normaliseUrlThroughParser(raw)]);
      compared += 1;
    }
    expect(compared).toBe(20_000);
  });
});

/** normaliseUrl as it was before its fast path: every value through `new URL`. */
function normaliseUrlThroughParser(raw: string): string | undefined {
  const scheme = /^[a-z][a-z0-9+.-]*:/i;
  const text = raw.trim();
  const withScheme = scheme.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') return undefined;
  if (/\s/.test(text)) return undefined;
  return withScheme.replace(scheme, (found) => found.toLowerCase());
}

describe('isEmailShape', () => {
  it('should accept an ordinary address and refuse what is not one', async () => {
    const { isEmailShape } = await import('./values.ts');
    expect(isEmailShape('jane.doe+crm@example.co.uk')).toBe(true);
    expect(isEmailShape('jane@localhost')).toBe(false);
    expect(isEmailShape('jane@@example.com')).toBe(false);
    expect(isEmailShape('jane doe@example.com')).toBe(false);
    expect(isEmailShape('@example.com')).toBe(false);
    expect(isEmailShape('jane@example.')).toBe(false);
  });

  it('should refuse anything longer than an address can be, without reading it through', async () => {
    const { isEmailShape, MAX_EMAIL_LENGTH } = await import('./values.ts');
    expect(isEmailShape(`${'a'.repeat(MAX_EMAIL_LENGTH)}@example.com`)).toBe(false);
    // The shape that made the old single regex backtrack: long runs with no dot after the @.
    expect(isEmailShape(`a@${'b'.repeat(200)}`)).toBe(false);
  });
});
