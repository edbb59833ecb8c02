import type { AttributeDefinition, PryzmValue } from '../attribute-types.ts';
import type { FieldDescribe } from '../describe-types.ts';
import { isCompatible } from './compatibility.ts';
import {
  activePicklistValues,
  picklistAccepts,
  salesforceValueFor,
  splitMultiSelect,
  type PicklistValuePair,
} from './picklists.ts';
import { failure, show, success, type Coerced } from './result.ts';
import {
  dateInTimeZone,
  decimalPlaces,
  formatDateTime,
  isBlank,
  isSalesforceId,
  normaliseEmail,
  normalisePhone,
  parseDate,
  parseDateTime,
  parseNumber,
  roundToScale,
  startOfDateInTimeZone,
} from './values.ts';

/** A value as the Salesforce REST API takes it in a record body. */
export type SalesforceValue = string | number | boolean | null;

export interface PushCoercionOptions {
  /** IANA zone of the workspace: decides the instant of a date and the day of a datetime. */
  timeZone: string;
  /** Picklist value map for select and multi-select attributes. */
  valueMap?: readonly PicklistValuePair[];
  /** Finds the Salesforce id linked to a Pryzm record id (reference attributes). */
  resolveReference?: (pryzmId: string) => string | null | undefined;
}

const INT_MAX = 2_147_483_647;

/**
 * Converts one Pryzm attribute value into the value a Salesforce field takes, checking the
 * field's limits from its describe (length, precision and scale, picklist values, required).
 */
export function coerceToSalesforce(
  value: PryzmValue,
  attribute: AttributeDefinition,
  field: FieldDescribe,
  options: PushCoercionOptions,
): Coerced<SalesforceValue> {
  if (!isCompatible(attribute.type, field.type, 'push')) {
    return failure(
      'incompatible_types',
      `a ${attribute.type} attribute cannot fill Salesforce ${field.type} field ${field.name}`,
    );
  }
  if (isEmpty(value)) {
    if (field.type === 'boolean')
      return success(false, 'empty sent as false: a checkbox has no empty');
    if (!field.nillable) {
      return failure('required', `${field.name} is required in Salesforce and the value is empty`);
    }
    return success(null);
  }
  switch (field.type) {
    case 'boolean':
      return toCheckbox(value);
    case 'int':
    case 'long':
    case 'double':
    case 'currency':
    case 'percent':
      return toNumber(value, field);
    case 'date':
      return toDateField(value, attribute, options.timeZone);
    case 'datetime':
      return toDateTimeField(value, attribute, options.timeZone);
    case 'picklist':
      return toPicklist(value, field, options.valueMap);
    case 'multipicklist':
      return toMultiPicklist(value, field, options.valueMap);
    case 'reference':
      return toReference(value, field, options);
    default:
      return toTextField(value, attribute, field, options.valueMap);
  }
}

function isEmpty(value: PryzmValue): boolean {
  return isBlank(value) || (Array.isArray(value) && value.length === 0);
}

function toCheckbox(value: PryzmValue): Coerced<SalesforceValue> {
  if (typeof value === 'boolean') return success(value);
  const text = String(value).trim().toLowerCase();
  if (text === 'true') return success(true);
  if (text === 'false') return success(false);
  return failure('invalid_boolean', `${show(value)} is not true or false`);
}

function toNumber(value: PryzmValue, field: FieldDescribe): Coerced<SalesforceValue> {
  const number = parseNumber(value);
  if (number === undefined) return failure('invalid_number', `${show(value)} is not a number`);
  if (field.type === 'int' || field.type === 'long') {
    if (!Number.isInteger(number)) {
      return failure(
        'not_a_whole_number',
        `${number} is not a whole number (${field.name} is ${field.type})`,
      );
    }
    const digits = field.digits ?? 0;
    const tooBig =
      field.type === 'int' ? Math.abs(number) > INT_MAX : !Number.isSafeInteger(number);
    if (tooBig || (digits > 0 && Math.abs(number) >= 10 ** digits)) {
      return failure(
        'number_out_of_range',
        `${number} does not fit ${field.name} (${digits} digits)`,
      );
    }
    return success(number);
  }
  const scale = field.scale ?? 0;
  const precision = field.precision ?? 0;
  const rounded = roundToScale(number, scale);
  if (precision > 0 && Math.abs(rounded) >= 10 ** (precision - scale)) {
    return failure(
      'number_out_of_range',
      `${number} has more than ${precision - scale} digits before the point (${field.name} is ${precision},${scale})`,
    );
  }
  return rounded === number || decimalPlaces(number) <= scale
    ? success(number)
    : success(rounded, `rounded ${number} to ${rounded} (${field.name} keeps ${scale} decimals)`);
}

function dateOf(value: PryzmValue, attribute: AttributeDefinition, timeZone: string) {
  if (typeof value !== 'string') return undefined;
  if (attribute.type !== 'datetime') {
    const date = parseDate(value);
    if (date !== undefined) return { date };
  }
  const epochMs = parseDateTime(value);
  return epochMs === undefined ? undefined : { date: dateInTimeZone(epochMs, timeZone), epochMs };
}

function toDateField(
  value: PryzmValue,
  attribute: AttributeDefinition,
  timeZone: string,
): Coerced<SalesforceValue> {
  const parsed = dateOf(value, attribute, timeZone);
  if (!parsed) return failure('invalid_date', `${show(value)} is not a date`);
  return parsed.epochMs === undefined
    ? success(parsed.date)
    : success(parsed.date, `${String(value)} is ${parsed.date} in ${timeZone}`);
}

