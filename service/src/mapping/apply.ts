import type { AttributeDefinition, PryzmValue, PryzmValues } from './attribute-types.ts';
import { coerceToPryzm } from './coercion/to-pryzm.ts';
import { coerceToSalesforce, type SalesforceValue } from './coercion/to-salesforce.ts';
import { failure, type CoercionCode, type Coerced } from './coercion/result.ts';
import {
  isWritable,
  type DescribeLookup,
  type FieldDescribe,
  type SObjectDescribe,
} from './describe-types.ts';
import {
  effectiveDirection,
  fieldMappingLabel,
  salesforceFieldsOf,
  type FieldMapping,
} from './field-mapping.ts';
import { findPryzmIdField, resolveField, resolveFieldPath } from './field-paths.ts';
import type { ObjectMapping } from './object-mapping.ts';
import { isValidTimeZone } from './coercion/values.ts';
import { readPath, type SalesforceRecord } from './record-paths.ts';
import { findAttribute, type RecordTypeDefinition } from './record-types.ts';

/** Why a value was skipped: a coercion problem or a mapping that cannot apply. */
export type FieldResultCode = CoercionCode | 'unknown_attribute' | 'unknown_field' | 'not_writable';

/** The outcome of one field mapping for one record. Skipped values never fail the record. */
export type FieldResult =
  | {
      mapping: string;
      attribute: string;
      salesforceFields: string[];
      status: 'synced';
      /** Set when the value was adjusted (rounded, re-zoned, matched loosely). */
      note?: string;
    }
  | {
      mapping: string;
      attribute: string;
      salesforceFields: string[];
      status: 'skipped';
      code: FieldResultCode;
      reason: string;
    };

export interface ToPryzmContext {
  recordType: RecordTypeDefinition;
  /** The mapped object's describe: sharpens date handling and resolves namespaced names. */
  describe?: SObjectDescribe;
  /** Describes of parent objects, for parent paths such as `Account.Name`. */
  describeFor?: DescribeLookup;
  /** IANA zone of the workspace, `UTC` unless given (an unknown zone throws `RangeError`). */
  timeZone?: string;
  /** The Pryzm record linked to a Salesforce record of `salesforceObject` (prefetch links). */
  lookupPryzmId?: (salesforceObject: string, salesforceId: string) => string | null | undefined;
}

export interface ToPryzmResult {
  /** Attribute values to write; attributes whose fields were absent from the record are left out. */
  values: PryzmValues;
  fieldResults: FieldResult[];
}

export interface ToSalesforceContext {
  recordType: RecordTypeDefinition;
  /** The mapped object's describe: limits, picklists and what Salesforce lets us write. */
  describe: SObjectDescribe;
  /** `create` checks `createable`, `update` checks `updateable`. */
  operation: 'create' | 'update';
  /** IANA zone of the workspace, `UTC` unless given (an unknown zone throws `RangeError`). */
  timeZone?: string;
  /** The Salesforce id linked to a Pryzm record of `recordType` (prefetch links). */
  lookupSalesforceId?: (recordType: string, pryzmId: string) => string | null | undefined;
  /** When set, `Pryzm_ID__c` (or `pryzm__Pryzm_ID__c`) is filled with it for upserts. */
  pryzmRecordId?: string;
}

export interface ToSalesforceResult {
  /** Field values keyed by the org's real API names, ready for a REST body. */
  fields: Record<string, SalesforceValue>;
  fieldResults: FieldResult[];
}

