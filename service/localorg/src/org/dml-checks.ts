import type {
  ApiError,
  FieldDescribe,
  FieldValue,
  SObjectDescribe,
  StoredRecord,
} from '../core/contracts.ts';
import { normalizeId, type IdAllocator } from '../core/ids.ts';
import type { OrgSchema } from '../schema/catalog.ts';
import type { RecordStore, RecordTable } from './store.ts';
import { DmlError } from './transaction.ts';
import { coerceValue } from './values.ts';

/**
 * The checks a record write passes, in Salesforce's order and with its messages: unknown and
 * read-only fields, value types, lengths, restricted picklists and email and number formats on
 * each value; then references, required fields and uniqueness on the whole record. Also the
 * defaults a new record starts with.
 */

export interface DmlContext {
  schema: OrgSchema;
  store: RecordStore;
  ids: IdAllocator;
  now(): number;
  /** Called before each record write; throws UNABLE_TO_LOCK_ROW when a fault asks for it. */
  beforeWrite(recordId: string | undefined): void;
  /** Object-specific refusals Salesforce makes (setup objects: seats, duplicates, roles in use). */
  rules?: WriteRules;
}

/**
 * Refusals beyond field checks, per object: each throws a `DmlError` with Salesforce's code.
 * Called once the record passed the field checks, before it is stored.
 */
export interface WriteRules {
  beforeInsert(objectName: string, record: StoredRecord): void;
  beforeUpdate(objectName: string, before: StoredRecord, after: StoredRecord): void;
  beforeDelete(objectName: string, record: StoredRecord): void;
}

/** Where the values came from: JSON bodies or Bulk CSV rows (which differ in error forms). */
export type ValueSource = 'json' | 'csv';

export type WriteInput = Record<string, unknown>;

const SYSTEM_MAINTAINED = [
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
];

/**
 * The fields of an object that every write checks for being set (required) and for holding a
 * value no other record holds (unique), in describe order, found once per describe: an org's
 * describes do not change once its schema is built.
 */
interface FieldsToCheck {
  required: FieldDescribe[];
  unique: FieldDescribe[];
}

const fieldsToCheckByDescribe = new WeakMap<SObjectDescribe, FieldsToCheck>();

function fieldsToCheck(d: SObjectDescribe): FieldsToCheck {
  let found = fieldsToCheckByDescribe.get(d);
  if (!found) {
    found = {
      required: d.fields.filter(
        (f) => !f.nillable && f.createable && f.type !== 'boolean' && !f.defaultedOnCreate,
      ),
      unique: d.fields.filter((f) => f.unique && f.name !== 'Id'),
    };
    fieldsToCheckByDescribe.set(d, found);
  }
  return found;
}

/** Request keys remembered per describe; past this many (keys come from requests) it starts over. */
const MAX_REMEMBERED_KEYS = 1_000;
const fieldsByKey = new WeakMap<SObjectDescribe, Map<string, FieldDescribe | null>>();

const activeValuesByField = new WeakMap<FieldDescribe, Set<string>>();

/** The active values of a restricted picklist, as a set made once per field. */
function activePicklistValues(field: FieldDescribe): Set<string> {
  let values = activeValuesByField.get(field);
  if (!values) {
    values = new Set(field.picklistValues.filter((p) => p.active).map((p) => p.value));
    activeValuesByField.set(field, values);
  }
  return values;
}

export function err(errorCode: string, message: string, fields?: string[]): ApiError {
  return fields === undefined ? { message, errorCode } : { message, errorCode, fields };
}

/** Validates and completes records for `Dml`, on the same context. */
export class WriteChecks {
  constructor(private readonly ctx: DmlContext) {}

