import { describe, expect, it } from 'vitest';
import type { DecodedEvent } from '../../salesforce/pubsub/pubsub-client.ts';
import { decodeChanges } from './change-events.ts';

const INTEGRATION = '005000000000002AAA';
const SELLER = '005000000000003AAA';

const event = (payload: Record<string, unknown>): DecodedEvent => ({
  replayId: Buffer.alloc(8),
  eventId: 'e',
  schemaId: 's',
  payload,
});

const cdc = (
  changeType: string,
  recordIds: string[],
  commitUser = SELLER,
  entityName = 'Account',
) => event({ ChangeEventHeader: { entityName, recordIds, changeType, commitUser } });

const flows = (id: string, changeType: string, createdBy = SELLER) =>
  event({
    CreatedById: createdBy,
    pryzm__Record_Id__c: id,
    pryzm__Object_Name__c: 'Account',
    pryzm__Change_Type__c: changeType,
  });

const ids = (set: Set<string> | undefined) => [...(set ?? [])];

describe('what a batch of change events asks for', () => {
  it('groups flows events per object, the newest event about a record deciding', () => {
    const changes = decodeChanges(
      [flows('001A', 'UPDATE'), flows('001B', 'CREATE'), flows('001A', 'DELETE')],
      { changeSource: 'flows', integrationUserId: INTEGRATION },
    );
    const account = changes.byObject.get('Account');
    expect(ids(account?.upserts)).toEqual(['001B']);
    expect(ids(account?.deletes)).toEqual(['001A']);
  });

  it("drops the connector's own changes: CreatedById under flows, commitUser under cdc", () => {
    const fromFlows = decodeChanges([flows('001A', 'UPDATE', INTEGRATION.slice(0, 15))], {
      changeSource: 'flows',
      integrationUserId: INTEGRATION,
    });
    expect(fromFlows.byObject.size).toBe(0);
    expect(fromFlows.echoes).toBe(1);
    const fromCdc = decodeChanges([cdc('UPDATE', ['001A'], INTEGRATION), cdc('UPDATE', ['001B'])], {
      changeSource: 'cdc',
      integrationUserId: INTEGRATION,
    });
    expect(ids(fromCdc.byObject.get('Account')?.upserts)).toEqual(['001B']);
    expect(fromCdc.echoes).toBe(1);
  });

  it('reads again what gap events name, whoever changed it, and reconciles on overflow', () => {
    const changes = decodeChanges(
      [
        cdc('GAP_UPDATE', ['001A', '001B'], ''),
        cdc('GAP_DELETE', ['001C'], ''),
        cdc('UNDELETE', ['001D']),
        cdc('GAP_OVERFLOW', [], '', 'Contact'),
      ],
      { changeSource: 'cdc', integrationUserId: INTEGRATION },
    );
    expect(ids(changes.byObject.get('Account')?.upserts)).toEqual(['001A', '001B', '001D']);
    expect(ids(changes.byObject.get('Account')?.deletes)).toEqual(['001C']);
    expect(changes.reconcile).toBe('overflow on Contact');
  });

  it('keeps when each cdc delete committed, to the second, until an undelete comes after it', () => {
    const at = (commitTimestamp: number, changeType: string, id: string) =>
      event({
        ChangeEventHeader: {
          entityName: 'Account',
          recordIds: [id],
          changeType,
          commitUser: SELLER,
          commitTimestamp,
        },
      });
    const changes = decodeChanges(
      [
        at(Date.UTC(2026, 11, 6, 10, 0, 5, 700), 'DELETE', '001A'),
        at(Date.UTC(2026, 11, 6, 10, 0, 6, 0), 'DELETE', '001B'),
        at(Date.UTC(2026, 11, 6, 10, 0, 7, 0), 'UNDELETE', '001B'),
      ],
      { changeSource: 'cdc', integrationUserId: INTEGRATION },
    );
    const account = changes.byObject.get('Account')!;
    expect([...account.deletedAt]).toEqual([['001A', new Date('2026-12-06T10:00:05.000Z')]]);
    expect(ids(account.upserts)).toEqual(['001B']);
    const fromFlows = decodeChanges(
      [
        event({
          ...flows('001C', 'DELETE').payload,
          CreatedDate: Date.UTC(2026, 11, 6, 10, 0, 9, 250),
        }),
      ],
      { changeSource: 'flows', integrationUserId: INTEGRATION },
    );
    expect([...fromFlows.byObject.get('Account')!.deletedAt]).toEqual([
      ['001C', new Date('2026-12-06T10:00:09.000Z')],
    ]);
  });
});
