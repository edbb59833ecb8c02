import { describe, expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { CSV_NULL, ingestCsv, parseIngestError } from './bulk-ingest.ts';

/** ingestCsv as it was written before, through csv-stringify: the reference it is held to. */
function throughCsvStringify(records: readonly Record<string, unknown>[]): string {
  const cell = (value: unknown): string => {
    if (value === null) return CSV_NULL;
    if (value === undefined) return '';
    if (typeof value === 'string') return value === '' ? CSV_NULL : value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return JSON.stringify(value);
  };
  const columns: string[] = [];
  const flat = records.map((record) => {
    const row: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      if (key === 'attributes') continue;
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [field, inner] of Object.entries(value as Record<string, unknown>)) {
          if (field !== 'attributes') row[`${key}.${field}`] = inner;
        }
      } else {
        row[key] = value;
      }
    }
    for (const column of Object.keys(row)) if (!columns.includes(column)) columns.push(column);
    return row;
  });
  return stringify(
    flat.map((row) => columns.map((column) => cell(row[column]))),
    { header: true, columns, record_delimiter: 'unix', quoted_match: /[\r\n]/ },
  );
}

describe('ingestCsv', () => {
  it('should write one column per field any record has, #N/A for null and quotes where needed', () => {
    const csv = ingestCsv([
      { attributes: { type: 'Account' }, Name: 'Acme, "Inc"', NumberOfEmployees: 12 },
      { Name: 'Line\nbreak', Website: null, IsActive__c: true, Description: '' },
      { Name: 'Child', Parent: { Pryzm_ID__c: 'p-1' } },
    ]);
    expect(csv).toBe(
      [
        'Name,NumberOfEmployees,Website,IsActive__c,Description,Parent.Pryzm_ID__c',
        '"Acme, ""Inc""",12,,,,',
        '"Line\nbreak",,#N/A,true,#N/A,',
        'Child,,,,,p-1',
        '',
      ].join('\n'),
    );
  });

  it('should write what csv-stringify wrote for the same records, byte for byte', () => {
    // Deterministic generation (a linear congruential sequence): the same cases every run.
    let seed = 7;
    const next = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % below;
    };
    const texts = [
      '',
      'plain',
      'a,b',
      'say "hi"',
      'line\nbreak',
      'cr\rhere',
      ' spaced ',
      '#N/A',
      'é;\t',
    ];
    const values = [...texts, null, undefined, 0, 12.5, true, false, ['x', 'y']];
    const fields = ['Id', 'Name', 'Pryzm_ID__c', 'Website', 'Description'];
    const value = () => values[next(values.length)];
    for (let round = 0; round < 300; round += 1) {
      const records = Array.from({ length: next(6) }, () => {
        const record: Record<string, unknown> = {};
        for (const field of fields) if (next(3) > 0) record[field] = value();
        if (next(4) === 0) record['attributes'] = { type: 'Account' };
        if (next(4) === 0) record['Parent'] = { Pryzm_ID__c: value(), attributes: {} };
        return record;
      });
      expect(ingestCsv(records)).toBe(throughCsvStringify(records));
    }
  });

  it('should refuse a column that is not a field name', () => {
    expect(() => ingestCsv([{ 'Name,Id': 'x' }])).toThrow(/Not a Salesforce field name/);
  });
});

describe('parseIngestError', () => {
  it("should read Salesforce's sf__Error as code, message and fields", () => {
    expect(
      parseIngestError('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --'),
    ).toEqual({
      statusCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [Name]',
      fields: ['Name'],
    });
    expect(parseIngestError('DUPLICATE_VALUE:duplicate value found: x:--')).toEqual({
      statusCode: 'DUPLICATE_VALUE',
      message: 'duplicate value found: x',
      fields: [],
    });
    expect(parseIngestError('something else')).toEqual({
      statusCode: 'UNKNOWN_EXCEPTION',
      message: 'something else',
      fields: [],
    });
  });
});
