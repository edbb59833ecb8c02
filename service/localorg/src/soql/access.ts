/**
 * Reading field values off stored records, following parent relationships through the data
 * source. Parent lookups are cached for the duration of one query.
 */
import type { FieldValue, QueryDataSource, StoredRecord } from '../core/contracts.ts';
import type { ResolvedPath } from './schema.ts';

export interface ParentRecord {
  objectName: string;
  record: StoredRecord;
}

export type Getter = (record: StoredRecord) => FieldValue;
export type ParentLookup = (id: string) => ParentRecord | undefined;

/** A lookup of records by Id that remembers answers (including misses) for one query. */
export function cachedLookup(source: QueryDataSource): ParentLookup {
  const cache = new Map<string, ParentRecord | null>();
  return (id) => {
    let hit = cache.get(id);
    if (hit === undefined) {
      hit = source.findById(id) ?? null;
      cache.set(id, hit);
    }
    return hit ?? undefined;
  };
}

export function getterFor(path: ResolvedPath, lookup: ParentLookup): Getter {
  const name = path.field.name;
  if (path.hops.length === 0) return (record) => record[name] ?? null;
  const hopFields = path.hops.map((hop) => hop.field.name);
  return (record) => {
    let current: StoredRecord = record;
    for (const field of hopFields) {
      const id = current[field];
      if (typeof id !== 'string' || id === '') return null;
      const parent = lookup(id);
      if (!parent) return null;
      current = parent.record;
    }
    return current[name] ?? null;
  };
}
