import type { FieldValue, SObjectDescribe, StoredRecord } from '../core/contracts.ts';

/**
 * A stored record as the REST API prints it: `attributes`, then every described field in
 * describe order (absent values as null), compound address fields assembled from their parts.
 */

export function recordUrl(version: string, objectName: string, id: string): string {
  return `/services/data/v${version}/sobjects/${objectName}/${id}`;
}

const ADDRESS_PARTS: [string, string][] = [
  ['city', 'City'],
  ['country', 'Country'],
  ['geocodeAccuracy', 'GeocodeAccuracy'],
  ['latitude', 'Latitude'],
  ['longitude', 'Longitude'],
  ['postalCode', 'PostalCode'],
  ['state', 'State'],
  ['street', 'Street'],
];

function addressValue(record: StoredRecord, fieldName: string): Record<string, FieldValue> | null {
  const prefix = fieldName.replace(/Address$/, '');
  const out: Record<string, FieldValue> = {};
  let any = false;
  for (const [key, suffix] of ADDRESS_PARTS) {
    const v = record[`${prefix}${suffix}`] ?? null;
    if (v !== null) any = true;
    out[key] = v;
  }
  return any ? out : null;
}

export function restRecord(
  describe: SObjectDescribe,
  record: StoredRecord,
  version: string,
  onlyFields?: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    attributes: { type: describe.name, url: recordUrl(version, describe.name, record.Id) },
  };
  const wanted = onlyFields?.map((f) => f.toLowerCase());
  for (const f of describe.fields) {
    if (wanted && !wanted.includes(f.name.toLowerCase())) continue;
    out[f.name] = f.type === 'address' ? addressValue(record, f.name) : (record[f.name] ?? null);
  }
  if (wanted && !out['Id'] && onlyFields?.some((f) => f.toLowerCase() === 'id'))
    out['Id'] = record.Id;
  return out;
}
