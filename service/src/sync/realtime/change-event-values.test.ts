import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  accountDescribe,
  contactDescribe,
  describeFor,
} from '../../mapping/__fixtures__/describes.ts';
import {
  defaultAccountMapping,
  defaultContactMapping,
  ORGANIZATION_RECORD_TYPE,
  PERSON_RECORD_TYPE,
} from '../../mapping/index.ts';
import type { MappedObject } from './apply-changes.ts';
import {
  componentField,
  decodeFieldBitmap,
  eventValues,
  schemaFields,
  type SchemaField,
} from './change-event-values.ts';

const account: MappedObject = {
  mapping: defaultAccountMapping(),
  recordType: { ...ORGANIZATION_RECORD_TYPE, id: 'rt-org' },
  describe: accountDescribe,
  describeFor,
};
const contactMapping = defaultContactMapping();
const contact: MappedObject = {
  // Without the parent's name (Account.Name), which a CREATE's values cannot hold.
  mapping: {
    ...contactMapping,
    fields: contactMapping.fields.filter((field) => field.attribute !== 'organization_name'),
  },
  recordType: { ...PERSON_RECORD_TYPE, id: 'rt-person' },
  describe: contactDescribe,
  describeFor,
};

/** An AccountChangeEvent schema's fields, in schema order (the bitmaps count from here). */
const accountFields: SchemaField[] = [
  { name: 'ChangeEventHeader', components: null },
  { name: 'Name', components: null },
  { name: 'Website', components: null },
  { name: 'Industry', components: null },
  { name: 'Phone', components: null },
  { name: 'Description', components: null },
  { name: 'AnnualRevenue', components: null },
  { name: 'NumberOfEmployees', components: null },
  { name: 'OwnerId', components: null },
  { name: 'LastModifiedDate', components: null },
  {
    name: 'BillingAddress',
    components: ['Street', 'City', 'State', 'PostalCode', 'Country'],
  },
  { name: 'Pryzm_ID__c', components: null },
];
const contactFields: SchemaField[] = [
  { name: 'ChangeEventHeader', components: null },
  { name: 'Name', components: ['Salutation', 'FirstName', 'LastName'] },
  { name: 'AccountId', components: null },
  { name: 'Email', components: null },
  { name: 'Phone', components: null },
  { name: 'MobilePhone', components: null },
  { name: 'Title', components: null },
  { name: 'Description', components: null },
  { name: 'Birthdate', components: null },
  { name: 'HasOptedOutOfEmail', components: null },
  { name: 'LastModifiedDate', components: null },
];

const bitmap = (fields: SchemaField[], names: string[]) =>
  `0x${fields
    .reduce((bits, field, i) => (names.includes(field.name) ? bits | (1n << BigInt(i)) : bits), 0n)
    .toString(16)
    .toUpperCase()}`;

const header = (changeType: string, recordIds: string[], extra: Record<string, unknown> = {}) => ({
  entityName: 'Account',
  recordIds,
  changeType,
  commitUser: '005000000000003AAA',
  changedFields: [],
  nulledFields: [],
  diffFields: [],
  ...extra,
});