function toDateTimeField(
  value: PryzmValue,
  attribute: AttributeDefinition,
  timeZone: string,
): Coerced<SalesforceValue> {
  if (typeof value !== 'string')
    return failure('invalid_datetime', `${show(value)} is not a date-time`);
  if (attribute.type !== 'datetime') {
    const date = parseDate(value);
    if (date !== undefined) {
      return success(
        formatDateTime(startOfDateInTimeZone(date, timeZone)),
        `date ${date} sent as midnight in ${timeZone}`,
      );
    }
  }
  const epochMs = parseDateTime(value);
  return epochMs === undefined
    ? failure('invalid_datetime', `${show(value)} is not a date-time`)
    : success(formatDateTime(epochMs));
}

function toPicklist(
  value: PryzmValue,
  field: FieldDescribe,
  valueMap: readonly PicklistValuePair[] | undefined,
): Coerced<SalesforceValue> {
  if (typeof value !== 'string')
    return failure('unknown_picklist_value', `${show(value)} is not text`);
  const mapped = salesforceValueFor(value, valueMap);
  return checkLength(checkPicklistValue(mapped, field), field);
}

function checkPicklistValue(value: string, field: FieldDescribe): Coerced<SalesforceValue> {
  const accepted = picklistAccepts(field, value);
  if (accepted === 'no') {
    const allowed = activePicklistValues(field)
      .slice(0, 10)
      .map((v) => JSON.stringify(v));
    return failure(
      'unknown_picklist_value',
      `${JSON.stringify(value)} is not an active value of restricted picklist ${field.name} (${allowed.join(', ')})`,
    );
  }
  return accepted === 'unlisted'
    ? success(
        value,
        `${JSON.stringify(value)} is not listed in ${field.name}; the picklist is not restricted`,
      )
    : success(value);
}

function toMultiPicklist(
  value: PryzmValue,
  field: FieldDescribe,
  valueMap: readonly PicklistValuePair[] | undefined,
): Coerced<SalesforceValue> {
  const parts = Array.isArray(value) ? value : splitMultiSelect(String(value));
  const mapped: string[] = [];
  const notes: string[] = [];
  for (const part of parts) {
    const salesforceValue = salesforceValueFor(part, valueMap);
    if (salesforceValue.includes(';')) {
      return failure(
        'invalid_multi_select_value',
        `${JSON.stringify(salesforceValue)} contains ";", which separates multi-select values`,
      );
    }
    const checked = checkPicklistValue(salesforceValue, field);
    if (!checked.ok) return checked;
    if (checked.note) notes.push(checked.note);
    if (!mapped.includes(salesforceValue)) mapped.push(salesforceValue);
  }
  const joined = success<SalesforceValue>(
    mapped.join(';'),
    notes.length > 0 ? notes.join('; ') : undefined,
  );
  return checkLength(joined, field);
}

function toReference(
  value: PryzmValue,
  field: FieldDescribe,
  options: PushCoercionOptions,
): Coerced<SalesforceValue> {
  if (typeof value !== 'string')
    return failure('invalid_reference', `${show(value)} is not a record id`);
  const salesforceId = options.resolveReference?.(value);
  if (!salesforceId) {
    return failure('parent_not_linked', `record ${value} is not linked to a Salesforce record yet`);
  }
  return isSalesforceId(salesforceId)
    ? success(salesforceId)
    : failure('invalid_reference', `${show(salesforceId)} is not a Salesforce id (${field.name})`);
}

function textOf(
  value: PryzmValue,
  attribute: AttributeDefinition,
  valueMap: readonly PicklistValuePair[] | undefined,
): string | undefined {
  if (Array.isArray(value))
    return value.map((part) => salesforceValueFor(part, valueMap)).join(';');
  if (attribute.type === 'select' && typeof value === 'string')
    return salesforceValueFor(value, valueMap);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return value ?? undefined;
}

function toTextField(
  value: PryzmValue,
  attribute: AttributeDefinition,
  field: FieldDescribe,
  valueMap: readonly PicklistValuePair[] | undefined,
): Coerced<SalesforceValue> {
  const text = textOf(value, attribute, valueMap);
  if (text === undefined) return failure('invalid_text', `${show(value)} is not a text value`);
  if (field.type === 'email') {
    const email = normaliseEmail(text);
    return email === undefined
      ? failure('invalid_email', `${show(text)} is not an email address`)
      : checkLength(success(email), field);
  }
  if (field.type === 'phone') {
    const phone = normalisePhone(text);
    return phone === undefined
      ? failure('invalid_phone', `${show(text)} is not a phone number`)
      : checkLength(success(phone), field);
  }
  return checkLength(success(text), field);
}

/** Salesforce refuses text longer than the field (STRING_TOO_LONG); report it, never truncate. */
function checkLength(
  result: Coerced<SalesforceValue>,
  field: FieldDescribe,
): Coerced<SalesforceValue> {
  if (!result.ok || typeof result.value !== 'string') return result;
  const length = field.length ?? 0;
  if (length > 0 && result.value.length > length) {
    return failure(
      'too_long',
      `${result.value.length} characters, Salesforce field ${field.name} holds at most ${length}`,
    );
  }
  return result;
}
