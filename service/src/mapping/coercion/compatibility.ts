import type { AttributeType } from '../attribute-types.ts';

export type ValueDirection = 'pull' | 'push';

const STRINGS = ['string', 'textarea', 'encryptedstring', 'combobox'] as const;
const NUMBERS = ['int', 'long', 'double', 'currency', 'percent'] as const;

/**
 * Which Salesforce field types each attribute type can be read from (pull) and written to (push).
 * Coercion and validation both read this one table so they never disagree.
 */
const COMPATIBILITY: Record<AttributeType, Record<ValueDirection, readonly string[]>> = {
  text: {
    pull: [
      ...STRINGS,
      ...NUMBERS,
      'email',
      'phone',
      'url',
      'picklist',
      'multipicklist',
      'id',
      'reference',
      'date',
      'datetime',
      'time',
      'boolean',
    ],
    push: [...STRINGS, ...NUMBERS, 'email', 'phone', 'url', 'picklist', 'date', 'datetime'],
  },
  long_text: {
    pull: [...STRINGS, 'email', 'phone', 'url', 'picklist', 'multipicklist'],
    push: [...STRINGS],
  },
  number: {
    pull: [...NUMBERS, 'string'],
    push: [...NUMBERS, ...STRINGS],
  },
  currency: {
    pull: ['currency', 'double', 'int', 'long', 'string'],
    push: ['currency', 'double', ...STRINGS],
  },
  percent: {
    pull: ['percent', 'double', 'int', 'long', 'string'],
    push: ['percent', 'double', ...STRINGS],
  },
  date: { pull: ['date', 'datetime', 'string'], push: ['date', 'datetime', ...STRINGS] },
  datetime: { pull: ['datetime', 'date', 'string'], push: ['datetime', 'date', ...STRINGS] },
  boolean: { pull: ['boolean', 'string'], push: ['boolean', ...STRINGS] },
  select: {
    pull: ['picklist', 'combobox', 'string'],
    push: ['picklist', 'multipicklist', ...STRINGS],
  },
  multi_select: {
    pull: ['multipicklist', 'picklist', 'string', 'textarea'],
    push: ['multipicklist', 'string', 'textarea'],
  },
  email: { pull: ['email', 'string'], push: ['email', ...STRINGS] },
  phone: { pull: ['phone', 'string'], push: ['phone', ...STRINGS] },
  url: { pull: ['url', 'string'], push: ['url', ...STRINGS] },
  reference: { pull: ['reference'], push: ['reference'] },
};

/** Whether values of `attributeType` can move to/from a Salesforce field of `fieldType`. */
export function isCompatible(
  attributeType: AttributeType,
  fieldType: string,
  direction: ValueDirection,
): boolean {
  return COMPATIBILITY[attributeType][direction].includes(fieldType);
}

/** The Salesforce field types an attribute type can be mapped to in a direction. */
export function compatibleFieldTypes(
  attributeType: AttributeType,
  direction: ValueDirection,
): readonly string[] {
  return COMPATIBILITY[attributeType][direction];
}
