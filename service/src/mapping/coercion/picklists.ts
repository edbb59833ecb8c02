import type { SelectOption } from '../attribute-types.ts';
import type { FieldDescribe } from '../describe-types.ts';

/** One entry of a picklist value map: a Salesforce picklist value and the Pryzm option value. */
export interface PicklistValuePair {
  salesforce: string;
  pryzm: string;
}

/** Maps a Salesforce picklist value to a Pryzm option through the value map, else by itself. */
export function pryzmOptionFor(
  salesforceValue: string,
  options: readonly SelectOption[],
  valueMap: readonly PicklistValuePair[] = [],
): { value: string; note?: string } | undefined {
  const mapped = valueMap.find((pair) => pair.salesforce === salesforceValue);
  if (mapped) {
    return options.some((option) => option.value === mapped.pryzm)
      ? { value: mapped.pryzm }
      : undefined;
  }
  if (options.some((option) => option.value === salesforceValue)) return { value: salesforceValue };
  // Admins retype labels with other casing; accept that but say so.
  const folded = salesforceValue.toLowerCase();
  const loose = options.find(
    (option) => option.value.toLowerCase() === folded || option.label.toLowerCase() === folded,
  );
  return loose
    ? { value: loose.value, note: `matched ${JSON.stringify(salesforceValue)} ignoring case` }
    : undefined;
}

/** Maps a Pryzm option value to the Salesforce picklist value through the value map. */
export function salesforceValueFor(
  pryzmValue: string,
  valueMap: readonly PicklistValuePair[] = [],
): string {
  return valueMap.find((pair) => pair.pryzm === pryzmValue)?.salesforce ?? pryzmValue;
}

/** Whether Salesforce accepts `value` for a picklist field (restricted picklists: active only). */
export function picklistAccepts(field: FieldDescribe, value: string): 'yes' | 'unlisted' | 'no' {
  const listed = (field.picklistValues ?? []).some(
    (picklistValue) => picklistValue.active && picklistValue.value === value,
  );
  if (listed) return 'yes';
  return field.restrictedPicklist ? 'no' : 'unlisted';
}

/** Active picklist values of a field, for messages. */
export function activePicklistValues(field: FieldDescribe): string[] {
  return (field.picklistValues ?? [])
    .filter((picklistValue) => picklistValue.active)
    .map((picklistValue) => picklistValue.value);
}

/** Splits a Salesforce multi-select picklist value (`A;B;C`). */
export function splitMultiSelect(raw: string): string[] {
  return raw
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
