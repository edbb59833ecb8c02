/**
 * The record values a Change Data Capture event carries, as rows the pull's planner reads (API
 * field names, REST value formats), so `cdc` applies changes without reading records back.
 *
 * What Salesforce sends through the Pub/Sub API
 * (https://developer.salesforce.com/docs/platform/pub-sub-api/guide/event-deserialization-considerations.html,
 * https://developer.salesforce.com/docs/atlas.en-us.api_streaming.meta/api_streaming/cdc_event_diff_pubsub_cometd.htm,
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_header.htm):
 * - every field of the schema is in the payload; on UPDATE unchanged fields are null, so only
 *   `changedFields` say which values are real, and `nulledFields` which of them were set to null;
 *   on CREATE the payload holds the new record's values;
 * - `changedFields`, `nulledFields` and `diffFields` are bitmaps over the schema's fields: the
 *   first string covers top-level fields (bit i = field i), each further `<index>-0x<hex>` the
 *   components of the compound field at that index (Name, BillingAddress);
 * - `diffFields` name large text fields sent as a diff, not a value;
 * - `recordIds` may name several records that changed the same way in one transaction;
 * - date and date/time values are numbers (epoch milliseconds), times milliseconds after midnight;
 * - fields of a channel member's enrichment (`Pryzm_ID__c`) are sent in every event.
 * An event is applied from its values only when they hold every mapped field it changed; else
 * (a gap event, a field the event does not carry, a parent's field behind a changed lookup, half
 * a full name, a diff) its records are read back.
 */
import {
  effectiveDirection,
  resolveFieldPath,
  type FieldDescribe,
  type SalesforceRecord,
} from '../../mapping/index.ts';
import type { MappedObject } from './apply-changes.ts';

/** A top-level field of an event schema: a scalar, or a compound with its components. */
export interface SchemaField {
  name: string;
  components: string[] | null;
}

/** Reads the field list of a change event's Avro record type (an avsc `RecordType`). */
export function schemaFields(type: unknown): SchemaField[] {
  const fields = (type as { fields?: { name: string; type: unknown }[] }).fields ?? [];
  return fields.map((field) => {
    const branches = (field.type as { types?: unknown[] }).types ?? [field.type];
    const record = branches.find(
      (branch): branch is { fields: { name: string }[] } =>
        Array.isArray((branch as { fields?: unknown }).fields) &&
        (branch as { name?: string }).name !== 'ChangeEventHeader',
    );
    return {
      name: field.name,
      components:
        record && field.name !== 'ChangeEventHeader' ? record.fields.map((f) => f.name) : null,
    };
  });
}

/** Decodes bitmap strings to event field names: `Phone`, `BillingAddress.City`. */
export function decodeFieldBitmap(fields: readonly SchemaField[], bitmaps: readonly string[]) {
  const names: string[] = [];
  for (const bitmap of bitmaps) {
    const dash = bitmap.indexOf('-');
    if (dash < 0) {
      if (!/^0x[0-9a-f]*$/i.test(bitmap)) {
        // Field names rather than a bitmap (as Streaming API sends them): taken as they are.
        names.push(bitmap);
        continue;
      }
      const bits = BigInt(bitmap);
      fields.forEach((field, index) => {
        if ((bits >> BigInt(index)) & 1n) names.push(field.name);
      });
      continue;
    }
    const parent = fields[Number(bitmap.slice(0, dash))];
    if (!parent?.components) continue;
    const bits = BigInt(bitmap.slice(dash + 1));
    parent.components.forEach((component, index) => {
      if ((bits >> BigInt(index)) & 1n) names.push(`${parent.name}.${component}`);
    });
  }
  return names;
}

/**
 * The object field a compound's component stands for: `BillingAddress.City` is `BillingCity`,
 * `Name.LastName` is `LastName`, a custom geolocation `Site__c.Latitude` is `Site__Latitude__s`.
 */
