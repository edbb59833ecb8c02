/** A Salesforce record as REST returns it (nested parents) or as a Bulk CSV row (flat paths). */
export type SalesforceRecord = Readonly<Record<string, unknown>>;

function own(record: Readonly<Record<string, unknown>>, key: string): unknown {
  if (Object.hasOwn(record, key)) return record[key];
  const folded = key.toLowerCase();
  const match = Object.keys(record).find((candidate) => candidate.toLowerCase() === folded);
  return match === undefined ? undefined : record[match];
}

/**
 * Reads `Email`, `Account.Name` from a record: a flat CSV column named by the whole path first,
 * then nested REST objects. A null parent gives null; an absent key gives `undefined`.
 */
export function readPath(record: SalesforceRecord, path: string): unknown {
  const flat = own(record, path);
  if (flat !== undefined || !path.includes('.')) return flat;
  let current: unknown = record;
  for (const segment of path.split('.')) {
    if (current === null) return null;
    if (typeof current !== 'object') return undefined;
    current = own(current as Record<string, unknown>, segment);
    if (current === undefined) return undefined;
  }
  return current;
}
