/**
 * Salesforce's bitmap form of `changedFields`, `nulledFields` and `diffFields` in change events
 * read through the Pub/Sub API: the first string is `0x` + uppercase hex of a bitmap over the
 * schema's top-level fields (bit i = field i); each changed compound field adds
 * `<index>-0x<hex>` over the components of its nested record.
 */
import type { SchemaField } from './avro-schemas.ts';

function hex(bits: bigint): string {
  let digits = bits.toString(16).toUpperCase();
  if (digits.length % 2 === 1) digits = `0${digits}`;
  return `0x${digits}`;
}

/**
 * Encodes field names of the object (`Name`, `BillingCity`) or of the event (`BillingAddress.City`)
 * as bitmap strings over the schema's fields. Names the schema does not carry are left out.
 */
export function encodeFieldBitmap(fields: SchemaField[], names: Iterable<string>): string[] {
  const wanted = new Set(names);
  if (wanted.size === 0) return [];
  let top = 0n;
  const nested: string[] = [];
  fields.forEach((field, index) => {
    if (field.kind === 'scalar' && wanted.has(field.name)) top |= 1n << BigInt(index);
    if (field.kind !== 'compound') return;
    let bits = 0n;
    field.components.forEach((component, childIndex) => {
      const asObjectField = component.sourceField && wanted.has(component.sourceField);
      if (asObjectField || wanted.has(`${field.name}.${component.name}`)) {
        bits |= 1n << BigInt(childIndex);
      }
    });
    if (bits !== 0n) nested.push(`${index}-${hex(bits)}`);
  });
  if (top === 0n && nested.length === 0) return [];
  return [hex(top), ...nested];
}

/** Decodes bitmap strings back to event field names (`Phone`, `BillingAddress.City`). */
export function decodeFieldBitmap(fields: SchemaField[], bitmaps: string[]): string[] {
  const names: string[] = [];
  for (const bitmap of bitmaps) {
    const dash = bitmap.indexOf('-');
    if (dash < 0) {
      const bits = BigInt(bitmap);
      fields.forEach((field, index) => {
        if ((bits >> BigInt(index)) & 1n) names.push(field.name);
      });
      continue;
    }
    const parent = fields[Number(bitmap.slice(0, dash))];
    if (!parent || parent.kind !== 'compound') continue;
    const bits = BigInt(bitmap.slice(dash + 1));
    parent.components.forEach((component, index) => {
      if ((bits >> BigInt(index)) & 1n) names.push(`${parent.name}.${component.name}`);
    });
  }
  return names;
}
