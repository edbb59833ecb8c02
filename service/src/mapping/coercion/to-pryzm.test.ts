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
import { coerceToPryzm, type PullCoercionOptions } from './to-pryzm.ts';

const linked: Record<string, string> = { [ACCOUNT_ID]: 'org_1' };

interface Row {
  attribute: AttributeDefinition;
  field?: FieldDescribe;
  raw: unknown;
  value?: PryzmValue;
  code?: CoercionCode;
  note?: RegExp;
  options?: Partial<PullCoercionOptions>;
}

// Every attribute type against each Salesforce field type it can be filled from; `raw` is what
// REST JSON (native types) or a Bulk 2.0 CSV row (all text) carries.
const wide = { ...a.text, maxLength: 255 };

const rows: Row[] = [
  // text
  { attribute: a.text, field: p('Name'), raw: 'Acme', value: 'Acme' },
  { attribute: a.text, field: p('Name'), raw: '', value: null },
  { attribute: a.text, field: p('Name'), raw: null, value: null },
  { attribute: a.text, field: p('Name'), raw: '   ', value: null },
  { attribute: a.text, field: p('Name'), raw: 'Acme Corporation', code: 'too_long' },
  { attribute: a.text, field: p('Summary__c'), raw: ' spaced ', value: ' spaced ' },
  { attribute: a.text, field: p('Seats__c'), raw: 42, value: '42' },
  { attribute: a.text, field: p('Score__c'), raw: '3.5', value: '3.5' },
  { attribute: a.text, field: p('Active__c'), raw: true, value: 'true' },
  { attribute: a.text, field: p('Status__c'), raw: 'Done', value: 'Done' },
  { attribute: a.text, field: p('Tags__c'), raw: 'Alpha;Beta', value: 'Alpha;Beta' },
  { attribute: a.text, field: p('Start_Date__c'), raw: '2026-01-31', value: '2026-01-31' },
  {
    attribute: { ...a.text, maxLength: 40 },
    field: p('Kickoff__c'),
    raw: '2026-01-31T23:30:00.000+0000',
    value: '2026-01-31T23:30:00.000Z',
  },
  {
    attribute: { ...a.text, maxLength: 18 },
    field: p('Account__c'),
    raw: ACCOUNT_ID,
    value: ACCOUNT_ID,
  },
  {
    attribute: a.text,
    field: fieldOf(contactDescribe, 'MailingAddress'),
    raw: {},
    code: 'incompatible_types',
  },
  { attribute: a.text, raw: { street: 'x' }, code: 'invalid_text' },
  // long text
  { attribute: a.longText, field: p('Notes__c'), raw: 'x'.repeat(5000), value: 'x'.repeat(5000) },
  { attribute: a.longText, field: p('Contact_Email__c'), raw: 'a@b.co', value: 'a@b.co' },
  { attribute: a.longText, field: p('Seats__c'), raw: 3, code: 'incompatible_types' },
  // number, currency, percent
  { attribute: a.number, field: p('Seats__c'), raw: 5, value: 5 },
  { attribute: a.number, field: p('Seats__c'), raw: '5', value: 5 },
  { attribute: a.number, field: p('Score__c'), raw: '1234.50', value: 1234.5 },
  { attribute: a.number, field: p('Score__c'), raw: '-0.25', value: -0.25 },
  { attribute: a.number, field: p('Score__c'), raw: '1E3', value: 1000 },
  { attribute: a.number, field: p('Budget__c'), raw: 99.99, value: 99.99 },
  { attribute: a.number, field: p('Completion__c'), raw: 12.5, value: 12.5 },
  { attribute: a.number, field: p('Name'), raw: ' 12 ', value: 12 },
  { attribute: a.number, field: p('Name'), raw: '1,234', code: 'invalid_number' },
  { attribute: a.number, field: p('Name'), raw: 'abc', code: 'invalid_number' },
  { attribute: a.number, field: p('Seats__c'), raw: '', value: null },
  { attribute: a.number, field: p('Start_Date__c'), raw: '2026-01-01', code: 'incompatible_types' },
  { attribute: a.currency, field: p('Budget__c'), raw: 1234.56, value: 1234.56 },
  { attribute: a.currency, field: p('Budget__c'), raw: '1234.56', value: 1234.56 },
  {
    attribute: a.currency,
    field: fieldOf(opportunityDescribe, 'Amount'),
    raw: '250000.00',
    value: 250000,
  },
  { attribute: a.currency, field: p('Score__c'), raw: 3, value: 3 },
  { attribute: a.currency, field: p('Completion__c'), raw: 3, code: 'incompatible_types' },
  { attribute: a.percent, field: p('Completion__c'), raw: 12.5, value: 12.5 },
  {
    attribute: a.percent,
    field: fieldOf(opportunityDescribe, 'Probability'),
    raw: '90',
    value: 90,
  },
  { attribute: a.percent, field: p('Budget__c'), raw: 1, code: 'incompatible_types' },
  // date
  { attribute: a.date, field: p('Start_Date__c'), raw: '2026-01-31', value: '2026-01-31' },
  { attribute: a.date, field: p('Start_Date__c'), raw: '2026-02-30', code: 'invalid_date' },
  { attribute: a.date, field: p('Start_Date__c'), raw: '31/01/2026', code: 'invalid_date' },
  { attribute: a.date, field: p('Start_Date__c'), raw: '', value: null },
  {
    attribute: a.date,
    field: p('Kickoff__c'),
    raw: '2026-01-31T23:30:00.000+0000',
    value: '2026-01-31',
    note: /2026-01-31 in UTC/,
  },
  {
    attribute: a.date,
    field: p('Kickoff__c'),
    raw: '2026-01-31T23:30:00.000+0000',
    value: '2026-02-01',
    options: { timeZone: 'Europe/Paris' },
  },
  {
    attribute: a.date,
    field: p('Kickoff__c'),
    raw: '2026-02-01T03:30:00.000Z',
    value: '2026-01-31',
    options: { timeZone: 'America/Los_Angeles' },
  },
  {
    attribute: a.date,
    raw: '2026-01-31T23:30:00.000+0000',
    value: '2026-02-01',
    options: { timeZone: 'Asia/Tokyo' },
  },
  { attribute: a.date, field: p('Name'), raw: '2026-01-31', value: '2026-01-31' },
  // datetime
  {
    attribute: a.datetime,
    field: p('Kickoff__c'),
    raw: '2026-01-31T23:30:00.000+0000',
    value: '2026-01-31T23:30:00.000Z',
  },
  {
    attribute: a.datetime,
    field: p('Kickoff__c'),
    raw: '2026-01-31T23:30:00Z',
    value: '2026-01-31T23:30:00.000Z',
  },
  {
    attribute: a.datetime,
    field: p('Kickoff__c'),
    raw: '2026-02-01T05:00:00.000+05:30',
    value: '2026-01-31T23:30:00.000Z',
  },
  {
    attribute: a.datetime,
    field: p('Kickoff__c'),
    raw: '2026-13-01T00:00:00Z',
    code: 'invalid_datetime',
  },
  { attribute: a.datetime, field: p('Kickoff__c'), raw: '2026-01-31', code: 'invalid_datetime' },
  {
    attribute: a.datetime,
    field: p('Start_Date__c'),
    raw: '2026-01-31',
    value: '2026-01-30T23:00:00.000Z',
    options: { timeZone: 'Europe/Paris' },
    note: /midnight in Europe\/Paris/,
  },
  {
    attribute: a.datetime,
    field: p('Start_Date__c'),
    raw: '2026-07-01',
    value: '2026-06-30T22:00:00.000Z',
    options: { timeZone: 'Europe/Paris' },
  },
  {
    attribute: a.datetime,
    field: p('Start_Date__c'),
    raw: '2026-01-31',
    value: '2026-01-31T05:00:00.000Z',
    options: { timeZone: 'America/New_York' },
  },
  // boolean
  { attribute: a.boolean, field: p('Active__c'), raw: true, value: true },
  { attribute: a.boolean, field: p('Active__c'), raw: false, value: false },
  { attribute: a.boolean, field: p('Active__c'), raw: 'true', value: true },
  { attribute: a.boolean, field: p('Active__c'), raw: 'FALSE', value: false },
  { attribute: a.boolean, field: p('Active__c'), raw: '1', value: true },
  { attribute: a.boolean, field: p('Active__c'), raw: '', value: null },
  { attribute: a.boolean, field: p('Active__c'), raw: 'yes', code: 'invalid_boolean' },
  { attribute: a.boolean, field: p('Name'), raw: 'false', value: false },
  { attribute: a.boolean, field: p('Seats__c'), raw: 1, code: 'incompatible_types' },
  // select
  { attribute: a.select, field: p('Status__c'), raw: 'Done', value: 'Done' },
  {
    attribute: a.select,
    field: p('Status__c'),
    raw: 'in progress',
    value: 'In Progress',
    note: /ignoring case/,
  },
  { attribute: a.select, field: p('Status__c'), raw: 'Cancelled', code: 'unknown_picklist_value' },
  {
    attribute: a.select,
    field: p('Status__c'),
    raw: 'Cancelled',
    value: 'dropped',
    options: { valueMap: [{ salesforce: 'Cancelled', pryzm: 'dropped' }] },
  },
  {
    attribute: a.select,
    field: p('Status__c'),
    raw: 'Cancelled',
    code: 'unknown_picklist_value',
    options: { valueMap: [{ salesforce: 'Cancelled', pryzm: 'gone' }] },
  },
  { attribute: a.select, field: p('Name'), raw: 'Planned', value: 'Planned' },
  { attribute: a.select, field: p('Status__c'), raw: '', value: null },
  { attribute: a.select, field: p('Tags__c'), raw: 'Alpha', code: 'incompatible_types' },
  // multi-select
  { attribute: a.multiSelect, field: p('Tags__c'), raw: 'Alpha;Beta', value: ['Alpha', 'Beta'] },
  {
    attribute: a.multiSelect,
    field: p('Tags__c'),
    raw: 'Alpha; Gamma ;',
    value: ['Alpha', 'Gamma'],
  },
  { attribute: a.multiSelect, field: p('Tags__c'), raw: 'Beta;Beta', value: ['Beta'] },
  { attribute: a.multiSelect, field: p('Tags__c'), raw: '', value: [] },
  { attribute: a.multiSelect, field: p('Tags__c'), raw: null, value: [] },
  {
    attribute: a.multiSelect,
    field: p('Tags__c'),
    raw: 'Alpha;Omega',
    code: 'unknown_picklist_value',
  },
  {
    attribute: a.multiSelect,
    field: p('Tags__c'),
    raw: 'Alpha;Delta',
    value: ['Alpha', 'delta'],
    options: { valueMap: [{ salesforce: 'Delta', pryzm: 'delta' }] },
  },
  { attribute: a.multiSelect, field: p('Priority__c'), raw: 'Beta', value: ['Beta'] },
  // email, phone, url
  {
    attribute: a.email,
    field: p('Contact_Email__c'),
    raw: ' Jane.Doe@Example.COM ',
    value: 'Jane.Doe@example.com',
  },
  { attribute: a.email, field: p('Contact_Email__c'), raw: 'mailto:a@b.io', value: 'a@b.io' },
  { attribute: a.email, field: p('Contact_Email__c'), raw: 'not-an-email', code: 'invalid_email' },
  { attribute: a.email, field: p('Name'), raw: 'x@y.org', value: 'x@y.org' },
  { attribute: a.email, field: p('Hotline__c'), raw: 'x@y.org', code: 'incompatible_types' },
  {
    attribute: a.phone,
    field: p('Hotline__c'),
    raw: ' +1 (415)  555-0100 ',
    value: '+1 (415) 555-0100',
  },
  {
    attribute: a.phone,
    field: p('Hotline__c'),
    raw: '555-0100 ext. 12',
    value: '555-0100 ext. 12',
  },
  { attribute: a.phone, field: p('Hotline__c'), raw: 'call me', code: 'invalid_phone' },
  { attribute: a.phone, field: p('Hotline__c'), raw: '12', code: 'invalid_phone' },
  { attribute: a.url, field: p('Site__c'), raw: 'www.acme.com', value: 'https://www.acme.com' },
  { attribute: a.url, field: p('Site__c'), raw: 'HTTP://acme.com/x', value: 'http://acme.com/x' },
  { attribute: a.url, field: p('Site__c'), raw: 'javascript:alert(1)', code: 'invalid_url' },
  { attribute: a.url, field: p('Site__c'), raw: 'not a url', code: 'invalid_url' },
  { attribute: a.url, field: p('Site__c'), raw: 'intranet', code: 'invalid_url' },
  // reference
  { attribute: a.reference, field: p('Account__c'), raw: ACCOUNT_ID, value: 'org_1' },
  {
    attribute: a.reference,
    field: p('Account__c'),
    raw: '001000000000002AAA',
    code: 'parent_not_linked',
  },
  { attribute: a.reference, field: p('Account__c'), raw: 'nope', code: 'invalid_reference' },
  { attribute: a.reference, field: p('Account__c'), raw: null, value: null },
  { attribute: a.reference, field: p('Name'), raw: ACCOUNT_ID, code: 'incompatible_types' },
  // the remaining pairs of the compatibility table
  { attribute: wide, field: synthetic('encryptedstring'), raw: 'secret', value: 'secret' },
  { attribute: wide, field: synthetic('combobox'), raw: 'Other', value: 'Other' },
  { attribute: wide, field: synthetic('long'), raw: 9007199254740991, value: '9007199254740991' },
  { attribute: wide, field: p('Budget__c'), raw: 1234.5, value: '1234.5' },
  { attribute: wide, field: p('Completion__c'), raw: '12.5', value: '12.5' },
  { attribute: wide, field: p('Contact_Email__c'), raw: 'A@b.io', value: 'A@b.io' },
  { attribute: wide, field: p('Hotline__c'), raw: '555 0100', value: '555 0100' },
  { attribute: wide, field: p('Site__c'), raw: 'acme.com', value: 'acme.com' },
  { attribute: wide, field: synthetic('id'), raw: ACCOUNT_ID, value: ACCOUNT_ID },
  { attribute: wide, field: synthetic('time'), raw: '13:30:00.000Z', value: '13:30:00.000Z' },
  { attribute: a.longText, field: p('Name'), raw: 'Acme', value: 'Acme' },
  { attribute: a.longText, field: synthetic('encryptedstring'), raw: 'secret', value: 'secret' },
  { attribute: a.longText, field: synthetic('combobox'), raw: 'Other', value: 'Other' },
  { attribute: a.longText, field: p('Hotline__c'), raw: '555 0100', value: '555 0100' },
  { attribute: a.longText, field: p('Site__c'), raw: 'acme.com', value: 'acme.com' },
  { attribute: a.longText, field: p('Status__c'), raw: 'Done', value: 'Done' },
  { attribute: a.longText, field: p('Tags__c'), raw: 'Alpha;Beta', value: 'Alpha;Beta' },
  {
    attribute: a.number,
    field: synthetic('long'),
    raw: '9007199254740991',
    value: 9007199254740991,
  },
  { attribute: a.currency, field: p('Seats__c'), raw: 3, value: 3 },
  { attribute: a.currency, field: synthetic('long'), raw: '4', value: 4 },
  { attribute: a.currency, field: p('Name'), raw: '12.50', value: 12.5 },
  { attribute: a.percent, field: p('Score__c'), raw: 0.5, value: 0.5 },
  { attribute: a.percent, field: p('Seats__c'), raw: 50, value: 50 },
  { attribute: a.percent, field: synthetic('long'), raw: '50', value: 50 },
  { attribute: a.percent, field: p('Name'), raw: '12.5', value: 12.5 },
  { attribute: a.percent, field: p('Name'), raw: '12.5%', code: 'invalid_number' },
  {
    attribute: a.datetime,
    field: p('Name'),
    raw: '2026-01-31T23:30:00.000+0000',
    value: '2026-01-31T23:30:00.000Z',
  },
  { attribute: a.select, field: synthetic('combobox'), raw: 'Done', value: 'Done' },
  { attribute: a.multiSelect, field: p('Name'), raw: 'Alpha;Beta', value: ['Alpha', 'Beta'] },
  { attribute: a.multiSelect, field: p('Summary__c'), raw: 'Gamma', value: ['Gamma'] },
  { attribute: a.phone, field: p('Name'), raw: '+1 555 0100', value: '+1 555 0100' },
  { attribute: a.url, field: p('Name'), raw: 'acme.com/about', value: 'https://acme.com/about' },
];

describe('coerceToPryzm', () => {
  it.each(
    rows.map((row) => [
      `${row.attribute.type} ← ${row.field?.type ?? 'no describe'} ${JSON.stringify(row.raw)}`,
      row,
    ]),
  )('%s', (_name, row) => {
    const result = coerceToPryzm(row.raw, row.attribute, row.field, {
      timeZone: 'UTC',
      resolveReference: (id) => linked[id],
      ...row.options,
    });
    expectCoerced(result, row);
  });

  itCoversEveryCompatiblePair(rows, 'pull');

  // Empty Salesforce values on every pair of the table (REST null, an empty Bulk CSV cell,
  // blank text): the attribute is emptied, a multi-select to [].
  it.each(
    compatiblePairs('pull').map(
      ([attribute, fieldType]) =>
        [`${attribute.type} ← ${fieldType}`, attribute, fieldType] as const,
    ),
  )('empty %s', (_name, attribute, fieldType) => {
    for (const raw of [null, undefined, '', '  ']) {
      expect(coerceToPryzm(raw, attribute, synthetic(fieldType), { timeZone: 'UTC' })).toEqual({
        ok: true,
        value: attribute.type === 'multi_select' ? [] : null,
      });
    }
  });
});