  /** Maps request keys to described fields and validates each value on its own. */
  resolveInput(
    d: SObjectDescribe,
    input: WriteInput,
    mode: 'insert' | 'update',
    source: ValueSource,
    currentId?: string,
  ): Record<string, FieldValue> {
    const out: Record<string, FieldValue> = {};
    const readOnly: string[] = [];
    const errors: ApiError[] = [];
    for (const [key, raw] of Object.entries(input)) {
      if (key === 'attributes') continue;
      let field = this.fieldNamed(d, key);
      let value: unknown = raw;
      if (!field && raw !== null && typeof raw === 'object') {
        const resolved = this.resolveRelationship(d, key, raw as Record<string, unknown>);
        field = resolved.field;
        value = resolved.id;
      }
      if (!field) {
        throw new DmlError([
          err('INVALID_FIELD', `No such column '${key}' on sobject of type ${d.name}`),
        ]);
      }
      if (field.name === 'Id') {
        if (mode === 'update' && currentId && normalizeId(String(raw)) === currentId) continue;
        readOnly.push(field.name);
        continue;
      }
      const allowed = mode === 'insert' ? field.createable : field.updateable;
      if (!allowed) {
        readOnly.push(field.name);
        continue;
      }
      if (source === 'csv' && value === '') continue;
      if (source === 'csv' && value === '#N/A') value = null;
      const coerced = coerceValue(field, value, source);
      if (!coerced.ok) {
        if (source === 'json') throw new DmlError([coerced.error]);
        errors.push(coerced.error);
        continue;
      }
      const problem = this.checkValue(field, coerced.value);
      if (problem) {
        errors.push(problem);
        continue;
      }
      out[field.name] = coerced.value;
    }
    if (readOnly.length) {
      errors.unshift(
        err(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          readOnly,
        ),
      );
    }
    if (errors.length) throw new DmlError(errors);
    return out;
  }

  /**
   * A field by the key a request names it with (any case), remembered per describe: a Bulk job
   * names the same few columns on every row.
   */
  private fieldNamed(d: SObjectDescribe, key: string): FieldDescribe | undefined {
    let byKey = fieldsByKey.get(d);
    if (!byKey || byKey.size >= MAX_REMEMBERED_KEYS) {
      byKey = new Map();
      fieldsByKey.set(d, byKey);
    }
    let field = byKey.get(key);
    if (field === undefined) {
      field = this.ctx.schema.field(d.name, key) ?? null;
      byKey.set(key, field);
    }
    return field ?? undefined;
  }

  /** `"Account": {"Pryzm_ID__c": "x"}`: a parent referenced by one of its External IDs. */
  resolveRelationship(
    d: SObjectDescribe,
    key: string,
    value: Record<string, unknown>,
  ): { field: FieldDescribe | undefined; id: string | null } {
    const field = d.fields.find(
      (f) => f.type === 'reference' && f.relationshipName?.toLowerCase() === key.toLowerCase(),
    );
    if (!field) return { field: undefined, id: null };
    const entries = Object.entries(value).filter(([k]) => k !== 'attributes');
    const target = field.referenceTo[0];
    const parentTable = target ? this.ctx.store.table(target) : undefined;
    const [extField, extValue] = entries[0] ?? [];
    const parentField =
      parentTable && extField ? this.ctx.schema.field(parentTable.name, extField) : undefined;
    if (
      !parentTable ||
      !parentField ||
      entries.length !== 1 ||
      !(parentField.externalId || parentField.idLookup)
    ) {
      throw new DmlError([
        err(
          'INVALID_FIELD',
          `The value provided for foreign key reference ${field.relationshipName} is not a nested SObject`,
        ),
      ]);
    }
    const matches = parentTable.lookup(parentField.name, extValue);
    if (matches.length !== 1) {
      throw new DmlError([
        err(
          matches.length === 0 ? 'INVALID_FIELD' : 'DUPLICATE_EXTERNAL_ID',
          matches.length === 0
            ? `Foreign key external ID: ${String(extValue)} not found for field ${parentField.name} in entity ${parentTable.name}`
            : `More than 1 record found for External ID field ${parentField.name}: ${matches.join(', ')}`,
        ),
      ]);
    }
    return { field, id: matches[0] ?? null };
  }

