import { parseQuery } from '@jetstreamapp/soql-parser-js';
import { describe, expect, it } from 'vitest';
import {
  accountDescribe,
  contactDescribe,
  describeFor,
  opportunityDescribe,
  projectDescribe,
} from './__fixtures__/describes.ts';
import {
  FilterError,
  filterWhereClause,
  normaliseFilter,
  type FilterProblemCode,
} from './filter.ts';

describe('normaliseFilter', () => {
  it.each([
    ["Industry = 'Banking'", accountDescribe, "Industry = 'Banking'"],
    ["where industry = 'Banking'", accountDescribe, "Industry = 'Banking'"],
    [
      "StageName IN ('Prospecting','Qualification') AND Amount > 1000",
      opportunityDescribe,
      "StageName IN ('Prospecting', 'Qualification') AND Amount > 1000",
    ],
    ['Amount >= USD5000.50', opportunityDescribe, 'Amount >= USD5000.50'],
    [
      '(IsWon = true OR IsClosed = false) AND CloseDate = LAST_N_DAYS:30',
      opportunityDescribe,
      '(IsWon = TRUE OR IsClosed = FALSE) AND CloseDate = LAST_N_DAYS:30',
    ],
    [
      'CloseDate > 2026-01-01 AND CreatedDate < 2026-01-31T23:30:00Z',
      opportunityDescribe,
      'CloseDate > 2026-01-01 AND CreatedDate < 2026-01-31T23:30:00Z',
    ],
    ['NOT Email = null', contactDescribe, 'NOT Email = NULL'],
    [
      "Account.Industry = 'Banking' AND Owner.Email LIKE '%@acme.com'",
      contactDescribe,
      "Account.Industry = 'Banking' AND Owner.Email LIKE '%@acme.com'",
    ],
    ["Name = 'Smith; Jones'", contactDescribe, "Name = 'Smith; Jones'"],
    ["Name = 'O\\'Brien'", contactDescribe, "Name = 'O\\'Brien'"],
    [
      "Tags__c INCLUDES ('Alpha;Beta', 'Gamma')",
      projectDescribe,
      "Tags__c INCLUDES ('Alpha;Beta', 'Gamma')",
    ],
    ['pryzm__Pryzm_ID__c != null', projectDescribe, 'pryzm__Pryzm_ID__c != NULL'],
    [
      "Pryzm_ID__c != null AND Account__r.Name LIKE 'A%'",
      projectDescribe,
      "pryzm__Pryzm_ID__c != NULL AND Account__r.Name LIKE 'A%'",
    ],
  ])('accepts %s', (filter, describe, where) => {
    const result = normaliseFilter(filter, describe, describeFor);
    expect(result).toMatchObject({ ok: true, where });
  });

  it('lists the fields a filter reads with their real API names', () => {
    const result = normaliseFilter(
      "pryzm_id__c != null AND account__r.name = 'A'",
      projectDescribe,
      describeFor,
    );
    expect(result.ok && result.fields).toEqual(['pryzm__Pryzm_ID__c', 'Account__r.Name']);
  });

  it.each<[string, FilterProblemCode]>([
    ['', 'filter_empty'],
    ["Name = 'a'; DELETE FROM Account", 'filter_semicolon'],
    ["Name = 'a';", 'filter_semicolon'],
    ['Id IN (SELECT AccountId FROM Contact)', 'filter_subquery'],
    ['CALENDAR_YEAR(CreatedDate) = 2026', 'filter_function'],
    ["Name = 'a' LIMIT 1", 'filter_clause_not_allowed'],
    ["Name = 'a' ORDER BY Name", 'filter_clause_not_allowed'],
    ["Name = 'a' GROUP BY Name", 'filter_clause_not_allowed'],
    ["Name = 'a' FOR UPDATE", 'filter_clause_not_allowed'],
    ["Name = 'a' WITH SECURITY_ENFORCED", 'filter_clause_not_allowed'],
    ['Name = :accountName', 'filter_bind_variable'],
    ["Name = 'a' OR", 'filter_syntax'],
    ["Name = 'a') OR (Name = 'b'", 'filter_syntax'],
    ['DROP TABLE Account', 'filter_syntax'],
    ["Nope__c = 'a'", 'filter_unknown_field'],
    ["Parent.Nope = 'a'", 'filter_unknown_field'],
    ["Ghost__r.Name = 'a'", 'filter_unknown_field'],
    ["Description = 'long text'", 'filter_field_not_filterable'],
    ['Name = 5', 'filter_value_type_mismatch'],
    ["AnnualRevenue = 'lots'", 'filter_value_type_mismatch'],
    ['CreatedDate > 2026-01-01', 'filter_value_type_mismatch'],
    ["Name INCLUDES ('a')", 'filter_operator_not_allowed'],
    ['AnnualRevenue LIKE 5', 'filter_operator_not_allowed'],
    ['Name > null', 'filter_operator_not_allowed'],
  ])('rejects %j with %s', (filter, code) => {
    const result = normaliseFilter(filter, accountDescribe, describeFor);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((problem) => problem.code)).toContain(code);
  });

  it('reports every problem of a filter, with the field concerned', () => {
    const result = normaliseFilter(
      "Nope__c = 'a' AND Name = 5 AND Description = 'x' AND Id IN (SELECT Id FROM Contact)",
      accountDescribe,
    );
    expect(!result.ok && result.problems).toEqual([
      expect.objectContaining({ code: 'filter_unknown_field', field: 'Nope__c' }),
      expect.objectContaining({ code: 'filter_value_type_mismatch', field: 'Name' }),
      expect.objectContaining({ code: 'filter_field_not_filterable', field: 'Description' }),
      expect.objectContaining({ code: 'filter_subquery', field: 'Id' }),
    ]);
  });

  it('cannot check a parent path without the parent describe', () => {
    const result = normaliseFilter("Account.Industry = 'Banking'", contactDescribe);
    expect(!result.ok && result.problems[0]).toMatchObject({
      code: 'filter_unknown_field',
      field: 'Account.Industry',
    });
  });
});