export function componentField(compound: string, component: string): string {
  if (compound.endsWith('Address')) return `${compound.slice(0, -'Address'.length)}${component}`;
  if (compound.endsWith('__c')) return `${compound.slice(0, -'__c'.length)}__${component}__s`;
  return component;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** An event value in the form the REST API gives it (what the mapping core coerces from). */
function restValue(value: unknown, field: FieldDescribe | undefined): unknown {
  if (value === null || value === undefined || typeof value !== 'number' || !field) return value;
  switch (field.type) {
    case 'date':
      return new Date(value).toISOString().slice(0, 10);
    case 'datetime':
      return new Date(value).toISOString().replace('Z', '+0000');
    case 'time': {
      const ms = ((value % 86_400_000) + 86_400_000) % 86_400_000;
      const h = Math.floor(ms / 3_600_000);
      const m = Math.floor((ms % 3_600_000) / 60_000);
      const s = Math.floor((ms % 60_000) / 1000);
      return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}Z`;
    }
    default:
      return value;
  }
}

interface Header {
  recordIds: string[];
  changeType: string;
  changedFields?: string[];
  nulledFields?: string[];
  diffFields?: string[];
}

/** What one event gives for its records: their values, or that they must be read back. */
export type EventValues =
  { kind: 'values'; rows: SalesforceRecord[]; partial: boolean } | { kind: 'fetch' };

/** Object fields an event's values must hold for the mapping's pulled field to be known. */
function neededFields(object: MappedObject): { direct: string[][]; viaLookup: string[] } {
  const { mapping, describe, describeFor } = object;
  const direct: string[][] = [];
  const viaLookup: string[] = [];
  for (const field of mapping.fields) {
    if (!effectiveDirection(mapping.direction, field).pull) continue;
    if (field.kind === 'full_name') {
      direct.push([field.firstNameField, field.lastNameField]);
      continue;
    }
    const path = field.salesforceField;
    if (!path.includes('.')) {
      direct.push([path]);
      continue;
    }
    // A parent's field: known while the lookup to the parent is unchanged.
    const resolved = resolveFieldPath(describe, path, describeFor);
    const relationship = path.split('.')[0]!.toLowerCase();
    const lookup = describe.fields.find(
      (candidate) => candidate.relationshipName?.toLowerCase() === relationship,
    );
    viaLookup.push(lookup?.name ?? (resolved.ok ? resolved.apiPath : path));
  }
  return { direct, viaLookup };
}

/**
 * The rows an event's values give for its records (one per record id, the same values), or
 * `fetch` when they do not hold what the mapping pulls. `partial` rows (UPDATE) hold only the
 * changed fields: the planner leaves the others as they are.
 */
export function eventValues(
  payload: Record<string, unknown>,
  fields: readonly SchemaField[],
  object: MappedObject,
): EventValues {
  const header = payload['ChangeEventHeader'] as Header | undefined;
  if (!header || (header.changeType !== 'CREATE' && header.changeType !== 'UPDATE')) {
    return { kind: 'fetch' };
  }
  if (header.recordIds.some((id) => id.includes('*'))) return { kind: 'fetch' };
  const byName = new Map(object.describe.fields.map((f) => [f.name.toLowerCase(), f]));
  // By lower-case object field name: the field's name as the event spells it, and its value.
  const carried = new Map<string, { name: string; value: unknown }>();
  const carry = (name: string, value: unknown) =>
    carried.set(name.toLowerCase(), { name, value: value ?? null });
  for (const field of fields) {
    if (field.name === 'ChangeEventHeader') continue;
    const value = payload[field.name] ?? null;
    if (!field.components) {
      carry(field.name, value);
      continue;
    }
    const parts = (value ?? {}) as Record<string, unknown>;
    for (const component of field.components) {
      carry(componentField(field.name, component), parts[component]);
    }
  }
  const objectField = (eventName: string) => {
    const dot = eventName.indexOf('.');
    return (
      dot < 0 ? eventName : componentField(eventName.slice(0, dot), eventName.slice(dot + 1))
    ).toLowerCase();
  };
  const isCreate = header.changeType === 'CREATE';
  const changed = new Set(decodeFieldBitmap(fields, header.changedFields ?? []).map(objectField));
  const nulled = new Set(decodeFieldBitmap(fields, header.nulledFields ?? []).map(objectField));
  const diffed = new Set(decodeFieldBitmap(fields, header.diffFields ?? []).map(objectField));
  const { direct, viaLookup } = neededFields(object);
  for (const group of direct) {
    const names = group.map((name) => name.toLowerCase());
    if (names.some((name) => !carried.has(name) || diffed.has(name))) return { kind: 'fetch' };
    // Half a full name changed: the other half is not in the event.
    const touched = names.filter((name) => changed.has(name) || nulled.has(name));
    if (!isCreate && touched.length > 0 && touched.length < names.length) return { kind: 'fetch' };
  }
  for (const lookup of viaLookup) {
    if (isCreate || changed.has(lookup.toLowerCase())) return { kind: 'fetch' };
  }
  const values: Record<string, unknown> = {};
  for (const [name, { name: eventName, value }] of carried) {
    const field = byName.get(name);
    const apiName = field?.name ?? eventName;
    if (isCreate) {
      values[apiName] = restValue(value, field);
    } else if (nulled.has(name)) {
      values[apiName] = null;
    } else if (changed.has(name) || (value !== null && name.endsWith('pryzm_id__c'))) {
      // Enriched fields (`Pryzm_ID__c`) are sent with every event, changed or not.
      values[apiName] = restValue(value, field);
    }
  }
  const type = object.describe.name;
  return {
    kind: 'values',
    partial: !isCreate,
    rows: header.recordIds.map((id) => ({ attributes: { type }, ...values, Id: id })),
  };
}
