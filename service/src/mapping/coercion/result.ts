/** Why one value could not be carried across. Stable, machine-readable. */
export type CoercionCode =
  | 'incompatible_types'
  | 'invalid_text'
  | 'too_long'
  | 'invalid_number'
  | 'not_a_whole_number'
  | 'number_out_of_range'
  | 'invalid_date'
  | 'invalid_datetime'
  | 'invalid_boolean'
  | 'invalid_email'
  | 'invalid_url'
  | 'invalid_phone'
  | 'unknown_picklist_value'
  | 'invalid_multi_select_value'
  | 'invalid_reference'
  /** A lookup whose parent is not linked yet: the field is skipped, the rest still syncs. */
  | 'parent_not_linked'
  | 'required'
  /** A combined name needs both of its fields in the record. */
  | 'missing_name_part'
  /** A multi-currency record's amount is in another currency than the attribute's. */
  | 'currency_mismatch';

export type Coerced<T> =
  { ok: true; value: T; note?: string } | { ok: false; code: CoercionCode; reason: string };

export function success<T>(value: T, note?: string): Coerced<T> {
  return note === undefined ? { ok: true, value } : { ok: true, value, note };
}

export function failure<T>(code: CoercionCode, reason: string): Coerced<T> {
  return { ok: false, code, reason };
}

/** Shows a raw value in a reason without flooding it. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