describe('filterWhereClause', () => {
  it('returns the text to append after WHERE', () => {
    const where = filterWhereClause("industry = 'Banking'", accountDescribe);
    expect(`SELECT Id FROM Account WHERE ${where}`).toBe(
      "SELECT Id FROM Account WHERE Industry = 'Banking'",
    );
  });

  it('throws a FilterError carrying the problems', () => {
    expect(() => filterWhereClause("Name = 'a'; DELETE", accountDescribe)).toThrow(FilterError);
    try {
      filterWhereClause('Nope = 1', accountDescribe);
    } catch (error) {
      expect(error instanceof FilterError && error.problems[0]?.code).toBe('filter_unknown_field');
    }
  });
});

describe('normaliseFilter against injection', () => {
  const attempts = [
    "Name = 'a\\' OR Name != null --'",
    "Name = 'a' OR Name != 'b\\'",
    "Name = 'x'\nLIMIT 1",
    "Name = 'x' /* comment */",
    'Name = "x"',
    "Name = 'x' UNION SELECT Id FROM User",
    'Name = ’x’',
    "Name = 'x' AND Id IN (SELECT Id FROM Account WHERE Name = 'y')",
    "Name = 'x' WITH DATA CATEGORY Geography__c AT usa__c",
    "Name = 'x' USING SCOPE mine",
    "Name = 'x' OFFSET 10",
    "Name = 'x' FOR VIEW",
    "Name = 'x' UPDATE TRACKING",
    "Name IN ('a', 'b'); SELECT Id FROM User",
    "(Name = 'x'",
    "Name = 'x')",
    'Id != null) FROM User WHERE (Id != null',
  ];

  it.each(attempts)('%j is rejected or stays one plain condition', (attempt) => {
    const result = normaliseFilter(attempt, accountDescribe, describeFor);
    if (!result.ok) {
      expect(result.problems.length).toBeGreaterThan(0);
      return;
    }
    const reparsed = parseQuery(`SELECT Id FROM Account WHERE ${result.where}`);
    expect(Object.keys(reparsed).sort()).toEqual(['fields', 'sObject', 'where']);
    expect(reparsed.sObject).toBe('Account');
  });

  it('rejects the ones that try to do more than filter', () => {
    const accepted = attempts.filter((attempt) => normaliseFilter(attempt, accountDescribe).ok);
    expect(accepted).toEqual(["Name = 'a\\' OR Name != null --'"]);
  });
});

describe('normaliseFilter keeps the meaning', () => {
  it.each([
    "Name = 'a' OR (Industry = 'b' AND Phone != null)",
    "(Name = 'a' OR Industry = 'b') AND Phone != null",
    "NOT (Name = 'a' OR Industry = 'b')",
    "NOT Name = 'a' AND NOT Industry = 'b'",
    "((Name = 'a' OR Name = 'b') AND (Industry = 'c' OR Industry = 'd')) OR AnnualRevenue > 5",
    "Name = 'a' AND (Industry = 'b' OR (Phone = 'c' AND Website = 'd'))",
    "Name NOT IN ('a','b') AND Name LIKE '%x%'",
  ])('%s parses to the same tree before and after', (filter) => {
    const result = normaliseFilter(filter, accountDescribe);
    expect(result.ok).toBe(true);
    const before = parseQuery(`SELECT Id FROM Account WHERE ${filter}`).where;
    const after = parseQuery(`SELECT Id FROM Account WHERE ${result.ok ? result.where : ''}`).where;
    expect(after).toEqual(before);
  });
});

describe('normaliseFilter says where a filter is broken', () => {
  it.each([
    ['Name = :accountName', 'filter_bind_variable', /bind variables such as :accountName/],
    ["Name = ':not a bind' AND Industry = : other", 'filter_bind_variable', /:other/],
    [
      "Name = 'unterminated",
      'filter_syntax',
      /unexpected "'" at position 8 \(a quote is not closed\)/,
    ],
    ["(Name = 'x'", 'filter_syntax', /expected "\)" but found the end of the filter/],
    ["Name = 'x' AND", 'filter_syntax', /ends with AND; a condition must follow/],
    ["Name == 'x'", 'filter_syntax', /field operator value/],
  ] as const)('%s', (filter, code, message) => {
    const result = normaliseFilter(filter, accountDescribe);
    expect(result.ok).toBe(false);
    const [problem] = result.ok ? [] : result.problems;
    expect(problem?.code).toBe(code);
    expect(problem?.message).toMatch(message);
    expect(problem?.message).not.toMatch(/Token sequences/);
  });

  it('does not take date-time literals or LAST_N_DAYS for bind variables', () => {
    expect(
      normaliseFilter(
        'CreatedDate > 2026-01-31T23:30:00Z AND CloseDate = LAST_N_DAYS:30',
        opportunityDescribe,
      ).ok,
    ).toBe(true);
  });
});
