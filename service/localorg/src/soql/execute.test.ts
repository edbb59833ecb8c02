import { describe, expect, it } from 'vitest';
import { executeSoql, SoqlError } from './index.ts';
import {
  ACC_1,
  ACC_2,
  ACC_3,
  ACC_DELETED,
  MemorySource,
  sampleSource,
} from './__fixtures__/memory-source.ts';

const source = sampleSource();
const options = { includeDeleted: false, now: new Date('2026-02-15T10:00:00Z') };

function names(soql: string, opts = options): unknown[] {
  return executeSoql(soql, source, opts).records.map((r) => r.Name);
}

describe('executeSoql: select and record shape', () => {
  it('answers REST JSON with attributes, described field case and SELECT order', () => {
    const result = executeSoql(
      `SELECT name, ID FROM account WHERE Id = '${ACC_1}'`,
      source,
      options,
    );
    expect(result).toEqual({
      totalSize: 1,
      done: true,
      records: [
        {
          attributes: { type: 'Account', url: `/services/data/v63.0/sobjects/Account/${ACC_1}` },
          Name: 'Acme',
          Id: ACC_1,
        },
      ],
    });
    expect(Object.keys(result.records[0] ?? {})).toEqual(['attributes', 'Name', 'Id']);
  });

  it('nests parent paths with their own attributes, null for empty references', () => {
    const result = executeSoql(
      'SELECT Name, Owner.Name, Parent.Name, Parent.Owner.Email FROM Account ORDER BY Name',
      source,
      { ...options, apiVersion: '60.0' },
    );
    const [acme, globex] = result.records;
    expect(acme?.Parent).toBeNull();
    expect(acme?.Owner).toEqual({
      attributes: { type: 'User', url: '/services/data/v60.0/sobjects/User/005000000000001AAA' },
      Name: 'Ada Admin',
    });
    expect(globex?.Parent).toEqual({
      attributes: { type: 'Account', url: `/services/data/v60.0/sobjects/Account/${ACC_1}` },
      Name: 'Acme',
      Owner: {
        attributes: { type: 'User', url: '/services/data/v60.0/sobjects/User/005000000000001AAA' },
        Email: 'ada@example.com',
      },
    });
  });

  it('excludes deleted rows unless includeDeleted, and IsDeleted is selectable', () => {
    expect(names('SELECT Name FROM Account')).not.toContain('Gone Inc');
    const all = executeSoql('SELECT Name, IsDeleted FROM Account WHERE IsDeleted = true', source, {
      ...options,
      includeDeleted: true,
    });
    expect(all.records).toEqual([
      {
        attributes: {
          type: 'Account',
          url: `/services/data/v63.0/sobjects/Account/${ACC_DELETED}`,
        },
        Name: 'Gone Inc',
        IsDeleted: true,
      },
    ]);
  });

  it('COUNT() answers totalSize and no records', () => {
    expect(executeSoql('SELECT COUNT() FROM Account', source, options)).toEqual({
      totalSize: 3,
      done: true,
      records: [],
    });
    expect(
      executeSoql("SELECT COUNT() FROM Account WHERE Industry = 'Energy'", source, options)
        .totalSize,
    ).toBe(1);
    expect(
      executeSoql('SELECT COUNT() FROM Opportunity GROUP BY StageName', source, options),
    ).toEqual({ totalSize: 2, done: true, records: [] });
  });
});

