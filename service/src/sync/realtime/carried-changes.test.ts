import { describe, expect, it } from 'vitest';
import { accountDescribe, describeFor } from '../../mapping/__fixtures__/describes.ts';
import { defaultAccountMapping, ORGANIZATION_RECORD_TYPE } from '../../mapping/index.ts';
import type { DecodedEvent } from '../../salesforce/pubsub/pubsub-client.ts';
import type { MappedObject } from './apply-changes.ts';
import { carriedValues } from './carried-changes.ts';

const SELLER = '005000000000003AAA';
const INTEGRATION = '005000000000002AAA';

// Without the owner's email (a parent's field), so a CREATE's values are enough.
const mapping = defaultAccountMapping();
const account: MappedObject = {
  mapping: { ...mapping, fields: mapping.fields.filter((f) => f.attribute !== 'owner_email') },
  recordType: { ...ORGANIZATION_RECORD_TYPE, id: 'rt-org' },
  describe: accountDescribe,
  describeFor,
};
const objects = new Map([['account', account]]);

/** Avro record type fields of the test schema, in order (bit i = field i). */
const names = [
  'ChangeEventHeader',
  'Name',
  'Website',
  'Industry',
  'Phone',
  'Description',
  'AnnualRevenue',
  'NumberOfEmployees',
];
const schema = { fields: names.map((name) => ({ name, type: ['null', 'string'] })) };
const bitmap = (fields: string[]) =>
  `0x${fields.reduce((bits, f) => bits | (1n << BigInt(names.indexOf(f))), 0n).toString(16)}`;

const event = (
  changeType: string,
  ids: string[],
  values: Record<string, unknown> = {},
  commitUser = SELLER,
): DecodedEvent => ({
  replayId: Buffer.alloc(8),
  eventId: 'e',
  schemaId: 'schema-1',
  payload: {
    ChangeEventHeader: {
      entityName: 'Account',
      recordIds: ids,
      changeType,
      commitUser,
      changedFields: changeType === 'UPDATE' ? [bitmap(Object.keys(values))] : [],
      nulledFields: [],
      diffFields: [],
    },
    ...values,
  },
});

const carry = async (events: DecodedEvent[]) =>
  (await carriedValues(events, objects, async () => schema, INTEGRATION)).get('account')!;

describe('the values a batch of change events carries', () => {
  it('merges a later UPDATE into an earlier CREATE, which stays whole', async () => {
    const carried = await carry([
      event('CREATE', ['001A'], { Name: 'Acme', Industry: 'Energy' }),
      event('UPDATE', ['001A'], { Name: 'Acme Ltd' }),
    ]);
    expect(carried.rows.get('001A')).toMatchObject({ Name: 'Acme Ltd', Industry: 'Energy' });
    expect(carried.partial.has('001A')).toBe(false);
    expect(carried.fetch.size).toBe(0);
  });

  it('keeps UPDATEs partial, and merges them field by field', async () => {
    const carried = await carry([
      event('UPDATE', ['001A'], { Name: 'Acme Ltd' }),
      event('UPDATE', ['001A'], { Phone: '+1 555' }),
    ]);
    expect(carried.rows.get('001A')).toEqual({
      attributes: { type: 'Account' },
      Id: '001A',
      Name: 'Acme Ltd',
      Phone: '+1 555',
    });
    expect(carried.partial.has('001A')).toBe(true);
  });

  it('leaves out the connector’s own changes, reads back gap events, and forgets deletes', async () => {
    const carried = await carry([
      event('UPDATE', ['001A'], { Name: 'Echo' }, INTEGRATION),
      event('GAP_UPDATE', ['001B']),
      event('UPDATE', ['001B'], { Name: 'After The Gap' }),
      event('UPDATE', ['001C'], { Name: 'Gone' }),
      event('DELETE', ['001C']),
    ]);
    expect(carried.rows.has('001A')).toBe(false);
    expect([...carried.fetch]).toEqual(['001B']);
    expect(carried.rows.has('001B')).toBe(false);
    expect(carried.rows.has('001C')).toBe(false);
  });

  it('gives every record of a multi-record event the same values', async () => {
    const carried = await carry([event('UPDATE', ['001A', '001B'], { Industry: 'Energy' })]);
    expect(carried.rows.get('001A')).toMatchObject({ Id: '001A', Industry: 'Energy' });
    expect(carried.rows.get('001B')).toMatchObject({ Id: '001B', Industry: 'Energy' });
  });
});