  checkValue(field: FieldDescribe, value: FieldValue): ApiError | undefined {
    if (value === null) return undefined;
    if (
      typeof value === 'string' &&
      field.length > 0 &&
      field.type !== 'reference' &&
      value.length > field.length
    ) {
      return err(
        'STRING_TOO_LONG',
        `${field.label}: data value too large: ${value.slice(0, 255)} (max length=${field.length})`,
        [field.name],
      );
    }
    if ((field.type === 'picklist' || field.type === 'multipicklist') && field.restrictedPicklist) {
      const allowed = activePicklistValues(field);
      const parts = field.type === 'multipicklist' ? String(value).split(';') : [String(value)];
      const bad = parts.find((p) => !allowed.has(p));
      if (bad !== undefined) {
        return err(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${bad}`,
          [field.name],
        );
      }
    }
    if (
      field.type === 'email' &&
      typeof value === 'string' &&
      value !== '' &&
      !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
    ) {
      return err('INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${value}`, [
        field.name,
      ]);
    }
    if (
      (field.type === 'double' || field.type === 'currency' || field.type === 'percent') &&
      typeof value === 'number'
    ) {
      const intDigits = field.precision - field.scale;
      if (field.precision > 0 && Math.abs(value) >= 10 ** intDigits) {
        return err(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${field.label}: value outside of valid range on numeric field: ${value}`,
          [field.name],
        );
      }
    }
    if (field.type === 'reference' && typeof value === 'string') {
      const id = normalizeId(value);
      if (!id) {
        return err('MALFORMED_ID', `${field.label}: id value of incorrect type: ${value}`, [
          field.name,
        ]);
      }
    }
    return undefined;
  }

  checkReferences(d: SObjectDescribe, record: StoredRecord, changed: Set<string>): void {
    for (const name of changed) {
      const field = this.ctx.schema.field(d.name, name);
      const value = record[name];
      if (!field || field.type !== 'reference' || typeof value !== 'string') continue;
      const id = normalizeId(value);
      const target = id ? this.ctx.store.tableForId(id) : undefined;
      if (
        !id ||
        !target ||
        !field.referenceTo.some((r) => r.toLowerCase() === target.name.toLowerCase())
      ) {
        throw new DmlError([
          err('FIELD_INTEGRITY_EXCEPTION', `${field.label}: id value of incorrect type: ${value}`, [
            field.name,
          ]),
        ]);
      }
      const parent = target.get(id);
      if (!parent || parent.IsDeleted) {
        throw new DmlError([
          err('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]),
        ]);
      }
      record[name] = id;
    }
  }

  checkRequired(d: SObjectDescribe, record: StoredRecord): void {
    const missing = fieldsToCheck(d)
      .required.filter(
        (f) => record[f.name] === undefined || record[f.name] === null || record[f.name] === '',
      )
      .map((f) => f.name);
    if (missing.length) {
      throw new DmlError([
        err(
          'REQUIRED_FIELD_MISSING',
          `Required fields are missing: [${missing.join(', ')}]`,
          missing,
        ),
      ]);
    }
  }

  checkUnique(table: RecordTable, record: StoredRecord, selfId: string | undefined): void {
    for (const f of fieldsToCheck(table.describe).unique) {
      const v = record[f.name];
      if (v === null || v === undefined || v === '') continue;
      const other = table.otherHolder(f.name, v, selfId);
      if (other) {
        throw new DmlError([
          err(
            'DUPLICATE_VALUE',
            `duplicate value found: ${f.name} duplicates value on record with id: ${other}`,
            [],
          ),
        ]);
      }
    }
  }

  applyDefaults(d: SObjectDescribe, record: StoredRecord, userId: string): void {
    for (const f of d.fields) {
      if (f.type === 'boolean' && f.name !== 'IsDeleted') {
        record[f.name] = f.defaultValue === true;
      } else if (f.type === 'picklist' || f.type === 'combobox') {
        const def = f.picklistValues.find((p) => p.defaultValue);
        if (def && f.createable) record[f.name] = def.value;
      } else if (f.name === 'OwnerId' && f.createable) {
        record[f.name] = userId;
      } else if (f.autoNumber) {
        record[f.name] = String(this.ctx.ids.snapshot()[d.keyPrefix ?? ''] ?? 0).padStart(8, '0');
      }
    }
  }

  /** Derived values for fields this org's describe does not have are not stored. */
  dropUndescribed(d: SObjectDescribe, record: StoredRecord): void {
    for (const k of Object.keys(record)) {
      if (k === 'Id' || k === 'IsDeleted' || SYSTEM_MAINTAINED.includes(k)) continue;
      if (!this.ctx.schema.field(d.name, k)) delete record[k];
    }
  }
}
