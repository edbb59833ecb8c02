/**
 * Change event schemas, bitmap fields and event building, checked against a real
 * AccountChangeEvent as Salesforce's Node client decoded it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RecordChange, StoredRecord, WriteTransaction } from '../../src/core/contracts.ts';
import { buildChangeEventSchema, buildPlatformEventSchema } from '../../src/events/avro-schemas.ts';
import { buildChangeEvents, buildGapEvent } from '../../src/events/change-events.ts';
import { EventLog } from '../../src/events/event-log.ts';
import { decodeFieldBitmap, encodeFieldBitmap } from '../../src/events/field-bitmap.ts';
import { accountDescribe, recordChangeEventDescribe } from '../pubsub/support/describes.ts';

const real = JSON.parse(
  readFileSync(new URL('./fixtures/AccountChangeEvent.decoded.json', import.meta.url), 'utf8'),
) as { payload: Record<string, unknown> & { ChangeEventHeader: Record<string, unknown> } };

const schema = buildChangeEventSchema(accountDescribe);

function tx(changes: RecordChange[]): WriteTransaction {
  return {
    orgId: '00D000000000001AAA',
    userId: '005000000000001AAA',
    transactionKey: '0000abcd-0000-0000-0000-000000000001',
    commitTimestamp: 1_700_000_000_000,
    changeOrigin: 'com/salesforce/api/rest/63.0',
    changes,
  };
}

function account(id: string, fields: Record<string, string | number | null> = {}): StoredRecord {
  return { Id: id, IsDeleted: false, Name: 'Acme', ...fields };
}

describe('change event schema', () => {
  it('has the real event fields in the real order, header first', () => {
    const packageFields = ['Pryzm_ID__c'];
    expect(schema.fields.map((f) => f.name)).toEqual([
      ...Object.keys(real.payload),
      ...packageFields,
    ]);
    const address = JSON.parse(schema.json).fields[4].type[1] as {
      name: string;
      fields: { name: string }[];
    };
    expect(address.name).toBe('Address');
    expect(address.fields.map((f) => f.name)).toEqual(
      Object.keys(real.payload['BillingAddress'] as object),
    );
    const header = JSON.parse(schema.json).fields[0].type as { fields: { name: string }[] };
    expect(header.fields.map((f) => f.name)).toEqual(Object.keys(real.payload.ChangeEventHeader));
  });

  it('encodes the real event and decodes it unchanged', () => {
    const header = { ...real.payload.ChangeEventHeader };
    header['changedFields'] = encodeFieldBitmap(schema.fields, header['changedFields'] as string[]);
    const decoded = schema.type.fromBuffer(
      schema.type.toBuffer({ ...real.payload, ChangeEventHeader: header, Pryzm_ID__c: null }),
    ) as Record<string, unknown>;
    expect(decoded['BillingAddress']).toEqual(real.payload['BillingAddress']);
    expect(decoded['LastModifiedDate']).toBe(1696444513000);
  });

  it('gives platform events CreatedDate, CreatedById and their custom fields as nullable unions', () => {
    const json = buildPlatformEventSchema(recordChangeEventDescribe).json;
    // Key order as Salesforce sends it: name, namespace, type, fields, uuid.
    expect(Object.keys(JSON.parse(json) as object)).toEqual([
      'name',
      'namespace',
      'type',
      'fields',
      'uuid',
    ]);
    const event = JSON.parse(json) as { fields: unknown[] };
    expect(event.fields.slice(0, 3)).toEqual([
      { name: 'CreatedDate', type: 'long', doc: 'CreatedDate:DateTime' },
      { name: 'CreatedById', type: 'string', doc: 'CreatedBy:EntityId' },
      { name: 'Change_Type__c', type: ['null', 'string'], default: null },
    ]);
  });
});

describe('bitmap fields', () => {
  it('round-trips the real changedFields, compound components in the nested form', () => {
    const names = real.payload.ChangeEventHeader['changedFields'] as string[];
    const bitmaps = encodeFieldBitmap(schema.fields, names);
    expect(bitmaps).toEqual(['0x400000', '4-0x06']);
    expect(decodeFieldBitmap(schema.fields, bitmaps)).toEqual(names);
  });

  it('takes object field names for compound components and leaves out fields not in the event', () => {
    expect(encodeFieldBitmap(schema.fields, ['BillingCity', 'SystemModstamp', 'Name'])).toEqual([
      '0x02',
      '4-0x02',
    ]);
    expect(encodeFieldBitmap(schema.fields, [])).toEqual([]);
  });
});

describe('building change events', () => {
  it('sends every populated field on CREATE and only changed ones on UPDATE', () => {
    const before = account('001000000000001AAA', { Phone: '1', Industry: 'Energy' });
    const after = { ...before, Phone: '2', Industry: null };
    const [created] = buildChangeEvents(
      tx([
        {
          objectName: 'Account',
          changeType: 'CREATE',
          recordId: before.Id,
          changedFields: ['Name', 'Phone'],
          nulledFields: [],
          after: before,
          before: undefined,
        },
      ]),
      () => schema,
      42,
    );
    const [updated] = buildChangeEvents(
      tx([
        {
          objectName: 'Account',
          changeType: 'UPDATE',
          recordId: before.Id,
          changedFields: ['Phone', 'Industry'],
          nulledFields: ['Industry'],
          after,
          before,
        },
      ]),
      () => schema,
      43,
    );
    expect(created!.payload).toMatchObject({ Name: 'Acme', Phone: '1', Industry: 'Energy' });
    expect(created!.payload['ChangeEventHeader']).toMatchObject({
      changeType: 'CREATE',
      changedFields: [],
      sequenceNumber: 1,
      commitNumber: 42,
    });
    expect(updated!.payload).toMatchObject({ Name: null, Phone: '2', Industry: null });
    const header = updated!.payload['ChangeEventHeader'] as {
      changedFields: string[];
      nulledFields: string[];
      sequenceNumber: number;
    };
    expect(decodeFieldBitmap(schema.fields, header.changedFields)).toEqual(['Phone', 'Industry']);
    expect(decodeFieldBitmap(schema.fields, header.nulledFields)).toEqual(['Industry']);
    expect(header.sequenceNumber).toBe(1);
  });

  it('sends every populated field on UNDELETE, with no changed fields', () => {
    const restored = account('001000000000003AAA', { Phone: '3' });
    const [event] = buildChangeEvents(
      tx([
        {
          objectName: 'Account',
          changeType: 'UNDELETE',
          recordId: restored.Id,
          changedFields: ['IsDeleted'],
          nulledFields: [],
          after: restored,
          before: { ...restored, IsDeleted: true },
        },
      ]),
      () => schema,
      7,
    );
    expect(event!.payload).toMatchObject({ Name: 'Acme', Phone: '3' });
    expect(event!.payload['ChangeEventHeader']).toMatchObject({
      changeType: 'UNDELETE',
      changedFields: [],
    });
  });

  it('sends a value its Avro type cannot hold as null', () => {
    const record = account('001000000000004AAA', {
      NumberOfEmployees: 'many',
      AnnualRevenue: 12.5,
    });
    const [event] = buildChangeEvents(
      tx([
        {
          objectName: 'Account',
          changeType: 'CREATE',
          recordId: record.Id,
          changedFields: [],
          nulledFields: [],
          after: record,
          before: undefined,
        },
      ]),
      () => schema,
      8,
    );
    expect(event!.payload).toMatchObject({ NumberOfEmployees: null, AnnualRevenue: 12.5 });
    expect(() => schema.type.toBuffer(event!.payload)).not.toThrow();
  });

  it('merges records changed the same way in one transaction into one event', () => {
    const deletes = ['001000000000001AAA', '001000000000002AAA'].map((id): RecordChange => ({
      objectName: 'Account',
      changeType: 'DELETE',
      recordId: id,
      changedFields: [],
      nulledFields: [],
      after: undefined,
      before: account(id),
    }));
    const events = buildChangeEvents(tx(deletes), () => schema, 1);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload['ChangeEventHeader']).toMatchObject({
      recordIds: ['001000000000001AAA', '001000000000002AAA'],
      changeType: 'DELETE',
    });
    expect(events[0]!.payload['Name']).toBeNull();
    const gap = buildGapEvent(schema, 'Account', 'GAP_UPDATE', ['001000000000001AAA'], {
      commitTimestamp: 1,
      commitNumber: 2,
      commitUser: '',
      transactionKey: 'k',
    });
    expect(() => schema.type.toBuffer(gap.payload)).not.toThrow();
  });
});

describe('several operations on one record in a transaction', () => {
  it('give one event of the first change type with the record as committed', () => {
    const created = account('001000000000005AAA', { Phone: '1' });
    const updated = { ...created, Phone: '2', Industry: 'Energy' };
    const other = account('001000000000006AAA', { Phone: '9' });
    const otherUpdated = { ...other, Phone: null, Website: 'https://example.com' };
    const otherFinal = { ...otherUpdated, Industry: 'Retail' };
    const events = buildChangeEvents(
      tx([
        {
          objectName: 'Account',
          changeType: 'CREATE',
          recordId: created.Id,
          changedFields: ['Name', 'Phone'],
          nulledFields: [],
          after: created,
          before: undefined,
        },
        {
          objectName: 'Account',
          changeType: 'UPDATE',
          recordId: other.Id,
          changedFields: ['Phone', 'Website'],
          nulledFields: ['Phone'],
          after: otherUpdated,
          before: other,
        },
        {
          objectName: 'Account',
          changeType: 'UPDATE',
          recordId: created.Id,
          changedFields: ['Phone', 'Industry'],
          nulledFields: [],
          after: updated,
          before: created,
        },
        {
          objectName: 'Account',
          changeType: 'UPDATE',
          recordId: other.Id,
          changedFields: ['Industry'],
          nulledFields: [],
          after: otherFinal,
          before: otherUpdated,
        },
      ]),
      () => schema,
      3,
    );
    expect(events).toHaveLength(2);
    const [create, update] = events;
    expect(create!.payload['ChangeEventHeader']).toMatchObject({
      changeType: 'CREATE',
      recordIds: [created.Id],
      changedFields: [],
      sequenceNumber: 1,
    });
    expect(create!.payload).toMatchObject({ Phone: '2', Industry: 'Energy' });
    const header = update!.payload['ChangeEventHeader'] as {
      changeType: string;
      changedFields: string[];
      nulledFields: string[];
    };
    expect(header.changeType).toBe('UPDATE');
    expect(decodeFieldBitmap(schema.fields, header.changedFields)).toEqual([
      'Phone',
      'Website',
      'Industry',
    ]);
    expect(decodeFieldBitmap(schema.fields, header.nulledFields)).toEqual(['Phone']);
    expect(update!.payload).toMatchObject({
      Phone: null,
      Website: 'https://example.com',
      Industry: 'Retail',
      Name: null,
    });
  });
});

describe('event log', () => {
  it('accepts the position a subscription reports on a topic that has no events yet', () => {
    const log = new EventLog(() => 2n, 500n);
    const reported = log.latestReplayId();
    expect(log.check(reported)).toBe('ok');
    log.append({ id: 'e1', schemaId: 's', payload: Buffer.alloc(0), publishedAt: 1000 });
    expect(log.check(reported)).toBe('ok');
    expect(log.readAfter(reported, 10).map((e) => e.id)).toEqual(['e1']);
    log.expireBefore(2000);
    expect(log.check(reported)).toBe('expired');
  });

  it('issues increasing, non-contiguous replay ids and refuses expired or unknown ones', () => {
    const log = new EventLog(() => 3n, 100n);
    const events = [1, 2, 3].map((n) =>
      log.append({ id: `e${n}`, schemaId: 's', payload: Buffer.alloc(0), publishedAt: n * 1000 }),
    );
    expect(events.map((e) => e.replayId)).toEqual([102n, 105n, 108n]);
    expect(log.readAfter(102n, 10).map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(log.check(150n)).toBe('unknown');
    expect(log.expireBefore(2500)).toBe(2);
    expect(log.check(105n)).toBe('expired');
    expect(log.check(106n)).toBe('ok');
    expect(log.readAfter(log.earliestPosition(), 10).map((e) => e.id)).toEqual(['e3']);
  });
});
