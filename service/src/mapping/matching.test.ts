import { describe, expect, it } from 'vitest';
import {
  defaultMatchRules,
  matchRuleSchema,
  normaliseMatchValue,
  pryzmMatchKey,
  pryzmMatchKeys,
  salesforceMatchKey,
  salesforceMatchKeys,
  type MatchNormaliser,
  type MatchRule,
} from './matching.ts';

describe('normaliseMatchValue', () => {
  it.each<[MatchNormaliser, unknown, string | null]>([
    ['email', '  Jane.Doe@Example.COM ', 'jane.doe@example.com'],
    ['email', 'mailto:a@b.io', 'a@b.io'],
    ['email', 'not an email', null],
    ['email', '', null],
    ['email', null, null],
    ['company_name', 'Acme, Inc.', 'acme'],
    ['company_name', 'ACME inc', 'acme'],
    ['company_name', 'The Acme Corporation', 'acme'],
    ['company_name', 'Société Générale S.A.', 'societe generale'],
    ['company_name', "Ben & Jerry's", 'ben and jerrys'],
    ['company_name', 'Müller GmbH & Co. KG', 'muller gmbh and'],
    ['company_name', 'Inc', 'inc'],
    ['company_name', ' -- ', null],
    ['domain', 'https://www.Acme.com/about?x=1', 'acme.com'],
    ['domain', 'acme.com', 'acme.com'],
    ['domain', 'http://user@shop.acme.co.uk:8080/', 'shop.acme.co.uk'],
    ['domain', 'jane@acme.com', 'acme.com'],
    ['domain', 'www2.acme.com.', 'acme.com'],
    ['domain', 'localhost', null],
    ['phone', '+1 (415) 555-0100', '+14155550100'],
    ['phone', '415.555.0100 ext. 12', '4155550100'],
    ['phone', '555-01', null],
    ['text', '  Hello   Wörld ', 'hello world'],
    ['exact', ' A-1 ', 'A-1'],
    ['exact', ['a', 'b'], 'a;b'],
  ])('%s(%j) = %j', (normaliser, raw, expected) => {
    expect(normaliseMatchValue(raw, normaliser)).toBe(expected);
  });
});

describe('match keys', () => {
  it('Contact by Email: the same key from both sides', () => {
    const [rule] = defaultMatchRules('Contact') as [MatchRule];
    const fromSalesforce = salesforceMatchKey({ Email: 'Jane.Doe@ACME.com' }, rule);
    expect(fromSalesforce).toBe('primary_email=jane.doe@acme.com');
    expect(pryzmMatchKey({ primary_email: 'jane.doe@acme.com' }, rule)).toBe(fromSalesforce);
    expect(salesforceMatchKey({ Email: null }, rule)).toBeNull();
  });

  it('Account by Name + Website normalised; both parts are needed', () => {
    const rules = defaultMatchRules('Account');
    const key = salesforceMatchKeys({ Name: 'Acme, Inc.', Website: 'www.acme.com' }, rules);
    expect(key).toEqual(['name=acme|website=acme.com']);
    expect(pryzmMatchKeys({ name: 'ACME Inc', website: 'https://acme.com/' }, rules)).toEqual(key);
    expect(salesforceMatchKeys({ Name: 'Acme, Inc.', Website: null }, rules)).toEqual([]);
  });

  it('configurable rules tried in order, with parent paths from REST or CSV records', () => {
    const rules: MatchRule[] = [
      {
        parts: [
          { salesforceField: 'Email', attribute: 'primary_email', normaliser: 'email' },
          {
            salesforceField: 'Account.Name',
            attribute: 'organization_name',
            normaliser: 'company_name',
          },
        ],
      },
      { parts: [{ salesforceField: 'Phone', attribute: 'phone', normaliser: 'phone' }] },
    ];
    expect(matchRuleSchema.array().safeParse(rules).success).toBe(true);
    const rest = { Email: 'a@b.io', Account: { Name: 'Acme Ltd' }, Phone: '+44 20 7946 0958' };
    const csv = { Email: 'a@b.io', 'Account.Name': 'Acme Ltd', Phone: '+44 20 7946 0958' };
    const expected = ['primary_email=a@b.io|organization_name=acme', 'phone=+442079460958'];
    expect(salesforceMatchKeys(rest, rules)).toEqual(expected);
    expect(salesforceMatchKeys(csv, rules)).toEqual(expected);
    expect(
      pryzmMatchKeys(
        { primary_email: 'A@B.io', organization_name: 'acme', phone: '+44 (20) 7946-0958' },
        rules,
      ),
    ).toEqual(expected);
  });

  it('objects without defaults match on nothing', () => {
    expect(defaultMatchRules('Project__c')).toEqual([]);
    expect(defaultMatchRules('lead')).toHaveLength(1);
  });
});
