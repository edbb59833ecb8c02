/**
 * Avro schemas of platform events and change events, shaped as Salesforce's `GetSchema` returns
 * them: record in namespace `com.sforce.eventbus`, data fields as unions with null, compound
 * fields (addresses, names, geolocations) as nested records, dates as epoch milliseconds.
 */
import { createHash } from 'node:crypto';
import avro from 'avsc';
import type {
  FieldDescribe,
  FieldValue,
  SObjectDescribe,
  StoredRecord,
} from '../core/contracts.ts';

type AvroType = string | Record<string, unknown> | AvroType[];

interface AvroField {
  name: string;
  type: AvroType;
  doc?: string;
  default?: null;
}

/** One component of a compound field: its name inside the nested record and on the object. */
export interface CompoundComponent {
  name: string;
  sourceField: string;
  fieldType: FieldDescribe['type'];
}

/** How a top-level schema field maps to the object's fields. */
export type SchemaField =
  | { kind: 'header'; name: 'ChangeEventHeader' }
  | { kind: 'scalar'; name: string; fieldType: FieldDescribe['type'] }
  | { kind: 'compound'; name: string; components: CompoundComponent[] };

export interface EventSchema {
  id: string;
  /** The describe the schema was built from. */
  describe: SObjectDescribe;
  json: string;
  type: avro.Type;
  fields: SchemaField[];
}

const NAMESPACE = 'com.sforce.eventbus';

/** Fields Salesforce leaves out of change events. */
const CHANGE_EVENT_EXCLUDED = new Set([
  'Id',
  'IsDeleted',
  'MasterRecordId',
  'PhotoUrl',
  'SystemModstamp',
  'LastActivityDate',
  'LastViewedDate',
  'LastReferencedDate',
]);

export const CHANGE_TYPES = [
  'CREATE',
  'UPDATE',
  'DELETE',
  'UNDELETE',
  'GAP_CREATE',
  'GAP_UPDATE',
  'GAP_DELETE',
  'GAP_UNDELETE',
  'GAP_OVERFLOW',
  'SNAPSHOT',
] as const;
export type CdcChangeType = (typeof CHANGE_TYPES)[number];

const CHANGE_EVENT_HEADER: AvroField = {
  name: 'ChangeEventHeader',
  type: {
    type: 'record',
    name: 'ChangeEventHeader',
    fields: [
      { name: 'entityName', type: 'string' },
      { name: 'recordIds', type: { type: 'array', items: 'string' } },
      {
        name: 'changeType',
        type: { type: 'enum', name: 'ChangeType', symbols: [...CHANGE_TYPES] },
      },
      { name: 'changeOrigin', type: 'string' },
      { name: 'transactionKey', type: 'string' },
      { name: 'sequenceNumber', type: 'int' },
      { name: 'commitTimestamp', type: 'long' },
      { name: 'commitNumber', type: 'long' },
      { name: 'commitUser', type: 'string' },
      { name: 'nulledFields', type: { type: 'array', items: 'string' } },
      { name: 'diffFields', type: { type: 'array', items: 'string' } },
      { name: 'changedFields', type: { type: 'array', items: 'string' } },
    ],
  },
  doc: 'Data:ChangeEventHeader',
};

function avroPrimitive(type: FieldDescribe['type']): string {
  switch (type) {
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'int';
    case 'long':
    case 'date':
    case 'datetime':
    case 'time':
      return 'long';
    case 'double':
    case 'currency':
    case 'percent':
      return 'double';
    default:
      return 'string';
  }
}

function docFor(field: FieldDescribe): string {
  if (field.name === 'CreatedDate' || field.name === 'LastModifiedDate') {
    return `${field.name}:DateTime`;
  }
  if (field.name === 'CreatedById' || field.name === 'LastModifiedById') {
    return `${field.name.slice(0, -2)}:EntityId`;
  }
  const label =
    field.type === 'date' ? 'DateOnly' : field.type === 'datetime' ? 'DateTime' : field.type;
  return `Data:${label}`;
}

/** Schema ids are 22-character url-safe fingerprints of the schema, as on Salesforce. */
function fingerprint(json: string): string {
  return createHash('md5').update(json).digest('base64url');
}

function componentName(compound: FieldDescribe, component: FieldDescribe): string {
  const customGeo = /^(.*)__(Latitude|Longitude)__s$/.exec(component.name);
  if (customGeo) return customGeo[2]!;
  const prefix = compound.name.endsWith('Address') ? compound.name.slice(0, -'Address'.length) : '';
  return prefix && component.name.startsWith(prefix)
    ? component.name.slice(prefix.length)
    : component.name;
}

function compoundRecordName(compound: FieldDescribe): string {
  if (compound.type === 'address') return 'Address';
  if (compound.type === 'location') return 'Geolocation';
  return compound.name;
}

