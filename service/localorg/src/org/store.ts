import type { FieldDescribe, SObjectDescribe, StoredRecord } from '../core/contracts.ts';

/**
 * In-memory records of one org: one table per object, keyed by 18-character Id, with indexes
 * on the fields upsert and uniqueness checks look values up by (External ID and Unique
 * fields). Records are stored sparse: a field never set is absent and reads as null.
 */

function indexKey(field: FieldDescribe, value: unknown): string {
  const s = String(value);
  return field.caseSensitive ? s : s.toLowerCase();
}

export class RecordTable {
  readonly records = new Map<string, StoredRecord>();
  private readonly indexes = new Map<
    string,
    { field: FieldDescribe; ids: Map<string, Set<string>> }
  >();

  constructor(readonly describe: SObjectDescribe) {
    for (const f of describe.fields) {
      if ((f.externalId || f.unique) && f.name !== 'Id') {
        this.indexes.set(f.name.toLowerCase(), { field: f, ids: new Map() });
      }
    }
  }

  get name(): string {
    return this.describe.name;
  }

  get(id: string): StoredRecord | undefined {
    return this.records.get(id);
  }

  /** Live (not deleted) record ids whose `fieldName` equals `value` under the field's case rule. */
  lookup(fieldName: string, value: unknown): string[] {
    const index = this.indexes.get(fieldName.toLowerCase());
    if (!index) {
      const out: string[] = [];
      for (const r of this.records.values()) {
        if (!r.IsDeleted && r[fieldName] !== undefined && String(r[fieldName]) === String(value))
          out.push(r.Id);
      }
      return out;
    }
    return [...(index.ids.get(indexKey(index.field, value)) ?? [])];
  }

  /**
   * The first live record other than `selfId` whose `fieldName` equals `value` (what `lookup`
   * finds, without copying the ids out of an index).
   */
  otherHolder(fieldName: string, value: unknown, selfId: string | undefined): string | undefined {
    const index = this.indexes.get(fieldName.toLowerCase());
    if (!index) return this.lookup(fieldName, value).find((id) => id !== selfId);
    for (const id of index.ids.get(indexKey(index.field, value)) ?? [])
      if (id !== selfId) return id;
    return undefined;
  }

  /** Stores a record (replacing any previous version) and keeps the indexes in step. */
  put(record: StoredRecord): void {
    const previous = this.records.get(record.Id);
    if (previous) this.unindex(previous);
    this.records.set(record.Id, record);
    this.index(record);
  }

  remove(id: string): void {
    const previous = this.records.get(id);
    if (!previous) return;
    this.unindex(previous);
    this.records.delete(id);
  }

  private index(record: StoredRecord): void {
    if (record.IsDeleted) return;
    for (const { field, ids } of this.indexes.values()) {
      const v = record[field.name];
      if (v === null || v === undefined || v === '') continue;
      const key = indexKey(field, v);
      let set = ids.get(key);
      if (!set) ids.set(key, (set = new Set()));
      set.add(record.Id);
    }
  }

  private unindex(record: StoredRecord): void {
    for (const { field, ids } of this.indexes.values()) {
      const v = record[field.name];
      if (v === null || v === undefined) continue;
      const key = indexKey(field, v);
      const set = ids.get(key);
      set?.delete(record.Id);
      if (set && set.size === 0) ids.delete(key);
    }
  }
}

export class RecordStore {
  private readonly tables = new Map<string, RecordTable>();
  private readonly byPrefix = new Map<string, RecordTable>();

  constructor(describes: SObjectDescribe[]) {
    for (const d of describes) {
      const t = new RecordTable(d);
      this.tables.set(d.name.toLowerCase(), t);
      if (d.keyPrefix) this.byPrefix.set(d.keyPrefix, t);
    }
  }

  table(objectName: string): RecordTable | undefined {
    return this.tables.get(objectName.toLowerCase());
  }

  tableForId(id: string): RecordTable | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }

  allTables(): RecordTable[] {
    return [...this.tables.values()];
  }
}
