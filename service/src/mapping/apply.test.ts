import { describe, expect, it } from 'vitest';
import { combineName, splitName, toPryzm, toSalesforce, type FieldResult } from './apply.ts';
import {
  contactDescribe,
  describeFor,
  opportunityDescribe,
  projectDescribe,
  pryzmIdField,
  withFieldChanged,
  withFields,
} from './__fixtures__/describes.ts';
import { defaultContactMapping, defaultOpportunityMapping } from './defaults.ts';
import type { ObjectMapping } from './object-mapping.ts';
import { createPipelineFromSalesforceStages, PERSON_RECORD_TYPE } from './record-types.ts';
import { attributes as a } from './__fixtures__/attributes.ts';
import {
  fieldMapping,
  projectMapping,
  projectType,
  textAttribute,
} from './__fixtures__/projects.ts';

const ACCOUNT_ID = '0015g00000AbCdEAAV';
const contactLinks = {
  lookupPryzmId: (object: string, id: string) =>
    object === 'Account' && id === ACCOUNT_ID ? 'org_acme' : undefined,
};

const byAttribute = (results: FieldResult[]) =>
  Object.fromEntries(results.map((result) => [result.attribute, result]));

describe('toPryzm', () => {
  const restContact = {
    attributes: { type: 'Contact', url: '/services/data/v63.0/sobjects/Contact/003' },
    Id: '0035g00000XyZaBAAV',
    FirstName: 'Jane',
    LastName: 'Doe',
    Email: 'Jane.Doe@ACME.com',
    Phone: '+1 415 555 0100',
    MobilePhone: null,
    Title: 'CFO',
    AccountId: ACCOUNT_ID,
    Account: { attributes: { type: 'Account' }, Name: 'Acme' },
    Birthdate: '1980-02-29',
    HasOptedOutOfEmail: false,
  };

  it('maps a REST Contact with the default mapping', () => {
    const result = toPryzm(restContact, defaultContactMapping(), {
      recordType: PERSON_RECORD_TYPE,
      describe: contactDescribe,
      describeFor,
      ...contactLinks,
    });
    expect(result.values).toEqual({
      full_name: 'Jane Doe',
      primary_email: 'Jane.Doe@acme.com',
      phone: '+1 415 555 0100',
      mobile_phone: null,
      job_title: 'CFO',
      organization: 'org_acme',
      organization_name: 'Acme',
      birthdate: '1980-02-29',
      email_opt_out: false,
    });
    expect(result.fieldResults.every((fieldResult) => fieldResult.status === 'synced')).toBe(true);
    // Description was not in the record: it is not part of this change.
    expect(result.values).not.toHaveProperty('description');
  });

  it('maps a Bulk CSV row (flat parent columns, everything text) the same way', () => {
    const csvRow = {
      Id: '0035g00000XyZaBAAV',
      FirstName: '',
      LastName: 'Doe',
      Email: 'jane@acme.com',
      'Account.Name': 'Acme',
      AccountId: ACCOUNT_ID,
      HasOptedOutOfEmail: 'true',
      Birthdate: '',
    };
    const result = toPryzm(csvRow, defaultContactMapping(), {
      recordType: PERSON_RECORD_TYPE,
      describe: contactDescribe,
      ...contactLinks,
    });
    expect(result.values).toEqual({
      full_name: 'Doe',
      primary_email: 'jane@acme.com',
      organization: 'org_acme',
      organization_name: 'Acme',
      email_opt_out: true,
      birthdate: null,
    });
  });

  it('skips a value that cannot sync with its reason and keeps the rest of the record', () => {
    const result = toPryzm(
      { ...restContact, Email: 'not an email', AccountId: '0015g00000ZZZZZAAV' },
      defaultContactMapping(),
      { recordType: PERSON_RECORD_TYPE, describe: contactDescribe, ...contactLinks },
    );
    const results = byAttribute(result.fieldResults);
    expect(results.primary_email).toMatchObject({
      status: 'skipped',
      code: 'invalid_email',
      salesforceFields: ['Email'],
    });
    expect(results.organization).toMatchObject({
      status: 'skipped',
      code: 'parent_not_linked',
      reason: expect.stringContaining('0015g00000ZZZZZAAV'),
    });
    expect(result.values).not.toHaveProperty('primary_email');
    expect(result.values).toMatchObject({ full_name: 'Jane Doe', job_title: 'CFO' });
  });

  it('keeps the full name when a change carries only one name part', () => {
    const result = toPryzm({ FirstName: 'Janet' }, defaultContactMapping(), {
      recordType: PERSON_RECORD_TYPE,
    });
    expect(result.values).toEqual({});
    expect(result.fieldResults).toEqual([
      expect.objectContaining({
        attribute: 'full_name',
        status: 'skipped',
        code: 'missing_name_part',
        reason: expect.stringContaining('LastName'),
      }),
    ]);
  });

  it('honours per-field and object direction', () => {
    const mapping: ObjectMapping = {
      ...defaultContactMapping(),
      fields: [
        { kind: 'field', salesforceField: 'Email', attribute: 'primary_email', direction: 'push' },
        {
          kind: 'field',
          salesforceField: 'Title',
          attribute: 'job_title',
          direction: 'pull',
          readOnly: true,
        },
      ],
    };
    const ctx = { recordType: PERSON_RECORD_TYPE };
    expect(toPryzm(restContact, mapping, ctx).values).toEqual({ job_title: 'CFO' });
    expect(toPryzm(restContact, { ...mapping, direction: 'push' }, ctx).values).toEqual({});
  });

  it('reports an attribute the record type does not have', () => {
    const mapping: ObjectMapping = {
      ...defaultContactMapping(),
      fields: [{ kind: 'field', salesforceField: 'Title', attribute: 'ghost', direction: 'pull' }],
    };
    const result = toPryzm(restContact, mapping, { recordType: PERSON_RECORD_TYPE });
    expect(result.fieldResults).toEqual([
      expect.objectContaining({ status: 'skipped', code: 'unknown_attribute' }),
    ]);
  });

  it('reads the namespaced field of a managed install and a stage through a value map', () => {
    const recordType = projectType([textAttribute('pryzm_ref', 'Ref'), a.select, a.multiSelect]);
    const mapping = projectMapping([
      fieldMapping('Pryzm_ID__c', 'pryzm_ref', 'pull'),
      fieldMapping('Status__c', 'status', 'bidirectional', {
        valueMap: [{ salesforce: 'Cancelled', pryzm: 'dropped' }],
      }),
      fieldMapping('Tags__c', 'tags'),
    ]);
    const result = toPryzm(
      { pryzm__Pryzm_ID__c: 'rec_1', Status__c: 'Cancelled', Tags__c: 'Beta;Alpha' },
      mapping,
      { recordType, describe: projectDescribe },
    );
    expect(result.values).toEqual({
      pryzm_ref: 'rec_1',
      status: 'dropped',
      tags: ['Beta', 'Alpha'],
    });
  });
});

