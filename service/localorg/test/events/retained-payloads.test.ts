/**
 * Retained event payloads: encoded side by side into shared slabs, byte for byte what avsc's
 * `toBuffer` gives; a custom channel's enriched event reuses the change event's bytes when they
 * would be the same, and carries each record's own values when they would not.
 */
import { describe, expect, it } from 'vitest';
import type { RecordChange, StoredRecord } from '../../src/core/contracts.ts';
import { EventBus } from '../../src/events/event-bus.ts';
import { PayloadSlabs } from '../../src/events/payload-slab.ts';
import { accountDescribe } from '../pubsub/support/describes.ts';
import { MemoryHost } from '../pubsub/support/memory-host.ts';

const USER = '005000000000001AAA';
const CHANNEL = '/data/Pryzm_Changes__chn';

function account(id: string, fields: Record<string, string | null>): StoredRecord {
  return { Id: id, IsDeleted: false, Name: 'Acme', ...fields };
}

function started(): { host: MemoryHost; bus: EventBus } {
  const host = new MemoryHost(undefined, [accountDescribe]);
  const bus = new EventBus(host, {
    cdc: {
      channels: [
        {
          name: 'Pryzm_Changes__chn',
          members: [{ objectName: 'Account', enrichedFields: ['Pryzm_ID__c'] }],
        },
      ],
    },
  });
  bus.start();
  return { host, bus };
}

function payloads(bus: EventBus, host: MemoryHost, topicName: string): Buffer[] {
  const log = bus.log(host.orgId, topicName);
  return log.readAfter(log.earliestPosition(), 10_000).map((e) => e.payload);
}

describe('payload slabs', () => {
  it('encodes each value to the bytes toBuffer gives, across slab ends and past a slab', () => {
    const { host, bus } = started();
    const schema = bus.changeEventSchema(host.orgId, 'Account')!;
    const slabs = new PayloadSlabs();
    const header = (n: number) => ({
      entityName: 'Account',
      recordIds: [`001000000000${String(n).padStart(3, '0')}AAA`],
      changeType: 'UPDATE',
      changeOrigin: '',
      transactionKey: `key-${n}`,
      sequenceNumber: 1,
      commitTimestamp: 1_700_000_000_000 + n,
      commitNumber: n,
      commitUser: USER,
      nulledFields: [],
      diffFields: [],
      changedFields: ['0x02'],
    });
    const values = Array.from({ length: 1_500 }, (_, n) => ({
      ChangeEventHeader: header(n),
      // Some large enough that a slab of 64 KiB cannot hold them.
      Name: n % 500 === 7 ? 'x'.repeat(70_000 + n) : `Acme ${'y'.repeat(n % 300)}`,
    }));
    const encoded = values.map((value) => slabs.encode(schema.type, value));
    encoded.forEach((bytes, n) => {
      expect(bytes.equals(schema.type.toBuffer(values[n]))).toBe(true);
    });
    expect(() => slabs.encode(schema.type, { ChangeEventHeader: header(1), Name: 5 })).toThrow();
    expect(slabs.encode(schema.type, values[3]).equals(encoded[3]!)).toBe(true);
  });
});

describe('custom channel events', () => {
  it('reuses the change event of an update that sets the enriched field, record by record', () => {
    const { host, bus } = started();
    const changes = Array.from({ length: 200 }, (_, i): RecordChange => {
      const id = `001000000000${String(i).padStart(3, '0')}AAA`;
      return {
        objectName: 'Account',
        changeType: 'UPDATE',
        recordId: id,
        changedFields: ['Pryzm_ID__c', 'LastModifiedDate'],
        nulledFields: [],
        after: account(id, {
          Pryzm_ID__c: `pz-${i}`,
          LastModifiedDate: '2026-01-02T03:04:05.000+0000',
        }),
        before: account(id, { Pryzm_ID__c: null }),
      };
    });
    host.commit(USER, changes);
    const schema = bus.changeEventSchema(host.orgId, 'Account')!;
    const changeEvents = payloads(bus, host, '/data/AccountChangeEvent');
    const channelEvents = payloads(bus, host, CHANNEL);
    expect(changeEvents).toHaveLength(200);
    expect(channelEvents).toHaveLength(200);
    channelEvents.forEach((bytes, i) => {
      expect(bytes.equals(changeEvents[i]!)).toBe(true);
      const decoded = schema.type.fromBuffer(bytes) as Record<string, unknown>;
      expect(decoded['Pryzm_ID__c']).toBe(`pz-${i}`);
      expect(schema.type.toBuffer(decoded).equals(bytes)).toBe(true);
    });
  });

  it("splits a merged event per record on the channel, each with its record's enriched value", () => {
    const { host, bus } = started();
    const ids = ['001000000000001AAA', '001000000000002AAA', '001000000000003AAA'];
    host.commit(
      USER,
      ids.map((id, i): RecordChange => ({
        objectName: 'Account',
        changeType: 'UPDATE',
        recordId: id,
        changedFields: ['Name'],
        nulledFields: [],
        after: account(id, { Name: 'Renamed', Pryzm_ID__c: `pz-${i}` }),
        before: account(id, { Pryzm_ID__c: `pz-${i}` }),
      })),
    );
    const schema = bus.changeEventSchema(host.orgId, 'Account')!;
    const decode = (bytes: Buffer) => schema.type.fromBuffer(bytes) as Record<string, unknown>;
    const [merged, ...more] = payloads(bus, host, '/data/AccountChangeEvent').map(decode);
    expect(more).toHaveLength(0);
    expect(merged!['ChangeEventHeader']).toMatchObject({ recordIds: ids });
    expect(merged!['Pryzm_ID__c']).toBeNull();
    const split = payloads(bus, host, CHANNEL).map(decode);
    expect(split.map((e) => (e['ChangeEventHeader'] as { recordIds: string[] }).recordIds)).toEqual(
      ids.map((id) => [id]),
    );
    expect(split.map((e) => [e['Name'], e['Pryzm_ID__c']])).toEqual([
      ['Renamed', 'pz-0'],
      ['Renamed', 'pz-1'],
      ['Renamed', 'pz-2'],
    ]);
  });
});
