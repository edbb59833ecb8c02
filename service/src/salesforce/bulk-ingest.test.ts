import { describe, expect, it } from 'vitest';
import { ingestCsv, parseIngestError } from './bulk-ingest.ts';

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
