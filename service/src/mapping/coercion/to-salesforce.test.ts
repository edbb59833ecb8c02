import { describe, expect, it } from 'vitest';
import type { AttributeDefinition, PryzmValue } from '../attribute-types.ts';
import { attributes as a } from '../__fixtures__/attributes.ts';
import {
  ACCOUNT_ID,
  compatiblePairs,
  expectCoerced,
  itCoversEveryCompatiblePair,
  projectField as p,
  syntheticField as synthetic,
} from '../__fixtures__/coercion-table.ts';
import { contactDescribe, fieldOf, opportunityDescribe } from '../__fixtures__/describes.ts';
import type { FieldDescribe } from '../describe-types.ts';
import type { CoercionCode } from './result.ts';
import {
  coerceToSalesforce,
  type PushCoercionOptions,
  type SalesforceValue,
} from './to-salesforce.ts';

const links: Record<string, string> = { org_1: ACCOUNT_ID, org_bad: 'not an id' };

interface Row {
  attribute: AttributeDefinition;
  field: FieldDescribe;
  value: PryzmValue;
  expected?: SalesforceValue;
  code?: CoercionCode;
  reason?: RegExp;
  note?: RegExp;
  options?: Partial<PushCoercionOptions>;
}

const long = { ...a.text, maxLength: 500 };

const encrypted = synthetic('encryptedstring', { length: 175 });
const combobox = synthetic('combobox', {
  length: 255,
  picklistValues: [{ value: 'Web', active: true }],
});
const longField = synthetic('long', { digits: 18 });

