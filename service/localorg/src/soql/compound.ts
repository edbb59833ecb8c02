/**
 * Compound fields as the REST API returns them: an address (`BillingAddress`) or geolocation
 * (`Location__c`) as an object built from its component fields, null when every component is.
 */
import type { FieldDescribe, SObjectDescribe, StoredRecord } from '../core/contracts.ts';
import type { CompoundValue } from './projection.ts';
import { findField } from './schema.ts';

const ADDRESS_PARTS = [
  'City',
  'Country',
  'CountryCode',
  'GeocodeAccuracy',
  'Latitude',
  'Longitude',
  'PostalCode',
  'State',
  'StateCode',
  'Street',
];

export function isCompound(field: FieldDescribe): boolean {
  return field.type === 'address' || field.type === 'location';
}

/** Component field names keyed as the REST object names them, in alphabetical key order. */
function components(describe: SObjectDescribe, field: FieldDescribe): [string, string][] {
  const parts: [string, string][] = [];
  if (field.type === 'location') {
    const base = field.name.replace(/__c$/i, '');
    for (const [key, suffix] of [
      ['latitude', '__Latitude__s'],
      ['longitude', '__Longitude__s'],
    ] as const) {
      const component = findField(describe, `${base}${suffix}`);
      if (component) parts.push([key, component.name]);
    }
    return parts;
  }
  const prefix = field.name.replace(/Address$/, '');
  for (const part of ADDRESS_PARTS) {
    const component = findField(describe, `${prefix}${part}`);
    if (component) parts.push([part.charAt(0).toLowerCase() + part.slice(1), component.name]);
  }
  return parts;
}

export function compoundReader(
  describe: SObjectDescribe,
  field: FieldDescribe,
): (record: StoredRecord) => CompoundValue | null {
  const parts = components(describe, field);
  return (record) => {
    const value: CompoundValue = {};
    let any = false;
    for (const [key, name] of parts) {
      const part = record[name] ?? null;
      if (part !== null) any = true;
      value[key] = part;
    }
    return any ? value : null;
  };
}
