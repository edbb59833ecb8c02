import { describe, expect, it } from 'vitest';
import { toPryzm, toSalesforce } from './apply.ts';
import {
  accountDescribe,
  contactDescribe,
  describeFor,
  opportunityDescribe,
} from './__fixtures__/describes.ts';
import {
  defaultAccountMapping,
  defaultContactMapping,
  defaultOpportunityMapping,
  fitMappingToDescribe,
} from './defaults.ts';
import type { SObjectDescribe } from './describe-types.ts';
import type { ObjectMapping } from './object-mapping.ts';
import {
  createPipelineFromSalesforceStages,
  ORGANIZATION_RECORD_TYPE,
  PERSON_RECORD_TYPE,
  type RecordTypeDefinition,
} from './record-types.ts';
import { compareThreeWay } from './three-way.ts';

const ACCOUNT_ID = '0015g00000AbCdEAAV';
const pipeline = createPipelineFromSalesforceStages(opportunityDescribe);

// A record read from Salesforce, mapped into Pryzm and written back unchanged must give
// Salesforce the very values it holds, and map to no change on the next comparison.
const cases: Array<
  [string, ObjectMapping, RecordTypeDefinition, SObjectDescribe, Record<string, unknown>]
> = [
  [
    'Account',
    defaultAccountMapping(),
    ORGANIZATION_RECORD_TYPE,
    accountDescribe,
    {
      Name: 'Acme, Inc.',
      Website: 'https://acme.com',
      Industry: 'Banking',
      Phone: '+1 (415) 555-0100',
      Description: 'Line one\nLine two',
      AnnualRevenue: 1250000, // the recorded field has scale 0
      NumberOfEmployees: 250,
    },
  ],
  [
    'Contact',
    fitMappingToDescribe(defaultContactMapping(), contactDescribe, describeFor),
    PERSON_RECORD_TYPE,
    contactDescribe,
    {
      FirstName: 'Mary Ann',
      LastName: 'Smith',
      Email: 'mary.smith@acme.com',
      Phone: '415 555 0100',
      MobilePhone: null,
      Title: 'CFO',
      AccountId: ACCOUNT_ID,
      Birthdate: '1980-02-29',
      Description: null,
    },
  ],
  [
    'Opportunity',
    defaultOpportunityMapping(pipeline),
    pipeline,
    opportunityDescribe,
    {
      Name: 'Acme renewal',
      StageName: 'Negotiation/Review',
      Amount: 12500.55,
      CloseDate: '2026-01-31',
      Probability: 90,
      AccountId: ACCOUNT_ID,
      NextStep: 'Send quote',
      Description: null,
    },
  ],
];

describe('round trip Salesforce → Pryzm → Salesforce', () => {
  it.each(cases)('%s', (_name, mapping, recordType, describe, record) => {
    const pulled = toPryzm(record, mapping, {
      recordType,
      describe,
      describeFor,
      timeZone: 'Europe/Paris',
      lookupPryzmId: (_object, id) => (id === ACCOUNT_ID ? 'org_acme' : undefined),
    });
    expect(pulled.fieldResults.filter((result) => result.status !== 'synced')).toEqual([]);
    const pushed = toSalesforce(pulled.values, mapping, {
      recordType,
      describe,
      operation: 'update',
      timeZone: 'Europe/Paris',
      lookupSalesforceId: (_type, id) => (id === 'org_acme' ? ACCOUNT_ID : undefined),
    });
    expect(pushed.fieldResults.filter((result) => result.status !== 'synced')).toEqual([]);
    expect(pushed.fields).toEqual(record);
    const again = toPryzm(pushed.fields, mapping, {
      recordType,
      describe,
      timeZone: 'Europe/Paris',
      lookupPryzmId: (_object, id) => (id === ACCOUNT_ID ? 'org_acme' : undefined),
    });
    const outcomes = compareThreeWay(pulled.values, pulled.values, again.values);
    expect(outcomes.filter((comparison) => comparison.outcome !== 'unchanged')).toEqual([]);
  });
});