/** A wrong zone is a configuration error, not a value problem: fail before any record. */
function timeZoneOf(ctx: { timeZone?: string }): string {
  const timeZone = ctx.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone ${timeZone}`);
  return timeZone;
}

function resultOf(
  mapping: FieldMapping,
  coerced: Coerced<unknown>,
  fields: string[] = salesforceFieldsOf(mapping),
): FieldResult {
  const common = {
    mapping: fieldMappingLabel(mapping),
    attribute: mapping.attribute,
    salesforceFields: fields,
  };
  if (coerced.ok) {
    return coerced.note === undefined
      ? { ...common, status: 'synced' }
      : { ...common, status: 'synced', note: coerced.note };
  }
  return { ...common, status: 'skipped', code: coerced.code, reason: coerced.reason };
}

function skipped(mapping: FieldMapping, code: FieldResultCode, reason: string): FieldResult {
  return {
    mapping: fieldMappingLabel(mapping),
    attribute: mapping.attribute,
    salesforceFields: salesforceFieldsOf(mapping),
    status: 'skipped',
    code,
    reason,
  };
}

/** A field mapping naming an attribute the record type does not have: skipped either way. */
function unknownAttribute(mapping: FieldMapping, recordType: RecordTypeDefinition): FieldResult {
  const reason = `${recordType.name} has no attribute ${mapping.attribute}`;
  return skipped(mapping, 'unknown_attribute', reason);
}

/** The real API path to read, and its describe when one is known. */
function pullSource(path: string, ctx: ToPryzmContext): { path: string; field?: FieldDescribe } {
  if (!ctx.describe) return { path };
  const resolved = resolveFieldPath(ctx.describe, path, ctx.describeFor);
  return resolved.ok ? { path: resolved.apiPath, field: resolved.field } : { path };
}

/**
 * Maps a Salesforce record to Pryzm attribute values. Only field mappings that pull (object and
 * field direction) are applied; a value that cannot be coerced is skipped with its reason.
 */
export function toPryzm(
  record: SalesforceRecord,
  mapping: ObjectMapping,
  ctx: ToPryzmContext,
): ToPryzmResult {
  return compileToPryzm(mapping, ctx)(record);
}

/** `toPryzm` for one mapping and context, resolved once and applied to many records. */
export type PryzmValuesOf = (record: SalesforceRecord) => ToPryzmResult;

/** What one field mapping that pulls does to every record, decided once. */
type PullStep =
  | { result: FieldResult }
  | {
      fieldMapping: FieldMapping;
      attribute: AttributeDefinition;
      /** The result of a value taken as it is, the same for every record. */
      synced: FieldResult;
      pull: (record: SalesforceRecord) => Coerced<PryzmValue> | undefined;
    };

/**
 * `toPryzm` compiled for one mapping and context: which field mappings pull, their attributes,
 * the real API paths they read, their describes and coercion options are worked out once instead
 * of for every record of a page (a pull maps a million records with the same mapping). The
 * mapper answers exactly what `toPryzm` answers; a result that says a value synced as it is, the
 * same for every record, is one shared object (results are read, never changed). Parent paths are
 * resolved through `describeFor` when compiled: compile again for a later page.
 */
export function compileToPryzm(mapping: ObjectMapping, ctx: ToPryzmContext): PryzmValuesOf {
  const timeZone = timeZoneOf(ctx);
  const steps: PullStep[] = [];
  for (const fieldMapping of mapping.fields) {
    if (!effectiveDirection(mapping.direction, fieldMapping).pull) continue;
    const attribute = findAttribute(ctx.recordType, fieldMapping.attribute);
    if (!attribute) {
      steps.push({ result: unknownAttribute(fieldMapping, ctx.recordType) });
      continue;
    }
    steps.push({
      fieldMapping,
      attribute,
      synced: resultOf(fieldMapping, { ok: true, value: null }),
      pull: compilePullOne(fieldMapping, attribute, ctx, timeZone),
    });
  }
  return (record) => {
    const values: PryzmValues = {};
    const fieldResults: FieldResult[] = [];
    for (const step of steps) {
      if ('result' in step) {
        fieldResults.push(step.result);
        continue;
      }
      const coerced = step.pull(record);
      if (coerced === undefined) continue;
      if (coerced.ok) values[step.attribute.key] = coerced.value;
      fieldResults.push(
        coerced.ok && coerced.note === undefined
          ? step.synced
          : resultOf(step.fieldMapping, coerced),
      );
    }
    return { values, fieldResults };
  };
}

/** How one field mapping reads and coerces a record's value (undefined: not in the record). */
function compilePullOne(
  fieldMapping: FieldMapping,
  attribute: AttributeDefinition,
  ctx: ToPryzmContext,
  timeZone: string,
): (record: SalesforceRecord) => Coerced<PryzmValue> | undefined {
  switch (fieldMapping.kind) {
    case 'field': {
      const source = pullSource(fieldMapping.salesforceField, ctx);
      const options = { timeZone, valueMap: fieldMapping.valueMap };
      const currencyPath = currencyCodePath(source.path, attribute, source.field);
      return (record) => {
        const raw = readPath(record, source.path);
        if (raw === undefined) return undefined;
        const mismatch = currencyPath && currencyMismatch(record, currencyPath, attribute);
        if (mismatch) return mismatch;
        return coerceToPryzm(raw, attribute, source.field, options);
      };
    }
    case 'reference': {
      const source = pullSource(fieldMapping.salesforceField, ctx);
      const options = {
        timeZone,
        resolveReference: (salesforceId: string) =>
          ctx.lookupPryzmId?.(fieldMapping.targetObject, salesforceId),
      };
      return (record) => {
        const raw = readPath(record, source.path);
        if (raw === undefined) return undefined;
        return coerceToPryzm(raw, attribute, source.field, options);
      };
    }
    case 'full_name': {
      const firstPath = pullSource(fieldMapping.firstNameField, ctx).path;
      const lastPath = pullSource(fieldMapping.lastNameField, ctx).path;
      const options = { timeZone };
      return (record) => {
        const first = readPath(record, firstPath);
        const last = readPath(record, lastPath);
        if (first === undefined && last === undefined) return undefined;
        // A change event may carry one part only; combining it with nothing would drop the other.
        if (first === undefined || last === undefined) {
          const missing =
            first === undefined ? fieldMapping.firstNameField : fieldMapping.lastNameField;
          return failure(
            'missing_name_part',
            `${missing} is not in the record, so the full name is kept`,
          );
        }
        return coerceToPryzm(combineName(first, last), attribute, undefined, options);
      };
    }
  }
}

/**
 * Where a currency attribute's record says its currency (`CurrencyIsoCode` beside the field, or
 * the parent's for a parent path); undefined for other attributes and non-currency fields.
 */
function currencyCodePath(
  path: string,
  attribute: AttributeDefinition,
  field: FieldDescribe | undefined,
): string | undefined {
  if (attribute.type !== 'currency' || (field && field.type !== 'currency')) return undefined;
  const owner = path.includes('.') ? `${path.slice(0, path.lastIndexOf('.'))}.` : '';
  return `${owner}CurrencyIsoCode`;
}

/**
 * In a multi-currency org each record carries `CurrencyIsoCode` and its amounts are in that
 * currency; a currency attribute holds one currency, so amounts in another are not converted.
 */
function currencyMismatch(
  record: SalesforceRecord,
  currencyPath: string,
  attribute: AttributeDefinition,
): Coerced<PryzmValue> | undefined {
  const currency = readPath(record, currencyPath);
  if (typeof currency !== 'string' || currency === '') return undefined;
  if (attribute.type !== 'currency') return undefined;
  return currency.toUpperCase() === attribute.currencyCode
    ? undefined
    : failure(
        'currency_mismatch',
        `the amount is in ${currency} and ${attribute.name} holds ${attribute.currencyCode}`,
      );
}

/** `Jane` + `Doe` → `Jane Doe`; blanks are left out; both blank → null. */
export function combineName(first: unknown, last: unknown): string | null {
  const parts = [first, last]
    .filter((part): part is string | number => typeof part === 'string' || typeof part === 'number')
    .map((part) => String(part).trim())
    .filter((part) => part !== '');
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * `Mary Ann Smith` → first `Mary Ann`, last `Smith`; a single word is the last name (Salesforce
 * requires LastName on Contact and Lead).
 */
export function splitName(fullName: string | null): { first: string | null; last: string | null } {
  const words = (fullName ?? '')
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  if (words.length === 0) return { first: null, last: null };
  const last = words.pop() ?? null;
  return { first: words.length > 0 ? words.join(' ') : null, last };
}

/**
 * Maps Pryzm attribute values to a Salesforce record body. Only field mappings that push (object
 * and field direction, not read-only) are applied, and only for attributes present in `values`
 * (a missing key means unchanged); a value that cannot be coerced is skipped with its reason.
 */
export function toSalesforce(
  values: PryzmValues,
  mapping: ObjectMapping,
  ctx: ToSalesforceContext,
): ToSalesforceResult {
  const fields: Record<string, SalesforceValue> = {};
  const fieldResults: FieldResult[] = [];
  const options = { timeZone: timeZoneOf(ctx) };
  for (const fieldMapping of mapping.fields) {
    if (!effectiveDirection(mapping.direction, fieldMapping).push) continue;
    if (!Object.hasOwn(values, fieldMapping.attribute)) continue;
    const value = values[fieldMapping.attribute] ?? null;
    const attribute = findAttribute(ctx.recordType, fieldMapping.attribute);
    if (!attribute) {
      fieldResults.push(unknownAttribute(fieldMapping, ctx.recordType));
      continue;
    }
    const targets = pushTargets(fieldMapping, ctx);
    if ('problem' in targets) {
      fieldResults.push(targets.problem);
      continue;
    }
    if (fieldMapping.kind === 'full_name') {
      const [firstField, lastField] = targets.fields as [FieldDescribe, FieldDescribe];
      const split = splitNameInto(value, attribute, firstField, lastField, options);
      if (split.ok) Object.assign(fields, split.value);
      fieldResults.push(resultOf(fieldMapping, split, [firstField.name, lastField.name]));
      continue;
    }
    const [field] = targets.fields as [FieldDescribe];
    const coerced = coerceToSalesforce(value, attribute, field, {
      ...options,
      valueMap: fieldMapping.kind === 'field' ? fieldMapping.valueMap : undefined,
      resolveReference:
        attribute.type === 'reference'
          ? (pryzmId) => ctx.lookupSalesforceId?.(attribute.targetRecordType, pryzmId)
          : undefined,
    });
    if (coerced.ok) fields[field.name] = coerced.value;
    fieldResults.push(resultOf(fieldMapping, coerced, [field.name]));
  }
  if (ctx.pryzmRecordId !== undefined) {
    const pryzmIdField = findPryzmIdField(ctx.describe);
    if (pryzmIdField) fields[pryzmIdField.name] = ctx.pryzmRecordId;
  }
  return { fields, fieldResults };
}

/** Both name parts sync or neither does: half a name would corrupt the other half. */
function splitNameInto(
  value: PryzmValue,
  attribute: AttributeDefinition,
  firstField: FieldDescribe,
  lastField: FieldDescribe,
  options: { timeZone: string },
): Coerced<Record<string, SalesforceValue>> {
  const name = splitName(typeof value === 'string' ? value : null);
  const first = coerceToSalesforce(name.first, attribute, firstField, options);
  if (!first.ok) return first;
  const last = coerceToSalesforce(name.last, attribute, lastField, options);
  if (!last.ok) return last;
  return { ok: true, value: { [firstField.name]: first.value, [lastField.name]: last.value } };
}

function pushTargets(
  fieldMapping: FieldMapping,
  ctx: ToSalesforceContext,
): { fields: FieldDescribe[] } | { problem: FieldResult } {
  const fields: FieldDescribe[] = [];
  for (const name of salesforceFieldsOf(fieldMapping)) {
    if (name.includes('.')) {
      return {
        problem: skipped(
          fieldMapping,
          'not_writable',
          `${name} is a parent field: it is read from the parent only`,
        ),
      };
    }
    const field = resolveField(ctx.describe, name);
    if (!field) {
      return {
        problem: skipped(
          fieldMapping,
          'unknown_field',
          `${ctx.describe.name} has no field ${name}`,
        ),
      };
    }
    const allowed = ctx.operation === 'create' ? field.createable : field.updateable;
    if (!isWritable(field) || !allowed) {
      return {
        problem: skipped(
          fieldMapping,
          'not_writable',
          `Salesforce does not let the API ${ctx.operation} ${field.name} on ${ctx.describe.name}`,
        ),
      };
    }
    fields.push(field);
  }
  return { fields };
}
