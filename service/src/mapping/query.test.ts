import { describe, expect, it } from 'vitest';
import {
  accountDescribe,
  contactDescribe,
  describeFor,
  projectDescribe,
} from './__fixtures__/describes.ts';
import { fieldMapping, projectMapping } from './__fixtures__/projects.ts';
import { defaultAccountMapping, defaultContactMapping } from './defaults.ts';
import { buildSelectQuery, MAX_IDS_PER_QUERY, queryFields } from './query.ts';

const mappedProject = projectMapping([
  fieldMapping('name', 'name'),
  fieldMapping('Budget__c', 'budget', 'push'),
  fieldMapping('Account__r.Name', 'account', 'pull'),
  fieldMapping('Ghost__c', 'ghost', 'pull'),
]);

describe('queryFields', () => {
  it('selects system fields, the Pryzm ID, pulled fields and parent paths with real names', () => {
    expect(queryFields(mappedProject, projectDescribe, describeFor)).toEqual([
      'Id',
      'LastModifiedDate',
      'pryzm__Pryzm_ID__c',
      'Name',
      'Account__r.Name',
    ]);
  });

  it('adds the fields first-sync matching reads', () => {
    const fields = queryFields(defaultContactMapping(), contactDescribe, describeFor);
    expect(fields).toEqual(
      expect.arrayContaining(['Id', 'FirstName', 'LastName', 'Email', 'AccountId', 'Account.Name']),
    );
    expect(new Set(fields).size).toBe(fields.length);
  });
});

describe('buildSelectQuery', () => {
  it('appends the normalised filter in parentheses and an id list', () => {
    const mapping = {
      ...defaultAccountMapping(),
      filter: "industry = 'Banking' OR Industry = 'Energy'",
    };
    const result = buildSelectQuery(mapping, accountDescribe, {
      describeFor,
      ids: ['0015g00000AbCdEAAV', '0015g00000AbCdF'],
    });
    expect(result.ok && result.soql).toBe(
      'SELECT Id, LastModifiedDate, SystemModstamp, Name, Website, Industry, Phone, Description, ' +
        'AnnualRevenue, NumberOfEmployees, Owner.Email FROM Account ' +
        "WHERE (Industry = 'Banking' OR Industry = 'Energy') AND Id IN ('0015g00000AbCdEAAV', '0015g00000AbCdF')",
    );
  });

  it('returns the filter problems instead of a query', () => {
    const result = buildSelectQuery(
      { ...defaultAccountMapping(), filter: "Name = 'x'; DELETE" },
      accountDescribe,
    );
    expect(result).toEqual({
      ok: false,
      problems: [expect.objectContaining({ code: 'filter_semicolon' })],
    });
  });

  it('refuses id lists that are not ids or too long', () => {
    expect(() =>
      buildSelectQuery(defaultAccountMapping(), accountDescribe, { ids: ["x') OR Name != ('"] }),
    ).toThrow(RangeError);
    const ids = Array.from({ length: MAX_IDS_PER_QUERY + 1 }, () => '0015g00000AbCdEAAV');
    expect(() => buildSelectQuery(defaultAccountMapping(), accountDescribe, { ids })).toThrow(
      /201/,
    );
    expect(() => buildSelectQuery(defaultAccountMapping(), accountDescribe, { ids: [] })).toThrow(
      RangeError,
    );
  });

  it('reads the record currency where the org has multiple currencies', () => {
    const multiCurrency = {
      ...accountDescribe,
      fields: [
        ...accountDescribe.fields,
        {
          name: 'CurrencyIsoCode',
          type: 'picklist',
          nillable: true,
          createable: true,
          updateable: true,
        },
      ],
    };
    expect(queryFields(defaultAccountMapping(), multiCurrency, describeFor)).toContain(
      'CurrencyIsoCode',
    );
    expect(queryFields(defaultAccountMapping(), accountDescribe, describeFor)).not.toContain(
      'CurrencyIsoCode',
    );
  });

  it('queries without a WHERE when there is neither filter nor ids', () => {
    const result = buildSelectQuery(mappedProject, projectDescribe, { describeFor });
    expect(result.ok && result.soql).toBe(
      'SELECT Id, LastModifiedDate, pryzm__Pryzm_ID__c, Name, Account__r.Name FROM Project__c',
    );
  });
});

describe('buildSelectQuery for an incremental pull', () => {
  it('should read only records changed since the cursor, by SystemModstamp', () => {
    const query = buildSelectQuery(defaultAccountMapping(), accountDescribe, {
      modifiedSince: '2026-12-06T06:00:00.000Z',
    });
    expect(query.ok && query.soql).toMatch(/ WHERE SystemModstamp >= 2026-12-06T06:00:00.000Z$/);
  });

  it('should refuse an instant that is not ISO 8601 UTC', () => {
    expect(() =>
      buildSelectQuery(defaultAccountMapping(), accountDescribe, {
        modifiedSince: "2026-12-06' OR Name != '",
      }),
    ).toThrow(RangeError);
  });
});
