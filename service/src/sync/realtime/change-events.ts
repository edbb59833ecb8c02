/**
 * What a batch of change events asks for, per object: records to read and apply, records
 * deleted, and whether a reconciliation pull must catch up. `flows` events are the package's
 * `Pryzm_Record_Change__e` (record id, object, change type); `cdc` events are Change Data
 * Capture events (`ChangeEventHeader`: entity, record ids, change type, commit user), including
 * gap events, which name records whose change could not be captured, and overflow events, which
 * name none (more than 100,000 changed at once).
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm
 */
import type { DecodedEvent } from '../../salesforce/pubsub/pubsub-client.ts';
import { eventTime, textField } from './package-events.ts';

export interface ObjectChanges {
  upserts: Set<string>;
  deletes: Set<string>;
  /**
   * When each delete happened, as the event says (a change event's `commitTimestamp`, the
   * package event's `CreatedDate`, published by the delete's own transaction), to the whole
   * second as Salesforce's `SystemModstamp` reads back: the link keeps it, so a pull's older
   * snapshot of the record does not bring it back.
   */
  deletedAt: Map<string, Date>;
}

export interface RecordChanges {
  byObject: Map<string, ObjectChanges>;
  /** Why a reconciliation pull must run (an overflow event), if it must. */
  reconcile: string | null;
  /** Events left out because the connector's own user made the change (echoes). */
  echoes: number;
}

interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: string;
  commitUser: string;
}

/** Whether two user ids (15 or 18 characters) name the same user. */
export const sameUser = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.slice(0, 15) === b.slice(0, 15);

export function decodeChanges(
  events: DecodedEvent[],
  options: { changeSource: 'flows' | 'cdc'; integrationUserId: string | null },
): RecordChanges {
  const changes: RecordChanges = { byObject: new Map(), reconcile: null, echoes: 0 };
  const note = (objectName: string, id: string, kind: 'upsert' | 'delete', at?: Date) => {
    let entry = changes.byObject.get(objectName);
    if (!entry) {
      entry = { upserts: new Set(), deletes: new Set(), deletedAt: new Map() };
      changes.byObject.set(objectName, entry);
    }
    // The newest event about a record decides: a delete after an update is a delete.
    (kind === 'delete' ? entry.upserts : entry.deletes).delete(id);
    (kind === 'delete' ? entry.deletes : entry.upserts).add(id);
    entry.deletedAt.delete(id);
    if (kind === 'delete' && at) entry.deletedAt.set(id, at);
  };
  for (const { payload } of events) {
    const time = eventTime(payload)?.getTime();
    const at = time && time > 0 ? new Date(time - (time % 1000)) : undefined;
    if (options.changeSource === 'flows') {
      // CreatedById is the user whose change fired the Flow, set by the platform.
      if (sameUser(payload['CreatedById'] as string, options.integrationUserId)) {
        changes.echoes += 1;
        continue;
      }
      const recordId = textField(payload, 'Record_Id__c');
      const objectName = textField(payload, 'Object_Name__c');
      if (!recordId || !objectName) continue;
      const changeType = (textField(payload, 'Change_Type__c') ?? 'UPDATE').toUpperCase();
      note(objectName, recordId, changeType === 'DELETE' ? 'delete' : 'upsert', at);
      continue;
    }
    const header = payload['ChangeEventHeader'] as ChangeEventHeader | undefined;
    if (!header) continue;
    if (header.changeType === 'GAP_OVERFLOW') {
      changes.reconcile = `overflow on ${header.entityName}`;
      continue;
    }
    // Gap events carry no commit user: the connector refetches what they name whoever changed it.
    if (
      !header.changeType.startsWith('GAP_') &&
      sameUser(header.commitUser, options.integrationUserId)
    ) {
      changes.echoes += 1;
      continue;
    }
    // An UNDELETE brings the record back: it is read again like a CREATE.
    const kind = /^(GAP_)?DELETE$/.test(header.changeType) ? 'delete' : 'upsert';
    for (const id of header.recordIds) note(header.entityName, id, kind, at);
  }
  return changes;
}
