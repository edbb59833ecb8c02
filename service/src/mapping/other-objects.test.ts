import { describe, expect, it } from 'vitest';
import { toPryzm, toSalesforce } from './apply.ts';
import {
  caseDescribe,
  describeFor,
  leadDescribe,
  pryzmIdField,
  withFields,
} from './__fixtures__/describes.ts';
import type { ObjectMapping } from './object-mapping.ts';
import { buildSelectQuery } from './query.ts';
import { PERSON_RECORD_TYPE, type RecordTypeDefinition } from './record-types.ts';
import { validateObjectMapping } from './validation.ts';

// Objects beyond the defaults, on recorded describes: Lead → Person and Case → a custom type.

const lead = withFields(leadDescribe, pryzmIdField);
const leadMapping: ObjectMapping = {
  salesforceObject: 'Lead',
  recordType: 'person',
  direction: 'bidirectional',
  conflictStrategy: 'salesforce_wins',
  schedule: { kind: 'interval', minutes: 30 },
  filter: "IsConverted = false AND LeadSource IN ('Web', 'Phone Inquiry')",
  fields: [
    {
      kind: 'full_name',
      firstNameField: 'FirstName',
      lastNameField: 'LastName',
      attribute: 'full_name',
      direction: 'bidirectional',
    },
    {
      kind: 'field',
      salesforceField: 'Email',
      attribute: 'primary_email',
      direction: 'bidirectional',
    },
    {
      kind: 'field',
      salesforceField: 'Company',
      attribute: 'organization_name',
      direction: 'bidirectional',
    },
    { kind: 'field', salesforceField: 'Title', attribute: 'job_title', direction: 'pull' },
  ],
};

const ticket: RecordTypeDefinition = {
  key: 'ticket',
  name: 'Ticket',
  pluralName: 'Tickets',
  kind: 'custom',
  attributes: [
    { key: 'subject', name: 'Subject', type: 'text', maxLength: 255 },
    {
      key: 'status',
      name: 'Status',
      type: 'select',
      options: [
        { value: 'open', label: 'Open' },
        { value: 'pending', label: 'Pending' },
        { value: 'closed', label: 'Closed' },
      ],
    },
    { key: 'number', name: 'Number', type: 'text' },
    { key: 'escalated', name: 'Escalated', type: 'boolean' },
    { key: 'opened_at', name: 'Opened', type: 'datetime' },
    { key: 'requester', name: 'Requester', type: 'reference', targetRecordType: 'person' },
  ],
};
const caseMapping: ObjectMapping = {
  salesforceObject: 'Case',
  recordType: 'ticket',
  direction: 'bidirectional',
  conflictStrategy: 'most_recent',
  schedule: { kind: 'realtime' },
  fields: [
    { kind: 'field', salesforceField: 'Subject', attribute: 'subject', direction: 'bidirectional' },
    {
      kind: 'field',
      salesforceField: 'Status',
      attribute: 'status',
      direction: 'bidirectional',
      valueMap: [
        { salesforce: 'New', pryzm: 'open' },
        { salesforce: 'Working', pryzm: 'pending' },
        { salesforce: 'Escalated', pryzm: 'pending' },
        { salesforce: 'Closed', pryzm: 'closed' },
      ],
    },
    {
      kind: 'field',
      salesforceField: 'CaseNumber',
      attribute: 'number',
      direction: 'pull',
      readOnly: true,
    },
    {
      kind: 'field',
      salesforceField: 'IsEscalated',
      attribute: 'escalated',
      direction: 'bidirectional',
    },
    {
      kind: 'field',
      salesforceField: 'CreatedDate',
      attribute: 'opened_at',
      direction: 'pull',
      readOnly: true,
    },
    {
      kind: 'reference',
      salesforceField: 'ContactId',
      targetObject: 'Contact',
      attribute: 'requester',
      direction: 'bidirectional',
    },
  ],
};

describe('Lead → Person', () => {
  it('validates against the recorded Lead describe', () => {
    const report = validateObjectMapping(leadMapping, PERSON_RECORD_TYPE, lead, { describeFor });
    expect(report.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
  });

  it('queries with the filter and maps both ways', () => {
    const query = buildSelectQuery(leadMapping, lead, { describeFor });
    expect(query.ok && query.soql).toContain(
      "WHERE (IsConverted = FALSE AND LeadSource IN ('Web', 'Phone Inquiry'))",
    );
    const pulled = toPryzm(
      {
        FirstName: null,
        LastName: 'Nakamura',
        Email: 'K.Nakamura@Example.jp',
        Company: 'Example KK',
        Title: 'CTO',
      },
      leadMapping,
      { recordType: PERSON_RECORD_TYPE, describe: lead },
    );
    expect(pulled.values).toEqual({
      full_name: 'Nakamura',
      primary_email: 'K.Nakamura@example.jp',
      organization_name: 'Example KK',
      job_title: 'CTO',
    });
    const pushed = toSalesforce({ ...pulled.values, job_title: 'CEO' }, leadMapping, {
      recordType: PERSON_RECORD_TYPE,
      describe: lead,
      operation: 'create',
      pryzmRecordId: 'per_1',
    });
    expect(pushed.fields).toEqual({
      FirstName: null,
      LastName: 'Nakamura',
      Email: 'K.Nakamura@example.jp',
      Company: 'Example KK',
      Pryzm_ID__c: 'per_1',
    });
  });

  it('reports Company as required once nothing pushes it', () => {
    const withoutCompany = {
      ...leadMapping,
      fields: leadMapping.fields.filter((field) => field.attribute !== 'organization_name'),
    };
    expect(validateObjectMapping(withoutCompany, PERSON_RECORD_TYPE, lead).problems).toContainEqual(
      expect.objectContaining({ code: 'required_field_unmapped', field: 'Company' }),
    );
  });
});

describe('Case → a custom ticket record type', () => {
  const kase = withFields(caseDescribe, pryzmIdField);

  it('validates against the recorded Case describe, warning about the many-to-one status map', () => {
    const report = validateObjectMapping(caseMapping, ticket, kase, { describeFor });
    expect(report.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        code: 'value_map_many_to_one',
        field: 'Status',
        message: '"Working", "Escalated" all become "pending"; pushing "pending" sends "Working"',
      }),
    );
  });

  it('maps statuses through the value map; the first Salesforce value wins on the way back', () => {
    const pulled = toPryzm(
      {
        Subject: 'Printer on fire',
        Status: 'Escalated',
        CaseNumber: '00001026',
        IsEscalated: true,
        CreatedDate: '2026-01-31T23:30:00.000+0000',
        ContactId: '0035g00000XyZaBAAV',
      },
      caseMapping,
      {
        recordType: ticket,
        describe: kase,
        lookupPryzmId: (object, id) =>
          object === 'Contact' && id === '0035g00000XyZaBAAV' ? 'per_1' : undefined,
      },
    );
    expect(pulled.values).toEqual({
      subject: 'Printer on fire',
      status: 'pending',
      number: '00001026',
      escalated: true,
      opened_at: '2026-01-31T23:30:00.000Z',
      requester: 'per_1',
    });
    const pushed = toSalesforce(pulled.values, caseMapping, {
      recordType: ticket,
      describe: kase,
      operation: 'update',
      lookupSalesforceId: (type, id) =>
        type === 'person' && id === 'per_1' ? '0035g00000XyZaBAAV' : undefined,
    });
    expect(pushed.fields).toEqual({
      Subject: 'Printer on fire',
      Status: 'Working',
      IsEscalated: true,
      ContactId: '0035g00000XyZaBAAV',
    });
  });
});