describe('executeSoql: WHERE', () => {
  const cases: [string, string, unknown[]][] = [
    ['string = is case-insensitive', "Name = 'ACME'", ['Acme']],
    ['!= includes nulls', "Industry != 'Energy'", ['globex', "O'Brien 50% Ltd_"]],
    ['<> is !=', "Industry <> 'Energy'", ['globex', "O'Brien 50% Ltd_"]],
    ['= null', 'Industry = null', ["O'Brien 50% Ltd_"]],
    ['!= null', 'Industry != null', ['Acme', 'globex']],
    ['number <', 'NumberOfEmployees < 50', ['globex']],
    ['number >= with decimal', 'AnnualRevenue >= 10.0', ['Acme', "O'Brien 50% Ltd_"]],
    ['number <= excludes nulls', 'NumberOfEmployees <= 100', ['Acme', 'globex']],
    ['boolean', 'Active__c = false', ['globex']],
    ['LIKE with % and case', "Name LIKE 'a%'", ['Acme']],
    ['LIKE with _', "Name LIKE 'glob_x'", ['globex']],
    ['LIKE with escaped % and _', "Name LIKE '%50\\% Ltd\\_'", ["O'Brien 50% Ltd_"]],
    ['string escapes', "Name = 'O\\'Brien 50% Ltd_'", ["O'Brien 50% Ltd_"]],
    ['IN', "Industry IN ('energy', 'Banking')", ['Acme', 'globex']],
    ['NOT IN keeps nulls', "Industry NOT IN ('Energy')", ['globex', "O'Brien 50% Ltd_"]],
    ['IN with null', "Industry IN ('Energy', null)", ['Acme', "O'Brien 50% Ltd_"]],
    ['INCLUDES any of', "Regions__c INCLUDES ('South', 'West')", ['globex']],
    ['INCLUDES all of a;b', "Regions__c INCLUDES ('north;east')", ['Acme']],
    ['INCLUDES a;b needs both', "Regions__c INCLUDES ('north;south')", []],
    ['EXCLUDES', "Regions__c EXCLUDES ('North')", ['globex', "O'Brien 50% Ltd_"]],
    [
      'AND / OR with parentheses',
      "(Industry = 'Energy' OR Industry = 'Banking') AND Active__c = true",
      ['Acme'],
    ],
    [
      'nested parentheses',
      "((Name = 'Acme' OR Name = 'globex') AND NumberOfEmployees > 50) OR Industry = null",
      ['Acme', "O'Brien 50% Ltd_"],
    ],
    ['NOT', "NOT Industry = 'Energy'", ['globex', "O'Brien 50% Ltd_"]],
    [
      'NOT with parentheses',
      "NOT (Industry = 'Energy' OR Industry = 'Banking')",
      ["O'Brien 50% Ltd_"],
    ],
    ['parenthesised NOT', "(NOT Name = 'Acme') AND Active__c = true", ["O'Brien 50% Ltd_"]],
    ['date', 'SLAExpirationDate__c > 2026-01-01', ['Acme']],
    ['datetime Z', 'CreatedDate >= 2026-01-31T12:00:00Z', ['Acme', 'globex']],
    ['datetime with offset', 'CreatedDate < 2026-01-31T13:00:00+01:00', ["O'Brien 50% Ltd_"]],
    ['datetime with millis', 'CreatedDate = 2026-01-31T12:00:00.000Z', ['Acme']],
    ['parent path', "Owner.Name = 'Bo Sales'", ['globex']],
    ['two-level parent path', "Parent.Parent.Name = 'Acme'", ["O'Brien 50% Ltd_"]],
    ['parent path null when no parent', 'Parent.Name = null', ['Acme']],
    ['15-character id', `Id = '${ACC_2.slice(0, 15)}'`, ['globex']],
    ['reference IN', `ParentId IN ('${ACC_1}', '${ACC_2}')`, ['globex', "O'Brien 50% Ltd_"]],
    ['semi-join', 'Id IN (SELECT AccountId FROM Contact)', ['Acme', 'globex']],
    [
      'semi-join on a reference field',
      "ParentId IN (SELECT Id FROM Account WHERE Industry = 'Energy')",
      ['globex'],
    ],
    ['currency literal', 'AnnualRevenue > USD100', ['Acme']],
    ['IN with numbers', 'NumberOfEmployees IN (20, 100)', ['Acme', 'globex']],
    ['date IN', 'SLAExpirationDate__c IN (2026-03-01, 2025-12-01)', ['Acme', "O'Brien 50% Ltd_"]],
    ['date literal in IN', 'CreatedDate IN (LAST_MONTH, YESTERDAY)', ['Acme', 'globex']],
    ['text ordering comparison', "Name > 'B'", ['globex', "O'Brien 50% Ltd_"]],
    [
      'anti-join',
      "Id NOT IN (SELECT AccountId FROM Opportunity WHERE StageName = 'Closed Won')",
      ["O'Brien 50% Ltd_"],
    ],
  ];
  it.each(cases)('%s', (_label, where, expected) => {
    expect(names(`SELECT Name FROM Account WHERE ${where} ORDER BY Name`)).toEqual(expected);
  });
});

