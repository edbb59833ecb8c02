import { describe, expect, it } from 'vitest';
import { executeSoql, executeSoqlToCsv, flattenForCsv, SoqlError } from './index.ts';
import { ACC_1, ACC_2, sampleSource } from './__fixtures__/memory-source.ts';

const source = sampleSource();
const options = { includeDeleted: false, now: new Date('2026-02-15T10:00:00Z') };

describe('flattenForCsv', () => {
  it('uses the select paths as written for headers and Bulk 2.0 value forms for cells', () => {
    const soql =
      'SELECT Id, name, Active__c, NumberOfEmployees, AnnualRevenue, CreatedDate, Parent.Name, owner.Email FROM Account ORDER BY Name LIMIT 2';
    const table = flattenForCsv(executeSoql(soql, source, options).records, soql);
    expect(table.headers).toEqual([
      'Id',
      'name',
      'Active__c',
      'NumberOfEmployees',
      'AnnualRevenue',
      'CreatedDate',
      'Parent.Name',
      'owner.Email',
    ]);
    expect(table.rows).toEqual([
      [ACC_1, 'Acme', 'true', '100', '5000.5', '2026-01-31T12:00:00.000Z', null, 'ada@example.com'],
      [ACC_2, 'globex', 'false', '20', null, '2026-02-14T08:30:00.000Z', 'Acme', 'bo@example.com'],
    ]);
  });

  it('answers headers and no rows for an empty result', () => {
    expect(flattenForCsv([], 'SELECT Id, Account.Name FROM Contact')).toEqual({
      headers: ['Id', 'Account.Name'],
      rows: [],
    });
  });
});

describe('executeSoqlToCsv', () => {
  it('gives the same table as executeSoql + flattenForCsv', () => {
    const soql =
      "SELECT Id, Name, Active__c, AnnualRevenue, CreatedDate, Parent.Name, Owner.Email FROM Account WHERE Industry != 'Media' ORDER BY Name";
    expect(executeSoqlToCsv(soql, source, options)).toEqual(
      flattenForCsv(executeSoql(soql, source, options).records, soql),
    );
  });

  it('expands FIELDS(STANDARD) into described names', () => {
    const table = executeSoqlToCsv('SELECT FIELDS(STANDARD) FROM Account', source, options);
    expect(table.headers).toContain('OwnerId');
    expect(table.headers).not.toContain('Active__c');
    expect(table.rows).toHaveLength(3);
  });

  it('refuses child subqueries and compound fields as Bulk queries do', () => {
    expect(() =>
      executeSoqlToCsv('SELECT Id, (SELECT Id FROM Contacts) FROM Account', source, options),
    ).toThrow(
      expect.objectContaining({
        errorCode: 'FUNCTIONALITY_NOT_ENABLED',
        message: 'Aggregate Relationships not supported in Bulk V2 Query with CSV content type',
      }),
    );
    expect(() =>
      executeSoqlToCsv('SELECT Id, MailingAddress FROM Contact', source, options),
    ).toThrow(
      expect.objectContaining({
        errorCode: 'FUNCTIONALITY_NOT_ENABLED',
        message: 'Selecting compound data not supported in Bulk Query',
      }),
    );
  });

  it('refuses aggregate queries', () => {
    expect(() => executeSoqlToCsv('SELECT COUNT() FROM Account', source, options)).toThrow(
      SoqlError,
    );
  });
});