describe('the values a change event carries', () => {
  it('decodes bitmaps over the schema, compound components by their index', () => {
    expect(decodeFieldBitmap(accountFields, ['0x12'])).toEqual(['Name', 'Phone']);
    expect(decodeFieldBitmap(contactFields, ['0x0', '1-0x04'])).toEqual(['Name.LastName']);
    expect(decodeFieldBitmap(accountFields, ['0x00', '10-0x03'])).toEqual([
      'BillingAddress.Street',
      'BillingAddress.City',
    ]);
  });

  it('names the object field a compound component stands for', () => {
    expect(componentField('BillingAddress', 'City')).toBe('BillingCity');
    expect(componentField('Name', 'LastName')).toBe('LastName');
    expect(componentField('Site__c', 'Latitude')).toBe('Site__Latitude__s');
  });

  it('reads the fields of an Avro record type, compound ones with their components', () => {
    const type = {
      fields: [
        { name: 'ChangeEventHeader', type: { name: 'ChangeEventHeader', fields: [{ name: 'x' }] } },
        { name: 'Phone', type: { types: [{ typeName: 'null' }, { typeName: 'string' }] } },
        {
          name: 'Name',
          type: { types: [{}, { name: 'Name', fields: [{ name: 'FirstName' }] }] },
        },
      ],
    };
    expect(schemaFields(type)).toEqual([
      { name: 'ChangeEventHeader', components: null },
      { name: 'Phone', components: null },
      { name: 'Name', components: ['FirstName'] },
    ]);
  });

  it('gives an UPDATE the changed and nulled fields only, for every record it names', () => {
    const at = Date.UTC(2026, 11, 6, 12, 0, 0);
    const result = eventValues(
      {
        ChangeEventHeader: header('UPDATE', ['001A', '001B'], {
          changedFields: [bitmap(accountFields, ['Name', 'Phone', 'LastModifiedDate'])],
          nulledFields: [bitmap(accountFields, ['Phone'])],
        }),
        Name: 'Renamed',
        Phone: null,
        Industry: null,
        LastModifiedDate: at,
        Pryzm_ID__c: 'p-1',
      },
      accountFields,
      account,
    );
    expect(result).toEqual({
      kind: 'values',
      partial: true,
      rows: ['001A', '001B'].map((Id) => ({
        attributes: { type: 'Account' },
        Name: 'Renamed',
        Phone: null,
        LastModifiedDate: '2026-12-06T12:00:00.000+0000',
        Pryzm_ID__c: 'p-1',
        Id,
      })),
    });
  });

  it('reads back what the values cannot give', () => {
    const update = (changed: string[], extra: Record<string, unknown> = {}) =>
      eventValues(
        {
          ChangeEventHeader: header('UPDATE', ['001A'], {
            changedFields: [bitmap(accountFields, changed)],
            ...extra,
          }),
        },
        accountFields,
        account,
      ).kind;
    // The owner's email comes from the parent behind a lookup that changed.
    expect(update(['OwnerId'])).toBe('fetch');
    // A long text sent as a diff.
    expect(update(['Description'], { diffFields: [bitmap(accountFields, ['Description'])] })).toBe(
      'fetch',
    );
    expect(update(['Industry'])).toBe('values');
    // A CREATE holds no parent's values; an UNDELETE and gap events are read back too.
    for (const changeType of ['CREATE', 'UNDELETE', 'GAP_UPDATE']) {
      expect(
        eventValues({ ChangeEventHeader: header(changeType, ['001A']) }, accountFields, account)
          .kind,
      ).toBe('fetch');
    }
  });

  it('needs both halves of a full name, and takes a CREATE whole', () => {
    const lastOnly = eventValues(
      {
        ChangeEventHeader: header('UPDATE', ['003A'], { changedFields: ['0x0', '1-0x04'] }),
        Name: { Salutation: null, FirstName: null, LastName: 'Lovelace' },
      },
      contactFields,
      contact,
    );
    expect(lastOnly.kind).toBe('fetch');
    const created = eventValues(
      {
        ChangeEventHeader: header('CREATE', ['003A']),
        Name: { Salutation: null, FirstName: 'Ada', LastName: 'Lovelace' },
        AccountId: '001A',
        Email: 'ada@example.com',
        Birthdate: Date.UTC(1815, 11, 10),
      },
      contactFields,
      contact,
    );
    expect(created.kind).toBe('values');
    expect(created.kind === 'values' && created.rows[0]).toMatchObject({
      Id: '003A',
      FirstName: 'Ada',
      LastName: 'Lovelace',
      AccountId: '001A',
      Email: 'ada@example.com',
      Birthdate: '1815-12-10',
      Phone: null,
    });
  });

  it('reads a real AccountChangeEvent (a billing address change) into the fields it changed', () => {
    // Salesforce's own event as its Node client decoded it (bitmaps already turned into names),
    // kept with the local org's tests.
    const real = JSON.parse(
      readFileSync(
        new URL(
          '../../../localorg/test/events/fixtures/AccountChangeEvent.decoded.json',
          import.meta.url,
        ),
        'utf8',
      ),
    ) as { payload: Record<string, unknown> };
    const fields: SchemaField[] = Object.entries(real.payload).map(([name, value]) => ({
      name,
      components:
        name !== 'ChangeEventHeader' && value !== null && typeof value === 'object'
          ? Object.keys(value)
          : null,
    }));
    const field = (salesforceField: string, attribute: string) => ({
      kind: 'field' as const,
      salesforceField,
      attribute,
      direction: 'bidirectional' as const,
      readOnly: false,
    });
    const billing: MappedObject = {
      ...account,
      mapping: {
        ...account.mapping,
        fields: [
          field('Name', 'name'),
          field('BillingCity', 'city'),
          field('BillingState', 'state'),
        ],
      },
    };
    expect(eventValues(real.payload, fields, billing)).toEqual({
      kind: 'values',
      partial: true,
      rows: [
        {
          attributes: { type: 'Account' },
          Id: '0014H00002LbR7QQAV',
          BillingCity: 'San Francisco',
          BillingState: 'CA',
          LastModifiedDate: '2023-10-04T18:35:13.000+0000',
        },
      ],
    });
  });
});
