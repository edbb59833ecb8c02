/**
 * Turns stored records into the REST query endpoint's JSON: `attributes` first, then the
 * selected fields in SELECT order, parent relationships as nested records (or null).
 */
import type { FieldValue, StoredRecord } from '../core/contracts.ts';
import type { ParentLookup } from './access.ts';
import type { ResolvedPath } from './schema.ts';

export interface RecordAttributes {
  type: string;
  url?: string;
}

/** A compound field's value: an address or geolocation object. */
export type CompoundValue = Record<string, FieldValue>;

export interface QueryRecord {
  attributes: RecordAttributes;
  [field: string]: FieldValue | RecordAttributes | QueryRecord | ChildResult | CompoundValue | null;
}

export interface ChildResult {
  totalSize: number;
  done: true;
  records: QueryRecord[];
}

type ShapeEntry =
  | { kind: 'field'; key: string }
  | { kind: 'parent'; key: string; referenceField: string; shape: Shape }
  | {
      kind: 'computed';
      key: string;
      compute: (record: StoredRecord) => FieldValue | ChildResult | CompoundValue | null;
    };

export interface Shape {
  entries: ShapeEntry[];
}

export function emptyShape(): Shape {
  return { entries: [] };
}

/** Adds a resolved path to a shape, merging relationships already present. */
export function addPath(shape: Shape, path: ResolvedPath): void {
  let current = shape;
  for (const hop of path.hops) {
    let entry = current.entries.find(
      (e): e is Extract<ShapeEntry, { kind: 'parent' }> =>
        e.kind === 'parent' && e.key === hop.name,
    );
    if (!entry) {
      entry = {
        kind: 'parent',
        key: hop.name,
        referenceField: hop.field.name,
        shape: emptyShape(),
      };
      current.entries.push(entry);
    }
    current = entry.shape;
  }
  if (!current.entries.some((e) => e.kind === 'field' && e.key === path.field.name)) {
    current.entries.push({ kind: 'field', key: path.field.name });
  }
}

export function addComputed(
  shape: Shape,
  key: string,
  compute: (record: StoredRecord) => FieldValue | ChildResult | CompoundValue | null,
): void {
  shape.entries.push({ kind: 'computed', key, compute });
}

export function recordUrl(apiVersion: string, type: string, id: FieldValue): string {
  return `/services/data/v${apiVersion}/sobjects/${type}/${String(id)}`;
}

export function projector(
  shape: Shape,
  lookup: ParentLookup,
  apiVersion: string,
): (record: StoredRecord, type: string) => QueryRecord {
  const project = (s: Shape, record: StoredRecord, type: string): QueryRecord => {
    const out: QueryRecord = { attributes: { type, url: recordUrl(apiVersion, type, record.Id) } };
    for (const entry of s.entries) {
      if (entry.kind === 'field') {
        out[entry.key] = record[entry.key] ?? null;
      } else if (entry.kind === 'parent') {
        const id = record[entry.referenceField];
        const parent = typeof id === 'string' && id !== '' ? lookup(id) : undefined;
        out[entry.key] = parent ? project(entry.shape, parent.record, parent.objectName) : null;
      } else {
        out[entry.key] = entry.compute(record);
      }
    }
    return out;
  };
  return (record, type) => project(shape, record, type);
}