/** Builds the change event schema of an object from its describe. */
export function buildChangeEventSchema(describe: SObjectDescribe): EventSchema {
  const componentsOf = new Map<string, FieldDescribe[]>();
  for (const field of describe.fields) {
    const compound = field.compoundFieldName;
    if (typeof compound === 'string' && compound !== field.name) {
      componentsOf.set(compound, [...(componentsOf.get(compound) ?? []), field]);
    }
  }
  const componentNames = new Set([...componentsOf.values()].flat().map((f) => f.name));

  const avroFields: AvroField[] = [CHANGE_EVENT_HEADER];
  const fields: SchemaField[] = [{ kind: 'header', name: 'ChangeEventHeader' }];
  const definedRecords = new Set<string>();
  for (const field of describe.fields) {
    if (
      CHANGE_EVENT_EXCLUDED.has(field.name) ||
      field.calculated ||
      componentNames.has(field.name)
    ) {
      continue;
    }
    const components = componentsOf.get(field.name);
    if (components) {
      const parts: CompoundComponent[] = components.map((c) => ({
        name: componentName(field, c),
        sourceField: c.name,
        fieldType: c.type,
      }));
      if (field.type === 'address' && !parts.some((p) => p.name === 'Xyz')) {
        // Salesforce's Address record carries an internal Xyz component before GeocodeAccuracy.
        const at = parts.findIndex((p) => p.name === 'GeocodeAccuracy');
        const xyz: CompoundComponent = { name: 'Xyz', sourceField: '', fieldType: 'string' };
        parts.splice(at < 0 ? parts.length : at, 0, xyz);
      }
      const recordName = compoundRecordName(field);
      const recordType: AvroType = definedRecords.has(recordName)
        ? recordName
        : {
            type: 'record',
            name: recordName,
            fields: parts.map((p) => ({
              name: p.name,
              type: ['null', avroPrimitive(p.fieldType)],
              doc: `Data:${p.fieldType}`,
              default: null,
            })),
          };
      definedRecords.add(recordName);
      avroFields.push({
        name: field.name,
        type: ['null', recordType],
        doc: `Data:${field.type}`,
        default: null,
      });
      fields.push({ kind: 'compound', name: field.name, components: parts });
      continue;
    }
    avroFields.push({
      name: field.name,
      type: ['null', avroPrimitive(field.type)],
      doc: docFor(field),
      default: null,
    });
    fields.push({ kind: 'scalar', name: field.name, fieldType: field.type });
  }
  const name = describe.name.endsWith('__c')
    ? `${describe.name.slice(0, -3)}__ChangeEvent`
    : `${describe.name}ChangeEvent`;
  return finish(
    { name, namespace: NAMESPACE, type: 'record', fields: avroFields },
    fields,
    describe,
  );
}

/** Builds a platform event's schema: CreatedDate, CreatedById, then its custom fields. */
export function buildPlatformEventSchema(describe: SObjectDescribe): EventSchema {
  const custom = describe.fields.filter((f) => f.custom);
  const avroFields: AvroField[] = [
    { name: 'CreatedDate', type: 'long', doc: 'CreatedDate:DateTime' },
    { name: 'CreatedById', type: 'string', doc: 'CreatedBy:EntityId' },
    // Salesforce gives a platform event's custom fields no doc.
    ...custom.map((f) => ({ name: f.name, type: ['null', avroPrimitive(f.type)], default: null })),
  ];
  const fields: SchemaField[] = [
    { kind: 'scalar', name: 'CreatedDate', fieldType: 'datetime' },
    { kind: 'scalar', name: 'CreatedById', fieldType: 'reference' },
    ...custom.map((f): SchemaField => ({ kind: 'scalar', name: f.name, fieldType: f.type })),
  ];
  return finish(
    { name: describe.name, namespace: NAMESPACE, type: 'record', fields: avroFields },
    fields,
    describe,
  );
}

function finish(
  schema: Record<string, unknown>,
  fields: SchemaField[],
  describe: SObjectDescribe,
): EventSchema {
  const json = JSON.stringify(schema);
  const id = fingerprint(json);
  return {
    id,
    json: JSON.stringify({ ...schema, uuid: id }),
    type: avro.Type.forSchema(schema as avro.Schema),
    fields,
    describe,
  };
}

/** Converts a REST-form value (ISO dates, numbers, strings) to its Avro form. */
export function toAvroValue(value: FieldValue | undefined, type: FieldDescribe['type']): unknown {
  if (value === null || value === undefined) return null;
  switch (avroPrimitive(type)) {
    case 'boolean':
      return value === true || value === 'true';
    case 'int':
      return finite(Math.trunc(Number(value)));
    case 'double':
      return finite(Number(value));
    case 'long':
      if (typeof value === 'number') return finite(Math.trunc(value));
      if (type === 'time') return finite(timeToMillis(String(value)));
      return finite(parseInstant(type === 'date' ? `${String(value)}T00:00:00Z` : String(value)));
    default:
      return String(value);
  }
}

/**
 * `Date.parse`, remembering the last two texts: the records of one transaction share their
 * LastModifiedDate and SystemModstamp, and a change event of each carries them.
 */
const parsedInstants: [string, number][] = [
  ['', NaN],
  ['', NaN],
];

function parseInstant(text: string): number {
  const [newest, older] = parsedInstants as [[string, number], [string, number]];
  if (newest[0] === text) return newest[1];
  if (older[0] === text) return older[1];
  const ms = Date.parse(text);
  parsedInstants[1] = newest;
  parsedInstants[0] = [text, ms];
  return ms;
}

/** A value the Avro type cannot hold is sent as null rather than failing the whole event. */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function timeToMillis(value: string): number {
  const [h = '0', m = '0', s = '0'] = value.replace(/Z$/, '').split(':');
  return Math.round((Number(h) * 3600 + Number(m) * 60 + Number(s)) * 1000);
}

/** The Avro form of a record's field, reading compound components from their source fields. */
export function avroFieldValue(
  field: SchemaField,
  record: StoredRecord,
  only?: Set<string>,
): unknown {
  if (field.kind === 'header') return undefined;
  if (field.kind === 'scalar') {
    if (only && !only.has(field.name)) return null;
    return toAvroValue(record[field.name], field.fieldType);
  }
  const parts = field.components.filter((c) => c.sourceField && (!only || only.has(c.sourceField)));
  if (parts.length === 0) return null;
  const value: Record<string, unknown> = {};
  let populated = false;
  for (const component of field.components) {
    const included = parts.includes(component);
    const v = included ? toAvroValue(record[component.sourceField], component.fieldType) : null;
    if (v !== null) populated = true;
    value[component.name] = v;
  }
  return populated ? value : null;
}
