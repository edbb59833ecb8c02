/**
 * Turns a committed write transaction into Change Data Capture events: one event per set of
 * records that changed the same way, with only the changed fields populated on UPDATE.
 */
import type avro from 'avsc';
import type { RecordChange, StoredRecord, WriteTransaction } from '../core/contracts.ts';
import {
  avroFieldValue,
  toAvroValue,
  type CdcChangeType,
  type EventSchema,
  type SchemaField,
} from './avro-schemas.ts';
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

/**
 * What building an event needs of a schema, worked out once per schema instead of per record:
 * its data fields in order, a payload with all of them null to start each record's from, which
 * data fields each object field feeds (a scalar by its own name, a compound by its components'),
 * and the bitmaps of the field sets seen (a transaction of 200 updates sets the same fields 200
 * times).
 */
interface SchemaPlan {
  dataFields: Exclude<SchemaField, { kind: 'header' }>[];
  /** A new payload: the header unset, every data field null (avsc's record constructor). */
  emptyPayload: () => Record<string, unknown>;
  /** Object field name to the indexes in `dataFields` whose value it feeds. */
  feeds: Map<string, number[]>;
  bitmaps: Map<string, string[]>;
}

/** Distinct field sets whose bitmaps a schema keeps; past it the cache starts again. */
const MAX_CACHED_BITMAPS = 1_000;

const plans = new WeakMap<EventSchema, SchemaPlan>();

function planOf(schema: EventSchema): SchemaPlan {
  let plan = plans.get(schema);
  if (plan) return plan;
  const dataFields = schema.fields.filter(
    (field): field is Exclude<SchemaField, { kind: 'header' }> => field.kind !== 'header',
  );
  const feeds = new Map<string, number[]>();
  const feed = (name: string, index: number) => {
    const targets = feeds.get(name);
    if (!targets) feeds.set(name, [index]);
    else if (!targets.includes(index)) targets.push(index);
  };
  dataFields.forEach((field, index) => {
    if (field.kind === 'scalar') feed(field.name, index);
    else
      for (const component of field.components)
        if (component.sourceField) feed(component.sourceField, index);
  });
  // The schema's own record constructor gives every payload the same fixed shape, which a copy
  // of a template object with this many fields would not (and avsc then encodes it fastest).
  const Payload = (schema.type as avro.types.RecordType).recordConstructor as new () => Record<
    string,
    unknown
  >;
  plan = { dataFields, emptyPayload: () => new Payload(), feeds, bitmaps: new Map() };
  plans.set(schema, plan);
  return plan;
}

/** `encodeFieldBitmap` of a field set, kept per schema by the names in order. */
function bitmapOf(schema: EventSchema, plan: SchemaPlan, names: string[]): string[] {
  if (names.length === 0) return [];
  const key = names.join('\u0000');
  let bitmap = plan.bitmaps.get(key);
  if (!bitmap) {
    if (plan.bitmaps.size >= MAX_CACHED_BITMAPS) plan.bitmaps.clear();
    bitmap = encodeFieldBitmap(schema.fields, names);
    plan.bitmaps.set(key, bitmap);
  }
  return [...bitmap];
}

/**
 * The record's fields as the event carries them: none on DELETE, every one on CREATE and
 * UNDELETE, and on UPDATE only those fed by a changed field (the rest null).
 */
function recordFields(plan: SchemaPlan, change: RecordChange): Record<string, unknown> {
  const record = change.after ?? change.before;
  const fields = plan.emptyPayload();
  if (change.changeType === 'DELETE' || !record) return fields;
  if (change.changeType !== 'UPDATE') {
    for (const field of plan.dataFields) fields[field.name] = avroFieldValue(field, record);
    return fields;
  }
  let only: Set<string> | undefined;
  for (const name of change.changedFields) {
    const targets = plan.feeds.get(name);
    if (!targets) continue;
    for (const index of targets) {
      const field = plan.dataFields[index]!;
      if (field.kind === 'scalar') {
        fields[field.name] = toAvroValue(record[field.name], field.fieldType);
      } else {
        only ??= new Set(change.changedFields);
        fields[field.name] = avroFieldValue(field, record, only);
      }
    }
  }
  return fields;
}

/**
 * Changes that share this key give one event: the same object, change type, bitmaps and field
 * values (JSON of the populated fields by position, as equal as the JSON of all of them).
 */
function groupKey(
  plan: SchemaPlan,
  change: RecordChange,
  changed: string[],
  nulled: string[],
  fields: Record<string, unknown>,
): string {
  const populated: unknown[] = [];
  plan.dataFields.forEach((field, index) => {
    const value = fields[field.name];
    if (value !== null) populated.push(index, value);
  });
  return `${change.objectName}|${change.changeType}|${changed.join(',')}|${nulled.join(',')}|${JSON.stringify(populated)}`;
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
  const changes = collapseRecordChanges(tx.changes);
  for (const change of changes) {
    const schema = schemaFor(change.objectName);
    if (!schema) continue;
    const plan = planOf(schema);
    const fields = recordFields(plan, change);
    const changed =
      change.changeType === 'UPDATE' ? bitmapOf(schema, plan, change.changedFields) : [];
    const nulled =
      change.changeType === 'UPDATE' ? bitmapOf(schema, plan, change.nulledFields) : [];
    // A lone change needs no key: there is nothing to merge it with.
    const key =
      changes.length === 1 ? change.recordId : groupKey(plan, change, changed, nulled, fields);
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
      payload: Object.assign(group.fields, { ChangeEventHeader: header }),
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
