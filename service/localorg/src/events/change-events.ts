/**
 * Turns a committed write transaction into Change Data Capture events: one event per set of
 * records that changed the same way, with only the changed fields populated on UPDATE.
 */
import type { RecordChange, StoredRecord, WriteTransaction } from '../core/contracts.ts';
import { avroFieldValue, type CdcChangeType, type EventSchema } from './avro-schemas.ts';
import { encodeFieldBitmap } from './field-bitmap.ts';

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: CdcChangeType;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  nulledFields: string[];
  diffFields: string[];
  changedFields: string[];
}

export interface ChangeEvent {
  objectName: string;
  /** The Avro payload: `ChangeEventHeader` plus the record's fields (null when not sent). */
  payload: Record<string, unknown>;
  /** The record each id refers to (after the change, or before it for DELETE). */
  records: StoredRecord[];
}

function recordFields(schema: EventSchema, change: RecordChange): Record<string, unknown> {
  const record = change.after ?? change.before;
  const fields: Record<string, unknown> = {};
  for (const field of schema.fields) {
    if (field.kind === 'header') continue;
    if (change.changeType === 'DELETE' || !record) {
      fields[field.name] = null;
    } else if (change.changeType === 'UPDATE') {
      fields[field.name] = avroFieldValue(field, record, new Set(change.changedFields));
    } else {
      fields[field.name] = avroFieldValue(field, record);
    }
  }
  return fields;
}

/**
 * Several DML operations on one record inside a transaction give one change event, of the first
 * operation's change type, carrying the record as committed at the end (as Salesforce documents:
 * a record created and then updated in the same transaction yields one CREATE event).
 */
export function collapseRecordChanges(changes: RecordChange[]): RecordChange[] {
  const byRecord = new Map<string, RecordChange>();
  for (const change of changes) {
    const key = `${change.objectName}|${change.recordId}`;
    const first = byRecord.get(key);
    if (!first) {
      byRecord.set(key, change);
      continue;
    }
    const changed = [...new Set([...first.changedFields, ...change.changedFields])];
    const last = change.after ?? change.before;
    byRecord.set(key, {
      ...first,
      changedFields: changed,
      nulledFields: changed.filter((f) => last !== undefined && (last[f] ?? null) === null),
      after: first.changeType === 'DELETE' ? undefined : (change.after ?? first.after),
    });
  }
  return [...byRecord.values()];
}

/**
 * Builds the change events of one transaction for the objects `schemaFor` knows (the enabled
 * ones); `nextCommitNumber` hands out the org's increasing system change numbers.
 */
export function buildChangeEvents(
  tx: WriteTransaction,
  schemaFor: (objectName: string) => EventSchema | undefined,
  commitNumber: number,
): ChangeEvent[] {
  const groups = new Map<
    string,
    {
      change: RecordChange;
      schema: EventSchema;
      ids: string[];
      records: StoredRecord[];
      fields: Record<string, unknown>;
      changed: string[];
      nulled: string[];
    }
  >();
  for (const change of collapseRecordChanges(tx.changes)) {
    const schema = schemaFor(change.objectName);
    if (!schema) continue;
    const fields = recordFields(schema, change);
    const changed =
      change.changeType === 'UPDATE' ? encodeFieldBitmap(schema.fields, change.changedFields) : [];
    const nulled =
      change.changeType === 'UPDATE' ? encodeFieldBitmap(schema.fields, change.nulledFields) : [];
    const key = JSON.stringify([change.objectName, change.changeType, changed, nulled, fields]);
    const record = change.after ?? change.before ?? { Id: change.recordId, IsDeleted: false };
    const group = groups.get(key);
    if (group) {
      group.ids.push(change.recordId);
      group.records.push(record);
    } else {
      groups.set(key, {
        change,
        schema,
        ids: [change.recordId],
        records: [record],
        fields,
        changed,
        nulled,
      });
    }
  }
  let sequenceNumber = 0;
  return [...groups.values()].map((group) => {
    sequenceNumber += 1;
    const header: ChangeEventHeader = {
      entityName: group.change.objectName,
      recordIds: group.ids,
      changeType: group.change.changeType,
      changeOrigin: tx.changeOrigin,
      transactionKey: tx.transactionKey,
      sequenceNumber,
      commitTimestamp: tx.commitTimestamp,
      commitNumber,
      commitUser: tx.userId,
      nulledFields: group.nulled,
      diffFields: [],
      changedFields: group.changed,
    };
    return {
      objectName: group.change.objectName,
      payload: { ChangeEventHeader: header, ...group.fields },
      records: group.records,
    };
  });
}

/** A gap or overflow event: header only, every record field null. */
export function buildGapEvent(
  schema: EventSchema,
  objectName: string,
  changeType: CdcChangeType,
  recordIds: string[],
  base: Pick<
    ChangeEventHeader,
    'commitTimestamp' | 'commitNumber' | 'commitUser' | 'transactionKey'
  >,
): ChangeEvent {
  const payload: Record<string, unknown> = {
    ChangeEventHeader: {
      entityName: objectName,
      recordIds,
      changeType,
      changeOrigin: '',
      sequenceNumber: 1,
      nulledFields: [],
      diffFields: [],
      changedFields: [],
      ...base,
    } satisfies ChangeEventHeader,
  };
  for (const field of schema.fields) if (field.kind !== 'header') payload[field.name] = null;
  return { objectName, payload, records: [] };
}