// Every attribute type against each Salesforce field type it can be written to, with the limits
// the describe sets (length, precision/scale, digits, restricted picklists, required fields).
const rows: Row[] = [
  // text
  { attribute: long, field: p('Name'), value: 'Acme', expected: 'Acme' },
  {
    attribute: long,
    field: p('Name'),
    value: 'x'.repeat(81),
    code: 'too_long',
    reason: /81 characters, Salesforce field Name holds at most 80/,
  },
  { attribute: long, field: p('Name'), value: '', code: 'required' },
  { attribute: long, field: p('Name'), value: null, code: 'required' },
  { attribute: long, field: p('Summary__c'), value: null, expected: null },
  { attribute: long, field: p('Summary__c'), value: '  ', expected: null },
  { attribute: long, field: p('Seats__c'), value: '12', expected: 12 },
  { attribute: long, field: p('Seats__c'), value: 'twelve', code: 'invalid_number' },
  { attribute: long, field: p('Contact_Email__c'), value: ' A@B.COM', expected: 'A@b.com' },
  { attribute: long, field: p('Hotline__c'), value: 'ring me', code: 'invalid_phone' },
  { attribute: long, field: p('Status__c'), value: 'Done', expected: 'Done' },
  { attribute: long, field: p('Status__c'), value: 'Nope', code: 'unknown_picklist_value' },
  {
    attribute: long,
    field: p('Priority__c'),
    value: 'Urgent',
    expected: 'Urgent',
    note: /not restricted/,
  },
  { attribute: long, field: p('Start_Date__c'), value: '2026-01-31', expected: '2026-01-31' },
  { attribute: long, field: p('Start_Date__c'), value: 'soon', code: 'invalid_date' },
  {
    attribute: long,
    field: p('Kickoff__c'),
    value: '2026-01-31T23:30:00.000+0000',
    expected: '2026-01-31T23:30:00.000Z',
  },
  { attribute: long, field: p('Account__c'), value: ACCOUNT_ID, code: 'incompatible_types' },
  // long text
  {
    attribute: a.longText,
    field: p('Notes__c'),
    value: 'x'.repeat(32768),
    expected: 'x'.repeat(32768),
  },
  { attribute: a.longText, field: p('Notes__c'), value: 'x'.repeat(32769), code: 'too_long' },
  {
    attribute: a.longText,
    field: p('Summary__c'),
    value: 'y'.repeat(300),
    code: 'too_long',
    reason: /300 characters.*255/,
  },
  { attribute: a.longText, field: p('Seats__c'), value: '1', code: 'incompatible_types' },
  // number into int (digits 9) and double (precision 5, scale 2)
  { attribute: a.number, field: p('Seats__c'), value: 5, expected: 5 },
  { attribute: a.number, field: p('Seats__c'), value: 5.5, code: 'not_a_whole_number' },
  { attribute: a.number, field: p('Seats__c'), value: 1e9, code: 'number_out_of_range' },
  { attribute: a.number, field: p('Seats__c'), value: 999_999_999, expected: 999_999_999 },
  {
    attribute: a.number,
    field: p('Score__c'),
    value: 123.456,
    expected: 123.46,
    note: /rounded 123.456 to 123.46/,
  },
  { attribute: a.number, field: p('Score__c'), value: 999.99, expected: 999.99 },
  {
    attribute: a.number,
    field: p('Score__c'),
    value: 1000,
    code: 'number_out_of_range',
    reason: /more than 3 digits/,
  },
  { attribute: a.number, field: p('Score__c'), value: 999.995, code: 'number_out_of_range' },
  { attribute: a.number, field: p('Score__c'), value: -1.005, expected: -1.01 },
  { attribute: a.number, field: p('Name'), value: 42, expected: '42' },
  { attribute: a.number, field: p('Active__c'), value: 1, code: 'incompatible_types' },
  // currency (scale from describe)
  { attribute: a.currency, field: p('Budget__c'), value: 1234.5, expected: 1234.5 },
  {
    attribute: a.currency,
    field: p('Budget__c'),
    value: 10.125,
    expected: 10.13,
    note: /keeps 2 decimals/,
  },
  { attribute: a.currency, field: p('Budget__c'), value: 1.005, expected: 1.01 },
  { attribute: a.currency, field: p('Budget__c'), value: 0.1 + 0.2, expected: 0.3 },
  { attribute: a.currency, field: p('Budget__c'), value: 1e14, code: 'number_out_of_range' },
  {
    attribute: a.currency,
    field: fieldOf(opportunityDescribe, 'Amount'),
    value: 250000,
    expected: 250000,
  },
  { attribute: a.currency, field: p('Completion__c'), value: 1, code: 'incompatible_types' },
  // percent
  { attribute: a.percent, field: p('Completion__c'), value: 12.5, expected: 12.5 },
  { attribute: a.percent, field: p('Completion__c'), value: 1000, code: 'number_out_of_range' },
  {
    attribute: a.percent,
    field: fieldOf(opportunityDescribe, 'Probability'),
    value: 45.5,
    expected: 46,
  },
  { attribute: a.percent, field: p('Budget__c'), value: 1, code: 'incompatible_types' },
  // date
  { attribute: a.date, field: p('Start_Date__c'), value: '2026-01-31', expected: '2026-01-31' },
  { attribute: a.date, field: p('Start_Date__c'), value: '2026-02-30', code: 'invalid_date' },
  { attribute: a.date, field: p('Start_Date__c'), value: null, expected: null },
  {
    attribute: a.date,
    field: p('Kickoff__c'),
    value: '2026-01-31',
    expected: '2026-01-30T23:00:00.000Z',
    options: { timeZone: 'Europe/Paris' },
    note: /midnight in Europe\/Paris/,
  },
  { attribute: a.date, field: p('Name'), value: '2026-01-31', expected: '2026-01-31' },
  {
    attribute: a.date,
    field: fieldOf(opportunityDescribe, 'CloseDate'),
    value: null,
    code: 'required',
  },
  // datetime
  {
    attribute: a.datetime,
    field: p('Kickoff__c'),
    value: '2026-01-31T23:30:00.000Z',
    expected: '2026-01-31T23:30:00.000Z',
  },
  { attribute: a.datetime, field: p('Kickoff__c'), value: 'yesterday', code: 'invalid_datetime' },
  {
    attribute: a.datetime,
    field: p('Start_Date__c'),
    value: '2026-01-31T23:30:00.000Z',
    expected: '2026-02-01',
    options: { timeZone: 'Europe/Paris' },
    note: /2026-02-01 in Europe\/Paris/,
  },
  {
    attribute: a.datetime,
    field: p('Start_Date__c'),
    value: '2026-01-31T23:30:00.000Z',
    expected: '2026-01-31',
  },
  { attribute: a.datetime, field: p('Start_Date__c'), value: '2026-01-31', code: 'invalid_date' },
  // boolean
  { attribute: a.boolean, field: p('Active__c'), value: true, expected: true },
  { attribute: a.boolean, field: p('Active__c'), value: false, expected: false },
  { attribute: a.boolean, field: p('Active__c'), value: null, expected: false, note: /checkbox/ },
  { attribute: a.boolean, field: p('Name'), value: true, expected: 'true' },
  { attribute: a.boolean, field: p('Seats__c'), value: true, code: 'incompatible_types' },
  // select
  { attribute: a.select, field: p('Status__c'), value: 'Done', expected: 'Done' },
  {
    attribute: a.select,
    field: p('Status__c'),
    value: 'dropped',
    code: 'unknown_picklist_value',
    reason: /restricted picklist Status__c/,
  },
  {
    attribute: a.select,
    field: p('Status__c'),
    value: 'dropped',
    code: 'unknown_picklist_value',
    options: { valueMap: [{ salesforce: 'Cancelled', pryzm: 'dropped' }] },
  },
  {
    attribute: a.select,
    field: p('Status__c'),
    value: 'dropped',
    expected: 'Done',
    options: { valueMap: [{ salesforce: 'Done', pryzm: 'dropped' }] },
  },
  {
    attribute: a.select,
    field: p('Priority__c'),
    value: 'Urgent',
    expected: 'Urgent',
    note: /not listed/,
  },
  { attribute: a.select, field: p('Tags__c'), value: 'Alpha', expected: 'Alpha' },
  { attribute: a.select, field: p('Name'), value: 'In Progress', expected: 'In Progress' },
  { attribute: a.select, field: p('Seats__c'), value: 'Done', code: 'incompatible_types' },
  // multi-select
  {
    attribute: a.multiSelect,
    field: p('Tags__c'),
    value: ['Alpha', 'Beta'],
    expected: 'Alpha;Beta',
  },
  { attribute: a.multiSelect, field: p('Tags__c'), value: [], expected: null },
  {
    attribute: a.multiSelect,
    field: p('Tags__c'),
    value: ['Alpha', 'Omega'],
    code: 'unknown_picklist_value',
  },
  {
    attribute: a.multiSelect,
    field: p('Tags__c'),
    value: ['a;b'],
    code: 'invalid_multi_select_value',
  },
  {
    attribute: a.multiSelect,
    field: p('Tags__c'),
    value: ['delta', 'Alpha'],
    expected: 'Gamma;Alpha',
    options: { valueMap: [{ salesforce: 'Gamma', pryzm: 'delta' }] },
  },
  {
    attribute: a.multiSelect,
    field: p('Summary__c'),
    value: ['Alpha', 'Beta'],
    expected: 'Alpha;Beta',
  },
  { attribute: a.multiSelect, field: p('Status__c'), value: ['Done'], code: 'incompatible_types' },
  // email, phone, url
  {
    attribute: a.email,
    field: p('Contact_Email__c'),
    value: 'jane@acme.com',
    expected: 'jane@acme.com',
  },
  { attribute: a.email, field: p('Contact_Email__c'), value: 'jane@', code: 'invalid_email' },
  {
    attribute: a.email,
    field: p('Contact_Email__c'),
    value: `${'j'.repeat(75)}@acme.com`,
    code: 'too_long',
  },
  { attribute: a.email, field: p('Name'), value: 'x@y.org', expected: 'x@y.org' },
  {
    attribute: a.phone,
    field: p('Hotline__c'),
    value: '+44 20 7946 0958',
    expected: '+44 20 7946 0958',
  },
  {
    attribute: a.phone,
    field: fieldOf(contactDescribe, 'Phone'),
    value: '(415) 555-0100',
    expected: '(415) 555-0100',
  },
  { attribute: a.phone, field: p('Site__c'), value: '555', code: 'incompatible_types' },
  {
    attribute: a.url,
    field: p('Site__c'),
    value: 'https://acme.com',
    expected: 'https://acme.com',
  },
  { attribute: a.url, field: p('Name'), value: 'https://acme.com', expected: 'https://acme.com' },
  // reference
  { attribute: a.reference, field: p('Account__c'), value: 'org_1', expected: ACCOUNT_ID },
  { attribute: a.reference, field: p('Account__c'), value: 'org_2', code: 'parent_not_linked' },
  { attribute: a.reference, field: p('Account__c'), value: 'org_bad', code: 'invalid_reference' },
  { attribute: a.reference, field: p('Account__c'), value: null, expected: null },
  { attribute: a.reference, field: p('Name'), value: 'org_1', code: 'incompatible_types' },
  // required field
  {
    attribute: long,
    field: p('Code__c'),
    value: null,
    code: 'required',
    reason: /Code__c is required/,
  },
  // the remaining pairs of the compatibility table
  { attribute: long, field: encrypted, value: 'secret', expected: 'secret' },
  { attribute: long, field: encrypted, value: 's'.repeat(176), code: 'too_long' },
  { attribute: long, field: combobox, value: 'Other', expected: 'Other' },
  { attribute: long, field: longField, value: '12', expected: 12 },
  { attribute: long, field: p('Score__c'), value: '12.345', expected: 12.35, note: /rounded/ },
  { attribute: long, field: p('Budget__c'), value: '99.999', expected: 100 },
  { attribute: long, field: p('Completion__c'), value: '50', expected: 50 },
  { attribute: long, field: p('Site__c'), value: 'https://a.io', expected: 'https://a.io' },
  { attribute: a.longText, field: p('Name'), value: 'Acme', expected: 'Acme' },
  { attribute: a.longText, field: encrypted, value: 'secret', expected: 'secret' },
  { attribute: a.longText, field: combobox, value: 'Web', expected: 'Web' },
  { attribute: a.number, field: longField, value: 9007199254740991, expected: 9007199254740991 },
  { attribute: a.number, field: longField, value: 2 ** 60, code: 'number_out_of_range' },
  { attribute: a.number, field: p('Budget__c'), value: 10.5, expected: 10.5 },
  { attribute: a.number, field: p('Completion__c'), value: 33.333, expected: 33.33 },
  { attribute: a.number, field: p('Summary__c'), value: 12, expected: '12' },
  { attribute: a.currency, field: p('Score__c'), value: 12.5, expected: 12.5 },
  { attribute: a.currency, field: p('Name'), value: 12.5, expected: '12.5' },
  { attribute: a.currency, field: p('Summary__c'), value: 0.1, expected: '0.1' },
  { attribute: a.percent, field: p('Score__c'), value: 0.5, expected: 0.5 },
  { attribute: a.percent, field: p('Name'), value: 12.5, expected: '12.5' },
  { attribute: a.percent, field: p('Summary__c'), value: 100, expected: '100' },
  { attribute: a.date, field: p('Summary__c'), value: '2026-01-31', expected: '2026-01-31' },
  {
    attribute: a.datetime,
    field: p('Name'),
    value: '2026-01-31T23:30:00.000Z',
    expected: '2026-01-31T23:30:00.000Z',
  },
  {
    attribute: a.datetime,
    field: p('Summary__c'),
    value: '2026-01-31T23:30:00.000Z',
    expected: '2026-01-31T23:30:00.000Z',
  },
  { attribute: a.boolean, field: p('Summary__c'), value: false, expected: 'false' },
  { attribute: a.select, field: combobox, value: 'Anything', expected: 'Anything' },
  {
    attribute: a.select,
    field: p('Summary__c'),
    value: 'dropped',
    expected: 'Cancelled',
    options: { valueMap: [{ salesforce: 'Cancelled', pryzm: 'dropped' }] },
  },
  { attribute: a.multiSelect, field: p('Name'), value: ['Alpha', 'Beta'], expected: 'Alpha;Beta' },
  { attribute: a.email, field: p('Summary__c'), value: 'a@b.io', expected: 'a@b.io' },
  { attribute: a.phone, field: p('Name'), value: '+1 555 0100', expected: '+1 555 0100' },
  { attribute: a.phone, field: p('Summary__c'), value: '555 0100', expected: '555 0100' },
  { attribute: a.url, field: p('Summary__c'), value: 'https://a.io', expected: 'https://a.io' },
];

