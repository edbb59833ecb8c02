import type { AttributeDefinition, PryzmValue } from '../attribute-types.ts';
import type { FieldDescribe } from '../describe-types.ts';
import { isCompatible } from './compatibility.ts';
import { pryzmOptionFor, splitMultiSelect, type PicklistValuePair } from './picklists.ts';
import { failure, show, success, type Coerced } from './result.ts';
import {
  dateInTimeZone,
  formatDateTime,
  isBlank,
  isSalesforceId,
  normaliseEmail,
  normalisePhone,
  normaliseUrl,
  parseDate,
  parseDateTime,
  parseNumber,
  startOfDateInTimeZone,
} from './values.ts';

export interface PullCoercionOptions {
  /** IANA zone of the workspace: decides the calendar day of a Salesforce datetime. */
  timeZone: string;
  /** Picklist value map for select and multi-select attributes. */
  valueMap?: readonly PicklistValuePair[];
  /** Finds the Pryzm record linked to a Salesforce id (reference attributes). */
  resolveReference?: (salesforceId: string) => string | null | undefined;
}

/**
 * Converts one Salesforce value (REST JSON or Bulk CSV text) into the value a Pryzm attribute
 * stores. `field` is the Salesforce field's describe when known; it sharpens date handling and
 * is checked for compatibility.
 */
export function coerceToPryzm(
  raw: unknown,
  attribute: AttributeDefinition,
  field: FieldDescribe | undefined,
  options: PullCoercionOptions,
): Coerced<PryzmValue> {
  if (field && !isCompatible(attribute.type, field.type, 'pull')) {
    return failure(
      'incompatible_types',
      `Salesforce ${field.type} field ${field.name} cannot fill a ${attribute.type} attribute`,
    );
  }
  if (isBlank(raw)) return success(attribute.type === 'multi_select' ? [] : null);
  switch (attribute.type) {
    case 'text':
    case 'long_text':
      return toText(raw, attribute, field);
    case 'number':
    case 'currency':
    case 'percent': {
      const value = parseNumber(raw);
      return value === undefined
        ? failure('invalid_number', `${show(raw)} is not a number`)
        : success(value);
    }
    case 'date':
      return toDate(raw, field, options.timeZone);
    case 'datetime':
      return toDateTime(raw, field, options.timeZone);
    case 'boolean':
      return toBoolean(raw);
    case 'email': {
      const value = typeof raw === 'string' ? normaliseEmail(raw) : undefined;
      return value === undefined
        ? failure('invalid_email', `${show(raw)} is not an email address`)
        : success(value);
    }
    case 'phone': {
      const value = typeof raw === 'string' ? normalisePhone(raw) : undefined;
      return value === undefined
        ? failure('invalid_phone', `${show(raw)} is not a phone number`)
        : success(value);
    }
    case 'url': {
      const value = typeof raw === 'string' ? normaliseUrl(raw) : undefined;
      return value === undefined
        ? failure('invalid_url', `${show(raw)} is not an http(s) address`)
        : success(value);
    }
    case 'select': {
      if (typeof raw !== 'string')
        return failure('unknown_picklist_value', `${show(raw)} is not text`);
      const option = pryzmOptionFor(raw, attribute.options, options.valueMap);
      return option
        ? success(option.value, option.note)
        : failure(
            'unknown_picklist_value',
            `${show(raw)} is not an option of ${attribute.name} and has no value mapping`,
          );
    }
    case 'multi_select':
      return toMultiSelect(raw, attribute, options.valueMap);
    case 'reference':
      return toReference(raw, options);
  }
}

function toText(
  raw: unknown,
  attribute: Extract<AttributeDefinition, { type: 'text' | 'long_text' }>,
  field: FieldDescribe | undefined,
): Coerced<PryzmValue> {
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
  else if (typeof raw === 'boolean') text = raw ? 'true' : 'false';
  else return failure('invalid_text', `${show(raw)} is not a text value`);
  if (field?.type === 'datetime') {
    const epochMs = parseDateTime(text);
    if (epochMs !== undefined) text = formatDateTime(epochMs);
  }
  const maxLength = attribute.type === 'text' ? attribute.maxLength : undefined;
  if (maxLength !== undefined && text.length > maxLength) {
    return failure(
      'too_long',
      `${text.length} characters, ${attribute.name} holds at most ${maxLength}`,
    );
  }
  return success(text);
}

function toDate(
  raw: unknown,
  field: FieldDescribe | undefined,
  timeZone: string,
): Coerced<PryzmValue> {
  if (typeof raw !== 'string') return failure('invalid_date', `${show(raw)} is not a date`);
  const date = field?.type === 'datetime' ? undefined : parseDate(raw);
  if (date !== undefined) return success(date);
  const epochMs = parseDateTime(raw);
  if (epochMs === undefined) return failure('invalid_date', `${show(raw)} is not a date`);
  const local = dateInTimeZone(epochMs, timeZone);
  return success(local, `${raw} is ${local} in ${timeZone}`);
}

function toDateTime(
  raw: unknown,
  field: FieldDescribe | undefined,
  timeZone: string,
): Coerced<PryzmValue> {
  if (typeof raw !== 'string')
    return failure('invalid_datetime', `${show(raw)} is not a date-time`);
  const date = field?.type === 'datetime' ? undefined : parseDate(raw);
  if (date !== undefined) {
    return success(
      formatDateTime(startOfDateInTimeZone(date, timeZone)),
      `date ${date} taken as midnight in ${timeZone}`,
    );
  }
  const epochMs = parseDateTime(raw);
  return epochMs === undefined
    ? failure('invalid_datetime', `${show(raw)} is not a date-time`)
    : success(formatDateTime(epochMs));
}

function toBoolean(raw: unknown): Coerced<PryzmValue> {
  if (typeof raw === 'boolean') return success(raw);
  if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (text === 'true' || text === '1') return success(true);
    if (text === 'false' || text === '0') return success(false);
  }
  if (raw === 1 || raw === 0) return success(raw === 1);
  return failure('invalid_boolean', `${show(raw)} is not true or false`);
}

function toMultiSelect(
  raw: unknown,
  attribute: Extract<AttributeDefinition, { type: 'multi_select' }>,
  valueMap: readonly PicklistValuePair[] | undefined,
): Coerced<PryzmValue> {
  const parts = Array.isArray(raw)
    ? raw.filter((part): part is string => typeof part === 'string')
    : typeof raw === 'string'
      ? splitMultiSelect(raw)
      : undefined;
  if (!parts) return failure('unknown_picklist_value', `${show(raw)} is not a multi-select value`);
  const values: string[] = [];
  const unknown: string[] = [];
  for (const part of parts) {
    const option = pryzmOptionFor(part, attribute.options, valueMap);
    if (!option) unknown.push(part);
    else if (!values.includes(option.value)) values.push(option.value);
  }
  // A partial set would drop the unknown choices on the next push, so refuse the whole value.
  return unknown.length > 0
    ? failure(
        'unknown_picklist_value',
        `${unknown.map((part) => JSON.stringify(part)).join(', ')} not options of ${attribute.name}`,
      )
    : success(values);
}

function toReference(raw: unknown, options: PullCoercionOptions): Coerced<PryzmValue> {
  if (typeof raw !== 'string' || !isSalesforceId(raw.trim())) {
    return failure('invalid_reference', `${show(raw)} is not a Salesforce id`);
  }
  const pryzmId = options.resolveReference?.(raw.trim());
  return pryzmId
    ? success(pryzmId)
    : failure('parent_not_linked', `no Pryzm record is linked to ${raw.trim()} yet`);
}
