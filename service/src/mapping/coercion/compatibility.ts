import type { AttributeType } from '../attribute-types.ts';

export type ValueDirection = 'pull' | 'push';

const TEXT = ['string', 'textarea'] as const;
const FREE_TEXT = [...TEXT, 'encryptedstring', 'combobox'] as const;
const NUMBERS = ['int', 'long', 'double', 'currency', 'percent'] as const;

/**
 * Which Salesforce field types each attribute type can be read from (pull) and written to (push).
 * Coercion and validation both read this one table so they never disagree.
 */
const COMPATIBILITY: Record<AttributeType, Record<ValueDirection, readonly string[]>> = {
  text: {
    pull: [
      ...FREE_TEXT,
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
    push: [...FREE_TEXT, ...NUMBERS, 'email', 'phone', 'url', 'picklist', 'date', 'datetime'],
  },
  long_text: {
    pull: [...FREE_TEXT, 'email', 'phone', 'url', 'picklist', 'multipicklist'],
    push: [...FREE_TEXT],
  },
  number: { pull: [...NUMBERS, 'string'], push: [...NUMBERS, ...TEXT] },
  currency: {
    pull: ['currency', 'double', 'int', 'long', 'string'],
    push: ['currency', 'double', ...TEXT],
  },
  percent: {
    pull: ['percent', 'double', 'int', 'long', 'string'],
    push: ['percent', 'double', ...TEXT],
  },
  date: { pull: ['date', 'datetime', 'string'], push: ['date', 'datetime', ...TEXT] },
  datetime: { pull: ['datetime', 'date', 'string'], push: ['datetime', 'date', ...TEXT] },
  boolean: { pull: ['boolean', 'string'], push: ['boolean', ...TEXT] },
  select: {
    pull: ['picklist', 'combobox', 'string'],
    push: ['picklist', 'multipicklist', 'combobox', ...TEXT],
  },
  multi_select: {
    pull: ['multipicklist', 'picklist', ...TEXT],
    push: ['multipicklist', ...TEXT],
  },
  email: { pull: ['email', 'string'], push: ['email', ...TEXT] },
  phone: { pull: ['phone', 'string'], push: ['phone', ...TEXT] },
  url: { pull: ['url', 'string'], push: ['url', ...TEXT] },
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