describe('toPryzm in a multi-currency org', () => {
  const pipeline = createPipelineFromSalesforceStages(opportunityDescribe, { currencyCode: 'EUR' });
  const ctx = { recordType: pipeline, describe: opportunityDescribe };

  it.each([
    ['EUR', { amount: 1000 }],
    ['eur', { amount: 1000 }],
    [undefined, { amount: 1000 }],
  ])('takes an amount whose record currency is %s', (currency, values) => {
    const record = { Amount: 1000, ...(currency ? { CurrencyIsoCode: currency } : {}) };
    expect(toPryzm(record, defaultOpportunityMapping(pipeline), ctx).values).toEqual(values);
  });

  it('skips an amount in another currency instead of relabelling it', () => {
    const result = toPryzm(
      { Amount: 1000, CurrencyIsoCode: 'USD', Name: 'Deal' },
      defaultOpportunityMapping(pipeline),
      ctx,
    );
    expect(result.values).toEqual({ name: 'Deal' });
    expect(byAttribute(result.fieldResults).amount).toMatchObject({
      status: 'skipped',
      code: 'currency_mismatch',
      reason: 'the amount is in USD and Amount holds EUR',
    });
  });
});

describe('toSalesforce', () => {
  const pipeline = createPipelineFromSalesforceStages(opportunityDescribe);
  const opportunity = withFields(opportunityDescribe, pryzmIdField);
  const links = {
    lookupSalesforceId: (recordType: string, id: string) =>
      recordType === 'organization' && id === 'org_acme' ? ACCOUNT_ID : undefined,
  };

  it('builds an Opportunity body from pipeline values', () => {
    const result = toSalesforce(
      {
        name: 'Acme renewal',
        stage: 'Closed Won',
        amount: 12500.555,
        close_date: '2026-01-31',
        probability: 100,
        organization: 'org_acme',
        owner_email: 'someone@acme.com',
      },
      defaultOpportunityMapping(pipeline),
      {
        recordType: pipeline,
        describe: opportunity,
        operation: 'create',
        ...links,
        pryzmRecordId: 'deal_1',
      },
    );
    expect(result.fields).toEqual({
      Name: 'Acme renewal',
      StageName: 'Closed Won',
      Amount: 12500.56,
      CloseDate: '2026-01-31',
      Probability: 100,
      AccountId: ACCOUNT_ID,
      Pryzm_ID__c: 'deal_1',
    });
    expect(byAttribute(result.fieldResults).amount).toMatchObject({
      status: 'synced',
      note: expect.stringMatching(/rounded/),
    });
    // Owner.Email is a read-only pull from the parent: never pushed, not even reported.
    expect(byAttribute(result.fieldResults)).not.toHaveProperty('owner_email');
  });

  it('splits the full name and only writes attributes present in the change', () => {
    const result = toSalesforce(
      { full_name: 'Mary Ann Smith', job_title: null },
      defaultContactMapping(),
      {
        recordType: PERSON_RECORD_TYPE,
        describe: contactDescribe,
        operation: 'update',
      },
    );
    expect(result.fields).toEqual({ FirstName: 'Mary Ann', LastName: 'Smith', Title: null });
    expect(byAttribute(result.fieldResults).full_name).toMatchObject({
      status: 'synced',
      salesforceFields: ['FirstName', 'LastName'],
    });
  });

  it('skips a full name that would leave the required LastName empty', () => {
    const result = toSalesforce({ full_name: '  ', phone: '555 0100' }, defaultContactMapping(), {
      recordType: PERSON_RECORD_TYPE,
      describe: contactDescribe,
      operation: 'update',
    });
    expect(result.fields).toEqual({ Phone: '555 0100' });
    expect(byAttribute(result.fieldResults).full_name).toMatchObject({
      status: 'skipped',
      code: 'required',
    });
  });

  it('skips values Salesforce would refuse and keeps the rest', () => {
    const restricted = withFieldChanged(opportunity, 'StageName', { restrictedPicklist: true });
    const result = toSalesforce(
      { name: 'x'.repeat(121), stage: 'Imaginary', amount: 10, organization: 'org_unknown' },
      defaultOpportunityMapping(pipeline),
      { recordType: pipeline, describe: restricted, operation: 'update', ...links },
    );
    expect(result.fields).toEqual({ Amount: 10 });
    const results = byAttribute(result.fieldResults);
    expect(results.name).toMatchObject({
      code: 'too_long',
      reason: expect.stringMatching(/121 characters.*120/),
    });
    expect(results.stage).toMatchObject({ code: 'unknown_picklist_value' });
    expect(results.organization).toMatchObject({ code: 'parent_not_linked' });
  });

  it('sends an unlisted value to a picklist that is not restricted, with a note', () => {
    const result = toSalesforce({ stage: 'Imaginary' }, defaultOpportunityMapping(pipeline), {
      recordType: pipeline,
      describe: opportunity,
      operation: 'update',
    });
    expect(result.fields).toEqual({ StageName: 'Imaginary' });
    expect(byAttribute(result.fieldResults).stage).toMatchObject({
      status: 'synced',
      note: expect.stringMatching(/not restricted/),
    });
  });

  it('honours read-only, pull-only and object direction', () => {
    const mapping: ObjectMapping = {
      ...defaultContactMapping(),
      fields: [
        {
          kind: 'field',
          salesforceField: 'Title',
          attribute: 'job_title',
          direction: 'bidirectional',
          readOnly: true,
        },
        { kind: 'field', salesforceField: 'Phone', attribute: 'phone', direction: 'pull' },
        { kind: 'field', salesforceField: 'Email', attribute: 'primary_email', direction: 'push' },
      ],
    };
    const values = { job_title: 'CEO', phone: '555 0100', primary_email: 'a@b.co' };
    const ctx = {
      recordType: PERSON_RECORD_TYPE,
      describe: contactDescribe,
      operation: 'update' as const,
    };
    expect(toSalesforce(values, mapping, ctx).fields).toEqual({ Email: 'a@b.co' });
    expect(toSalesforce(values, { ...mapping, direction: 'pull' }, ctx).fields).toEqual({});
  });

  it('refuses fields Salesforce does not let us write, by operation', () => {
    const recordType = projectType([
      textAttribute('origin', 'Origin'),
      textAttribute('health', 'Health'),
      textAttribute('number', 'Number'),
    ]);
    const mapping = projectMapping(
      [
        fieldMapping('Origin__c', 'origin', 'push'),
        fieldMapping('Health__c', 'health', 'push'),
        fieldMapping('Project_Number__c', 'number', 'push'),
      ],
      { conflictStrategy: 'pryzm_wins', schedule: { kind: 'interval', minutes: 15 } },
    );
    const values = { origin: 'Web', health: 'Green', number: 'P-1' };
    const create = toSalesforce(values, mapping, {
      recordType,
      describe: projectDescribe,
      operation: 'create',
      pryzmRecordId: 'prj_1',
    });
    expect(create.fields).toEqual({ Origin__c: 'Web', pryzm__Pryzm_ID__c: 'prj_1' });
    expect(
      create.fieldResults
        .filter((result) => result.status === 'skipped')
        .map((result) => result.attribute),
    ).toEqual(['health', 'number']);
    const update = toSalesforce(values, mapping, {
      recordType,
      describe: projectDescribe,
      operation: 'update',
    });
    expect(update.fields).toEqual({});
    expect(byAttribute(update.fieldResults).origin).toMatchObject({ code: 'not_writable' });
  });

  it('reports a field the org does not have', () => {
    const mapping: ObjectMapping = {
      ...defaultContactMapping(),
      fields: [
        {
          kind: 'field',
          salesforceField: 'Nickname__c',
          attribute: 'job_title',
          direction: 'push',
        },
      ],
    };
    const result = toSalesforce({ job_title: 'x' }, mapping, {
      recordType: PERSON_RECORD_TYPE,
      describe: contactDescribe,
      operation: 'update',
    });
    expect(result.fieldResults).toEqual([
      expect.objectContaining({ status: 'skipped', code: 'unknown_field' }),
    ]);
  });
});

