/**
 * Validates the fields of a platform event published through REST or a Flow against the
 * event's describe, with the error codes and messages the REST API uses for sObject writes.
 */
import type { ApiError, FieldValue, SObjectDescribe } from '../core/contracts.ts';
import { findPackageField } from './package-names.ts';

export function validateEventFields(
  describe: SObjectDescribe,
  fields: Record<string, FieldValue>,
): { values: Record<string, FieldValue>; errors: ApiError[] } {
  const errors: ApiError[] = [];
  const values: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'attributes') continue;
    const field = findPackageField(describe, key);
    if (!field) {
      errors.push({
        message: `No such column '${key}' on sobject of type ${describe.name}`,
        errorCode: 'INVALID_FIELD',
        fields: [],
      });
      continue;
    }
    if (!field.createable) {
      errors.push({
        message: `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
        fields: [field.name],
      });
      continue;
    }
    if (typeof value === 'string' && field.length > 0 && value.length > field.length) {
      errors.push({
        message: `${field.label}: data value too large: ${value.slice(0, 40)} (max length=${field.length})`,
        errorCode: 'STRING_TOO_LONG',
        fields: [field.name],
      });
      continue;
    }
    values[field.name] = value;
  }
  const missing = describe.fields
    .filter((f) => f.custom && f.createable && !f.nillable && !f.defaultedOnCreate)
    .filter((f) => values[f.name] === undefined || values[f.name] === null || values[f.name] === '')
    .map((f) => f.name);
  if (errors.length === 0 && missing.length > 0) {
    errors.push({
      message: `Required fields are missing: [${missing.join(', ')}]`,
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: missing,
    });
  }
  return { values, errors };
}
