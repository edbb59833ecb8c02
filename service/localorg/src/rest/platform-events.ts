import type { ApiError, FieldValue, SObjectDescribe } from '../core/contracts.ts';
import type { Org } from '../org/org.ts';
import type { LocalOrgRuntime } from '../org/runtime.ts';
import { coerceValue } from '../org/values.ts';

/**
 * `POST sobjects/<Event>__e`: the event bus publishes when plugged in; without it the event
 * is still validated against its describe and acknowledged (nobody can subscribe anyway).
 */

let fallbackCounter = 0;

function validate(
  d: SObjectDescribe,
  org: Org,
  body: Record<string, unknown>,
): ApiError[] | Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const field = org.schema.field(d.name, key);
    if (!field)
      return [
        {
          message: `No such column '${key}' on sobject of type ${d.name}`,
          errorCode: 'INVALID_FIELD',
        },
      ];
    if (!field.createable) {
      return [
        {
          message: `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
          fields: [field.name],
        },
      ];
    }
    const coerced = coerceValue(field, raw, 'json');
    if (!coerced.ok) return [coerced.error];
    out[field.name] = coerced.value;
  }
  const missing = d.fields
    .filter(
      (f) => f.createable && !f.nillable && f.type !== 'boolean' && (out[f.name] ?? null) === null,
    )
    .map((f) => f.name);
  if (missing.length) {
    return [
      {
        message: `Required fields are missing: [${missing.join(', ')}]`,
        errorCode: 'REQUIRED_FIELD_MISSING',
        fields: missing,
      },
    ];
  }
  return out;
}

export function publishPlatformEvent(
  runtime: LocalOrgRuntime,
  org: Org,
  userId: string,
  d: SObjectDescribe,
  body: Record<string, unknown>,
): { success: true; id: string } | { success: false; errors: ApiError[] } {
  const publisher = runtime.platformEventPublisher();
  if (publisher) {
    const fields: Record<string, FieldValue> = {};
    for (const [k, v] of Object.entries(body)) {
      if (k !== 'attributes') fields[k] = v as FieldValue;
    }
    return publisher.publish(org.id, userId, d.name, fields);
  }
  const checked = validate(d, org, body);
  if (Array.isArray(checked)) return { success: false, errors: checked };
  fallbackCounter++;
  return {
    success: true,
    id: `${d.keyPrefix ?? 'e00'}${String(fallbackCounter).padStart(12, '0')}`,
  };
}