describe('time zone', () => {
  it('dates follow the workspace zone in both directions', () => {
    const recordType = PERSON_RECORD_TYPE;
    const mapping: ObjectMapping = {
      ...defaultContactMapping(),
      fields: [
        {
          kind: 'field',
          salesforceField: 'EmailBouncedDate',
          attribute: 'birthdate',
          direction: 'bidirectional',
        },
      ],
    };
    const pulled = toPryzm({ EmailBouncedDate: '2026-01-31T23:30:00.000+0000' }, mapping, {
      recordType,
      describe: contactDescribe,
      timeZone: 'Europe/Paris',
    });
    expect(pulled.values).toEqual({ birthdate: '2026-02-01' });
    const pushed = toSalesforce({ birthdate: '2026-02-01' }, mapping, {
      recordType,
      describe: contactDescribe,
      operation: 'update',
      timeZone: 'Europe/Paris',
    });
    expect(pushed.fields).toEqual({ EmailBouncedDate: '2026-01-31T23:00:00.000Z' });
  });

  it('an unknown zone is refused before any value', () => {
    expect(() =>
      toPryzm({}, defaultContactMapping(), {
        recordType: PERSON_RECORD_TYPE,
        timeZone: 'Mars/Olympus',
      }),
    ).toThrow(/unknown time zone Mars\/Olympus/);
    expect(() =>
      toSalesforce({}, defaultContactMapping(), {
        recordType: PERSON_RECORD_TYPE,
        describe: contactDescribe,
        operation: 'create',
        timeZone: 'nowhere',
      }),
    ).toThrow(RangeError);
  });
});

describe('names', () => {
  it.each([
    ['Jane', 'Doe', 'Jane Doe'],
    [null, 'Doe', 'Doe'],
    ['  Jane ', '', 'Jane'],
    [null, null, null],
    [undefined, ' ', null],
  ])('combineName(%j, %j) = %j', (first, last, full) => {
    expect(combineName(first, last)).toBe(full);
  });

  it.each([
    ['Jane Doe', { first: 'Jane', last: 'Doe' }],
    ['  Mary   Ann  Smith ', { first: 'Mary Ann', last: 'Smith' }],
    ['Cher', { first: null, last: 'Cher' }],
    ['', { first: null, last: null }],
    [null, { first: null, last: null }],
  ])('splitName(%j)', (full, parts) => {
    expect(splitName(full)).toEqual(parts);
  });
});