describe('executeSoql: date literals against now = 2026-02-15T10:00Z (a Sunday)', () => {
  const cases: [string, unknown[]][] = [
    ['CreatedDate = THIS_MONTH', ['globex']],
    ['CreatedDate = LAST_MONTH', ['Acme']],
    ['CreatedDate = THIS_YEAR', ['Acme', 'globex']],
    ['CreatedDate = LAST_YEAR', ["O'Brien 50% Ltd_"]],
    ['CreatedDate = LAST_N_DAYS:1', ['globex']],
    ['CreatedDate = LAST_N_DAYS:0', []],
    ['CreatedDate = LAST_N_DAYS:15', ['Acme', 'globex']],
    ['CreatedDate = N_DAYS_AGO:1', ['globex']],
    ['CreatedDate = YESTERDAY', ['globex']],
    ['CreatedDate < TODAY', ['Acme', 'globex', "O'Brien 50% Ltd_"]],
    ['CreatedDate = LAST_WEEK', ['globex']],
    ['CreatedDate = THIS_WEEK', []],
    ['SLAExpirationDate__c = NEXT_N_DAYS:14', ['Acme']],
    ['SLAExpirationDate__c = NEXT_N_DAYS:13', []],
    ['SLAExpirationDate__c > TOMORROW', ['Acme']],
    ['SLAExpirationDate__c <= LAST_YEAR', ["O'Brien 50% Ltd_"]],
  ];
  it.each(cases)('%s', (where, expected) => {
    expect(names(`SELECT Name FROM Account WHERE ${where} ORDER BY Name`)).toEqual(expected);
  });
});

describe('executeSoql: ORDER BY, LIMIT, OFFSET', () => {
  const cases: [string, unknown[]][] = [
    ['ORDER BY Name', ['Acme', 'globex', "O'Brien 50% Ltd_"]],
    ['ORDER BY Name DESC', ["O'Brien 50% Ltd_", 'globex', 'Acme']],
    // Picklists sort in their defined order: Energy, Banking, Media.
    ['ORDER BY Industry', ["O'Brien 50% Ltd_", 'Acme', 'globex']],
    ['ORDER BY Industry NULLS LAST', ['Acme', 'globex', "O'Brien 50% Ltd_"]],
    ['ORDER BY Industry DESC NULLS FIRST', ["O'Brien 50% Ltd_", 'globex', 'Acme']],
    ['ORDER BY Active__c DESC, Name ASC', ['Acme', "O'Brien 50% Ltd_", 'globex']],
    ['ORDER BY Owner.Name DESC, Name', ['globex', 'Acme', "O'Brien 50% Ltd_"]],
    ['ORDER BY Name LIMIT 2', ['Acme', 'globex']],
    ['ORDER BY Name LIMIT 2 OFFSET 1', ['globex', "O'Brien 50% Ltd_"]],
    ['ORDER BY Name OFFSET 5', []],
    ['ORDER BY Name LIMIT 1 FOR VIEW', ['Acme']],
    ['ORDER BY Name LIMIT 1 FOR REFERENCE', ['Acme']],
    ['ORDER BY Name LIMIT 1 FOR UPDATE', ['Acme']],
  ];
  it.each(cases)('%s', (tail, expected) => {
    expect(names(`SELECT Name FROM Account ${tail}`)).toEqual(expected);
  });
});