describe('coerceToSalesforce', () => {
  it.each(
    rows.map((row) => [
      `${row.attribute.type} → ${row.field.type} ${row.field.name} ${JSON.stringify(row.value)?.slice(0, 40)}`,
      row,
    ]),
  )('%s', (_name, row) => {
    const result = coerceToSalesforce(row.value, row.attribute, row.field, {
      timeZone: 'UTC',
      resolveReference: (id) => links[id],
      ...row.options,
    });
    expectCoerced(result, { ...row, value: row.expected });
  });

  itCoversEveryCompatiblePair(rows, 'push');

  // Empty values on every pair of the table: null, blank text and an empty multi-select all
  // clear a nillable field, a checkbox becomes false, and a required field refuses them.
  const empties: PryzmValue[] = [null, '', '   ', []];
  it.each(
    compatiblePairs('push').map(
      ([attribute, fieldType]) =>
        [`${attribute.type} → ${fieldType}`, attribute, fieldType] as const,
    ),
  )('empty %s', (_name, attribute, fieldType) => {
    for (const value of empties) {
      const optional = coerceToSalesforce(value, attribute, synthetic(fieldType), {
        timeZone: 'UTC',
      });
      const required = coerceToSalesforce(
        value,
        attribute,
        synthetic(fieldType, { nillable: false }),
        {
          timeZone: 'UTC',
        },
      );
      if (fieldType === 'boolean') {
        expect(optional).toMatchObject({
          ok: true,
          value: false,
          note: expect.stringMatching(/checkbox/),
        });
        expect(required).toMatchObject({ ok: true, value: false });
      } else {
        expect(optional).toEqual({ ok: true, value: null });
        expect(required).toMatchObject({ ok: false, code: 'required' });
      }
    }
  });
});
