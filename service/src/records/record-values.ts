import {
  attributeValueSchema,
  type AttributeDefinition,
  type PryzmValues,
} from '../mapping/attribute-types.ts';

/** One thing wrong with submitted record values. */
export interface ValueIssue {
  attribute: string;
  code: 'unknown_attribute' | 'invalid_value' | 'required';
  message: string;
}

/**
 * Checks values against a record type's attributes (pure). `partial` checks only the keys given,
 * for updates; required attributes must then not be set to null.
 */
export function checkValues(
  attributes: readonly AttributeDefinition[],
  values: PryzmValues,
  partial: boolean,
): ValueIssue[] {
  const issues: ValueIssue[] = [];
  const byKey = new Map(attributes.map((attribute) => [attribute.key, attribute]));
  for (const [key, value] of Object.entries(values)) {
    const attribute = byKey.get(key);
    if (!attribute) {
      issues.push({ attribute: key, code: 'unknown_attribute', message: `No attribute "${key}"` });
      continue;
    }
    const parsed = attributeValueSchema(attribute).safeParse(value);
    if (!parsed.success) {
      issues.push({
        attribute: key,
        code: 'invalid_value',
        message: `${attribute.name} (${attribute.type}): ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      });
    }
  }
  for (const attribute of attributes) {
    if (!attribute.required) continue;
    // Own properties only: `values.constructor` is Object's, not a value someone sent.
    const value = Object.hasOwn(values, attribute.key) ? values[attribute.key] : undefined;
    const missing = value === null || value === '' || (value === undefined && !partial);
    if (missing) {
      issues.push({
        attribute: attribute.key,
        code: 'required',
        message: `${attribute.name} is required`,
      });
    }
  }
  return issues;
}

/** The reference values of a change, grouped by the record type they must point at. */
export function referencedIds(
  attributes: readonly AttributeDefinition[],
  values: PryzmValues,
): Map<string, { attribute: string; id: string }[]> {
  const byTarget = new Map<string, { attribute: string; id: string }[]>();
  for (const attribute of attributes) {
    const value = Object.hasOwn(values, attribute.key) ? values[attribute.key] : undefined;
    if (attribute.type !== 'reference' || typeof value !== 'string') continue;
    const list = byTarget.get(attribute.targetRecordType) ?? [];
    list.push({ attribute: attribute.key, id: value });
    byTarget.set(attribute.targetRecordType, list);
  }
  return byTarget;
}
