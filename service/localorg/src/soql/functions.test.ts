import { describe, expect, it } from 'vitest';
import { executeSoql, SoqlError } from './index.ts';
import { fakeId, MemorySource, sampleSource } from './__fixtures__/memory-source.ts';

const source = sampleSource();
const options = { includeDeleted: false, now: new Date('2026-02-15T10:00:00Z') };

function run(soql: string) {
  return executeSoql(soql, source, options);
}

function errorOf(soql: string): SoqlError {
  try {
    run(soql);
  } catch (error) {
    if (error instanceof SoqlError) return error;
    throw error;
  }
  throw new Error(`no error for ${soql}`);
}

describe('date functions', () => {
  const cases: [string, unknown[]][] = [
    ['CALENDAR_YEAR(CreatedDate) = 2026', ['Acme', 'globex']],
    ['CALENDAR_MONTH(CreatedDate) = 12', ["O'Brien 50% Ltd_"]],
    ['CALENDAR_QUARTER(CreatedDate) = 1', ['Acme', 'globex']],
    ['DAY_IN_MONTH(CreatedDate) = 14', ['globex']],
    ['DAY_IN_WEEK(CreatedDate) = 7', ['Acme', 'globex']],
    ['DAY_IN_YEAR(CreatedDate) = 365', ["O'Brien 50% Ltd_"]],
    ['HOUR_IN_DAY(CreatedDate) >= 12', ['Acme', "O'Brien 50% Ltd_"]],
    ['DAY_ONLY(CreatedDate) = 2026-01-31', ['Acme']],
    ['WEEK_IN_MONTH(CreatedDate) = 5', ['Acme', "O'Brien 50% Ltd_"]],
    ['CALENDAR_YEAR(SLAExpirationDate__c) = 2025', ["O'Brien 50% Ltd_"]],
  ];
  it.each(cases)('WHERE %s', (where, expected) => {
    expect(
      run(`SELECT Name FROM Account WHERE ${where} ORDER BY Name`).records.map((r) => r.Name),
    ).toEqual(expected);
  });

  it('groups by a date function, naming it exprN', () => {
    expect(
      run(
        'SELECT CALENDAR_YEAR(CloseDate), COUNT(Id) n FROM Opportunity GROUP BY CALENDAR_YEAR(CloseDate) ORDER BY CALENDAR_YEAR(CloseDate) DESC',
      ).records,
    ).toEqual([
      { attributes: { type: 'AggregateResult' }, expr0: 2026, n: 3 },
      { attributes: { type: 'AggregateResult' }, expr0: 2025, n: 1 },
    ]);
  });
});

describe('aggregate details', () => {
  it('keys a grouped field by its alias and sums without floating-point noise', () => {
    const source = new MemorySource({
      Opportunity: [
        { Id: fakeId('006', 1), StageName: 'A', Amount: 0.1 },
        { Id: fakeId('006', 2), StageName: 'A', Amount: 0.2 },
      ],
    });
    const result = executeSoql(
      'SELECT StageName stage, SUM(Amount) total FROM Opportunity GROUP BY StageName',
      source,
      options,
    );
    expect(result.records).toEqual([
      { attributes: { type: 'AggregateResult' }, stage: 'A', total: 0.3 },
    ]);
  });

  it('refuses objects whose describe is not queryable', () => {
    const base = sampleSource();
    const user = base.describe('User');
    if (!user) throw new Error('fixture has User');
    const source = {
      describe: () => ({ ...user, queryable: false }),
      records: () => [],
      findById: () => undefined,
    };
    expect(() => executeSoql('SELECT Id FROM User', source, options)).toThrow(
      expect.objectContaining({
        errorCode: 'INVALID_TYPE_FOR_OPERATION',
        message: 'entity type User does not support query',
      }),
    );
  });
});

describe('HAVING', () => {
  const cases: [string, unknown[]][] = [
    ['COUNT(Id) > 1', ['Acme']],
    ['SUM(Amount) < 100', ['globex']],
    ['SUM(Amount) = null', [null]],
    ['COUNT(Id) = 1 AND MAX(Amount) != null', ['globex']],
    ["Account.Name LIKE 'a%' OR COUNT(Id) < 1", ['Acme']],
  ];
  it.each(cases)('%s', (having, expected) => {
    const result = run(
      `SELECT Account.Name, COUNT(Id) FROM Opportunity GROUP BY Account.Name HAVING ${having} ORDER BY Account.Name`,
    );
    expect(result.records.map((r) => r.Name)).toEqual(expected);
  });
});

describe('select list functions and clauses', () => {
  it('toLabel answers the picklist label under the field name', () => {
    const result = run("SELECT toLabel(Industry), Name FROM Account WHERE Name = 'Acme'");
    expect(result.records[0]).toMatchObject({ Industry: 'Energy', Name: 'Acme' });
  });

  it('accepts an object alias in FROM and in paths', () => {
    const result = run("SELECT a.Name, a.Owner.Name FROM Account a WHERE a.Name = 'Acme'");
    expect(result.records[0]).toMatchObject({ Name: 'Acme', Owner: { Name: 'Ada Admin' } });
  });

  it('accepts WITH SECURITY_ENFORCED and WITH USER_MODE', () => {
    expect(run('SELECT Id FROM Account WITH SECURITY_ENFORCED').totalSize).toBe(3);
    expect(run('SELECT Id FROM Account WITH USER_MODE').totalSize).toBe(3);
  });

  it('answers Salesforce errors for duplicates, unfilterable, unsortable and ungroupable fields', () => {
    expect(errorOf('SELECT Id, Name, id FROM Account')).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: 'duplicate field selected: Id',
    });
    expect(errorOf("SELECT Id FROM Account WHERE Description = 'x'")).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message:
        "\nSELECT Id FROM Account WHERE Description = 'x'\n                             ^\nERROR at Row:1:Column:30\nfield 'Description' can not be filtered in a query call",
    });
    expect(errorOf('SELECT Id FROM Account ORDER BY Description').message).toMatch(
      /Column:33\nfield 'Description' can not be sorted in a query call$/,
    );
    expect(errorOf('SELECT CreatedDate FROM Account GROUP BY CreatedDate').message).toMatch(
      /field 'CreatedDate' can not be grouped in a query call$/,
    );
    expect(errorOf('SELECT Name FROM Account GROUP BY Industry').message).toMatch(
      /Field must be grouped or aggregated: Name$/,
    );
    expect(errorOf('SELECT Industry FROM Account GROUP BY Industry ORDER BY Name').message).toMatch(
      /Ordered field must be grouped or aggregated: Name$/,
    );
    expect(errorOf('SELECT SUM(Name) FROM Account').message).toBe(
      '\nSELECT SUM(Name) FROM Account\n           ^\nERROR at Row:1:Column:12\nfield Name does not support aggregate operator SUM',
    );
    expect(errorOf('SELECT Id FROM Account LIMIT 5 HAVING').errorCode).toBe('MALFORMED_QUERY');
    expect(errorOf('SELECT Id, (SELECT Id FROM Nopes) FROM Account').errorCode).toBe(
      'INVALID_TYPE',
    );
  });
});