describe('executeSoql: errors', () => {
  const cases: [string, string, string][] = [
    [
      'SELECT Id, Nope FROM Account',
      'INVALID_FIELD',
      "\nSELECT Id, Nope FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nope' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
    ],
    [
      'SELECT Id FROM Nope',
      'INVALID_TYPE',
      "\nSELECT Id FROM Nope\n               ^\nERROR at Row:1:Column:16\nsObject type 'Nope' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    ],
    [
      'SELECT Id, Acount.Name FROM Contact',
      'INVALID_FIELD',
      "\nSELECT Id, Acount.Name FROM Contact\n           ^\nERROR at Row:1:Column:12\nDidn't understand relationship 'Acount' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.",
    ],
    [
      'SELECT Id, FROM Account',
      'MALFORMED_QUERY',
      "\nSELECT Id, FROM Account\n           ^\nERROR at Row:1:Column:12\nunexpected token: 'FROM'",
    ],
    [
      'SELECT Id FROM',
      'MALFORMED_QUERY',
      "\nSELECT Id FROM\n              ^\nERROR at Row:1:Column:15\nunexpected token: '<EOF>'",
    ],
    [
      "SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'",
      'MALFORMED_QUERY',
      "\nAccount WHERE Name = 'a' AND Name = 'b' OR Name = 'c'\n                                        ^\nERROR at Row:1:Column:56\nunexpected token: 'OR'",
    ],
    [
      "SELECT Id FROM Account WHERE Id = 'abc'",
      'INVALID_QUERY_FILTER_OPERATOR',
      "\nSELECT Id FROM Account WHERE Id = 'abc'\n                             ^\nERROR at Row:1:Column:30\ninvalid ID field: abc",
    ],
    [
      "SELECT Id FROM Account WHERE NumberOfEmployees = '5'",
      'INVALID_QUERY_FILTER_OPERATOR',
      "\nSELECT Id FROM Account WHERE NumberOfEmployees = '5'\n                             ^\nERROR at Row:1:Column:30\nvalue of filter criterion for field 'NumberOfEmployees' must be of type integer and should not be enclosed in quotes",
    ],
    [
      'SELECT Id FROM Account WHERE Name = 5',
      'INVALID_QUERY_FILTER_OPERATOR',
      "\nSELECT Id FROM Account WHERE Name = 5\n                             ^\nERROR at Row:1:Column:30\nvalue of filter criterion for field 'Name' must be of type string and should be enclosed in quotes",
    ],
    [
      "SELECT Id FROM Account WHERE Name INCLUDES ('a')",
      'INVALID_QUERY_FILTER_OPERATOR',
      "\nSELECT Id FROM Account WHERE Name INCLUDES ('a')\n                             ^\nERROR at Row:1:Column:30\nincludes or excludes operator only valid on multipicklist field",
    ],
    [
      'SELECT Id FROM Account OFFSET 2001',
      'NUMBER_OUTSIDE_VALID_RANGE',
      'Maximum SOQL offset allowed is 2000',
    ],
    [
      'SELECT Name, COUNT(Id) FROM Account',
      'MALFORMED_QUERY',
      '\nSELECT Name, COUNT(Id) FROM Account\n       ^\nERROR at Row:1:Column:8\nField must be grouped or aggregated: Name',
    ],
  ];
  it.each(cases)('%s → %s', (soql, errorCode, message) => {
    let thrown: unknown;
    try {
      executeSoql(soql, source, options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SoqlError);
    expect((thrown as SoqlError).errorCode).toBe(errorCode);
    expect((thrown as SoqlError).message).toBe(message);
  });
});

describe('executeSoql: aggregates', () => {
  it('groups with expr names and aliases, as AggregateResult records (picklist order)', () => {
    const result = executeSoql(
      'SELECT StageName, COUNT(Id), SUM(Amount) total, MAX(CloseDate), MIN(Amount), AVG(Amount), COUNT_DISTINCT(AccountId) FROM Opportunity GROUP BY StageName ORDER BY StageName',
      source,
      options,
    );
    expect(result).toEqual({
      totalSize: 2,
      done: true,
      records: [
        {
          attributes: { type: 'AggregateResult' },
          StageName: 'Prospecting',
          expr0: 2,
          total: 100,
          expr1: '2026-02-21',
          expr2: 100,
          expr3: 100,
          expr4: 1,
        },
        {
          attributes: { type: 'AggregateResult' },
          StageName: 'Closed Won',
          expr0: 2,
          total: 350,
          expr1: '2026-01-15',
          expr2: 50,
          expr3: 175,
          expr4: 2,
        },
      ],
    });
  });

  it('aggregates without GROUP BY answer one row, even over no rows', () => {
    expect(
      executeSoql(
        'SELECT COUNT(Id), MAX(Amount) FROM Opportunity WHERE Amount > 1000',
        source,
        options,
      ).records,
    ).toEqual([{ attributes: { type: 'AggregateResult' }, expr0: 0, expr1: null }]);
    expect(executeSoql('SELECT COUNT(Amount) c FROM Opportunity', source, options).records).toEqual(
      [{ attributes: { type: 'AggregateResult' }, c: 3 }],
    );
  });

  it('orders groups by an aggregate and groups by parent paths and null', () => {
    const result = executeSoql(
      'SELECT Account.Name, SUM(Amount) FROM Opportunity GROUP BY Account.Name ORDER BY SUM(Amount) DESC NULLS LAST',
      source,
      options,
    );
    expect(result.records.map((r) => [r.Name, r.expr0])).toEqual([
      ['Acme', 400],
      ['globex', 50],
      [null, null],
    ]);
  });
});

describe('executeSoql: child subqueries and FIELDS()', () => {
  it('nests child rows as a query result, null when there are none', () => {
    const result = executeSoql(
      'SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName DESC) FROM Account ORDER BY Name',
      source,
      options,
    );
    expect(result.records[0]?.Contacts).toEqual({
      totalSize: 2,
      done: true,
      records: [
        {
          attributes: {
            type: 'Contact',
            url: '/services/data/v63.0/sobjects/Contact/003000000000001AAA',
          },
          LastName: 'Lovelace',
        },
        {
          attributes: {
            type: 'Contact',
            url: '/services/data/v63.0/sobjects/Contact/003000000000002AAA',
          },
          LastName: 'Hopper',
        },
      ],
    });
    expect(result.records[2]?.Contacts).toBeNull();
  });

  it('expands FIELDS(ALL) in describe order and requires LIMIT 200', () => {
    const record = executeSoql(
      `SELECT FIELDS(ALL) FROM Account WHERE Id = '${ACC_3}' LIMIT 1`,
      source,
      options,
    ).records[0];
    expect(Object.keys(record ?? {}).slice(0, 4)).toEqual([
      'attributes',
      'Id',
      'IsDeleted',
      'Name',
    ]);
    expect(() => executeSoql('SELECT FIELDS(ALL) FROM Account', source, options)).toThrow(
      /The SOQL FIELDS function must have a LIMIT of at most 200/,
    );
    const custom = executeSoql('SELECT FIELDS(CUSTOM) FROM Account LIMIT 1', source, options)
      .records[0];
    expect(Object.keys(custom ?? {})).toEqual([
      'attributes',
      'SLAExpirationDate__c',
      'Active__c',
      'Regions__c',
    ]);
  });
});

describe('executeSoql: empty text', () => {
  it("treats '' as null for text fields, as Salesforce stores empty text as null", () => {
    const withEmpty = new MemorySource({
      Account: [
        { Id: ACC_1, Name: 'A', Industry: '' },
        { Id: ACC_2, Name: 'B', Industry: null },
        { Id: ACC_3, Name: 'C', Industry: 'Energy' },
      ],
    });
    const run = (where: string) =>
      executeSoql(
        `SELECT Name FROM Account WHERE ${where} ORDER BY Name`,
        withEmpty,
        options,
      ).records.map((r) => r.Name);
    expect(run("Industry = ''")).toEqual(['A', 'B']);
    expect(run('Industry = null')).toEqual(['A', 'B']);
    expect(run("Industry != ''")).toEqual(['C']);
  });
});

describe('executeSoql: child relationships without describe entries', () => {
  it('finds the child object from the relationship name when a describe lists none', () => {
    const base = sampleSource();
    const account = base.describe('Account');
    if (!account) throw new Error('fixture has Account');
    const bare = { ...account, childRelationships: [] };
    const source = {
      describe: (name: string) => (name.toLowerCase() === 'account' ? bare : base.describe(name)),
      records: (name: string) => base.records(name),
      findById: (id: string) => base.findById(id),
    };
    const result = executeSoql(
      `SELECT Name, (SELECT Name FROM Opportunities ORDER BY Name) FROM Account WHERE Id = '${ACC_1}'`,
      source,
      options,
    );
    expect(result.records[0]?.Opportunities).toMatchObject({
      totalSize: 2,
      records: [{ Name: 'Big deal' }, { Name: 'Small deal' }],
    });
    expect(() =>
      executeSoql('SELECT Name, (SELECT Id FROM Nothings) FROM Account', source, options),
    ).toThrow(/Didn't understand relationship 'Nothings' in FROM part of query call/);
  });
});

describe('executeSoql: filters pinned to Ids', () => {
  it('reads rows by Id instead of scanning, with the same answers', () => {
    const base = sampleSource();
    let scans = 0;
    const source = {
      describe: (name: string) => base.describe(name),
      records: (name: string) => {
        scans++;
        return base.records(name);
      },
      findById: (id: string) => base.findById(id),
    };
    const contact = '003000000000001AAA';
    const soql = `SELECT Name FROM Account WHERE Id IN ('${ACC_2}', '${ACC_1.slice(0, 15)}', '${ACC_DELETED}', '${contact}') AND Industry != 'Media'`;
    expect(executeSoql(soql, source, options).records.map((r) => r.Name)).toEqual([
      'Acme',
      'globex',
    ]);
    expect(
      executeSoql(soql, source, { ...options, includeDeleted: true }).records.map((r) => r.Name),
    ).toEqual(['Acme', 'globex', 'Gone Inc']);
    expect(
      executeSoql(`SELECT Name FROM Account WHERE Id = '${ACC_3}'`, source, options).records,
    ).toHaveLength(1);
    expect(scans).toBe(0);
    executeSoql(`SELECT Name FROM Account WHERE Id = '${ACC_3}' OR Name = 'Acme'`, source, options);
    expect(scans).toBe(1);
  });
});

describe('executeSoql: compound fields', () => {
  it('answers an address as an object of its components, null when all are empty', () => {
    const result = executeSoql(
      "SELECT LastName, MailingAddress FROM Contact WHERE LastName IN ('Lovelace', 'Hopper') ORDER BY LastName DESC",
      source,
      options,
    );
    expect(result.records.map((r) => r.MailingAddress)).toEqual([
      { city: 'London', country: 'UK', postalCode: null, street: '1 Main St' },
      null,
    ]);
  });

  it('includes compound fields in FIELDS(ALL)', () => {
    const record = executeSoql(
      "SELECT FIELDS(ALL) FROM Contact WHERE LastName = 'Lovelace' LIMIT 1",
      source,
      options,
    ).records[0];
    expect(record?.MailingAddress).toEqual({
      city: 'London',
      country: 'UK',
      postalCode: null,
      street: '1 Main St',
    });
  });
});
