import type { FieldValue, StoredRecord } from '../core/contracts.ts';
import { normalizeId } from '../core/ids.ts';
import { derivedFields } from './derived-fields.ts';
import {
  err,
  WriteChecks,
  type DmlContext,
  type ValueSource,
  type WriteInput,
} from './dml-checks.ts';
import type { RecordTable } from './store.ts';
import { DmlError, type Transaction } from './transaction.ts';
import { coerceValue, formatDateTime } from './values.ts';

/**
 * Record writes with Salesforce's validation order and messages: unknown and read-only
 * fields, value types, lengths, restricted picklists, references, required fields and
 * uniqueness (`dml-checks.ts`); then system fields, derived fields, and the change recorded on
 * the transaction.
 */

/**
 * Kept on a record its parent's delete took along (`cascadeDelete`): that parent's Id, so the
 * parent's undelete restores it and not children deleted on their own before. Not a field: `$`
 * is in no Salesforce name, so no describe, query or record view ever shows it.
 */
const DELETED_WITH = '$deletedWithId';

export function notFound(): DmlError {
  return new DmlError([err('NOT_FOUND', 'The requested resource does not exist')], 404);
}

export class Dml {
  private readonly checks: WriteChecks;

  constructor(private readonly ctx: DmlContext) {
    this.checks = new WriteChecks(ctx);
  }

  tableOf(objectName: string): RecordTable {
    const table = this.ctx.store.table(objectName);
    if (!table) throw notFound();
    return table;
  }

  insert(
    tx: Transaction,
    objectName: string,
    input: WriteInput,
    source: ValueSource,
  ): StoredRecord {
    const table = this.tableOf(objectName);
    const d = table.describe;
    if (!d.createable) {
      throw new DmlError([err('INVALID_TYPE', `entity type cannot be inserted: ${d.name}`)]);
    }
    const values = this.checks.resolveInput(d, input, 'insert', source);
    this.ctx.beforeWrite(undefined);
    const now = formatDateTime(this.ctx.now());
    const record: StoredRecord = { Id: '', IsDeleted: false };
    this.checks.applyDefaults(d, record, tx.userId);
    Object.assign(record, values);
    const changed = new Set(Object.keys(values));
    Object.assign(
      record,
      derivedFields(d.name, record, new Set([...changed, ...Object.keys(record)])),
    );
    this.checks.checkRequired(d, record);
    this.checks.checkUnique(table, record, undefined);
    this.checks.checkReferences(d, record, changed);
    this.ctx.rules?.beforeInsert(d.name, record);
    record.Id = this.ctx.ids.next(d.keyPrefix ?? '000');
    Object.assign(record, {
      CreatedDate: now,
      CreatedById: tx.userId,
      LastModifiedDate: now,
      LastModifiedById: tx.userId,
      SystemModstamp: now,
    });
    this.checks.dropUndescribed(d, record);
    table.put(record);
    const after = { ...record };
    tx.record(
      {
        objectName: d.name,
        changeType: 'CREATE',
        recordId: record.Id,
        changedFields: Object.keys(after).filter((k) => after[k] !== null && k !== 'IsDeleted'),
        nulledFields: [],
        after,
        before: undefined,
      },
      () => table.remove(record.Id),
    );
    return record;
  }

  update(
    tx: Transaction,
    objectName: string | undefined,
    id: string,
    input: WriteInput,
    source: ValueSource,
  ): StoredRecord {
    const { table, record: current } = this.findLive(objectName, id);
    const d = table.describe;
    const values = this.checks.resolveInput(d, input, 'update', source, current.Id);
    this.ctx.beforeWrite(current.Id);
    // Stored records are never changed in place (a write stores a new object), so the one
    // stored now is the record as it was before, and `next` the one after, as kept.
    const before = current;
    const next: StoredRecord = { ...current, ...values };
    const changed = new Set(Object.keys(values));
    Object.assign(next, derivedFields(d.name, next, changed));
    this.checks.checkRequired(d, next);
    this.checks.checkUnique(table, next, current.Id);
    this.checks.checkReferences(d, next, changed);
    this.ctx.rules?.beforeUpdate(d.name, current, next);
    const now = formatDateTime(this.ctx.now());
    Object.assign(next, {
      LastModifiedDate: now,
      LastModifiedById: tx.userId,
      SystemModstamp: now,
    });
    table.put(next);
    const changedFields = Object.keys(next).filter((k) => !sameValue(before[k], next[k]));
    tx.record(
      {
        objectName: d.name,
        changeType: 'UPDATE',
        recordId: next.Id,
        changedFields,
        nulledFields: changedFields.filter((k) => next[k] === null),
        after: next,
        before,
      },
      () => table.put(before),
    );
    return next;
  }

  /** Upsert by External ID (or `Id`): creates, updates, or fails with 300 on several matches. */
  upsert(
    tx: Transaction,
    objectName: string,
    externalIdField: string,
    externalValue: unknown,
    input: WriteInput,
    source: ValueSource,
  ): { record: StoredRecord; created: boolean } {
    const table = this.tableOf(objectName);
    const d = table.describe;
    const field = this.ctx.schema.field(d.name, externalIdField);
    if (!field || !(field.externalId || field.idLookup || field.name === 'Id')) {
      throw new DmlError(
        [
          err(
            'NOT_FOUND',
            `Provided external ID field does not exist or is not accessible: ${externalIdField}`,
          ),
        ],
        404,
      );
    }
    const body = { ...input };
    for (const k of Object.keys(body)) {
      if (k.toLowerCase() === field.name.toLowerCase() && field.name !== 'Id') delete body[k];
    }
    if (field.name === 'Id') {
      delete body['Id'];
      const raw = externalValue;
      if (raw === undefined || raw === null || raw === '') {
        return { record: this.insert(tx, d.name, body, source), created: true };
      }
      const id = normalizeId(String(raw));
      if (!id || !table.get(id)) {
        throw new DmlError([err('NOT_FOUND', 'The requested resource does not exist')], 404);
      }
      return { record: this.update(tx, d.name, id, body, source), created: false };
    }
    if (externalValue === undefined || externalValue === null || externalValue === '') {
      throw new DmlError([err('MISSING_ARGUMENT', `${field.name} not specified`)], 400);
    }
    const matches = table.lookup(field.name, externalValue);
    if (matches.length > 1) {
      const error = new DmlError(
        [
          err(
            'DUPLICATE_EXTERNAL_ID',
            `${field.name}: more than one record found for external id field: ${matches.join(', ')}`,
            [field.name],
          ),
        ],
        300,
      );
      (error as DmlError & { matches?: string[] }).matches = matches;
      throw error;
    }
    if (matches.length === 1 && matches[0]) {
      return { record: this.update(tx, d.name, matches[0], body, source), created: false };
    }
    const coerced = coerceValue(field, externalValue, source);
    const value = coerced.ok ? coerced.value : externalValue;
    return {
      record: this.insert(tx, d.name, { ...body, [field.name]: value }, source),
      created: true,
    };
  }

  /**
   * Deletes a record (to the recycle bin) and, as Salesforce does, the children of every
   * relationship whose describe says `cascadeDelete` (an Account's Contacts, Opportunities,
   * Tasks and Events), marked as cascaded: triggers and record-triggered Flows do not run for
   * them (Apex Developer Guide, "Operations That Don't Invoke Triggers":
   * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_triggers_ignoring_operations.htm),
   * change data capture reports them. Deleting a record needs no Delete permission on the
   * children it takes along (https://help.salesforce.com/s/articleView?id=sf.account_delete.htm).
   * A child on a `restrictedDelete` relationship (an Account's or a Contact's Cases) makes the
   * whole delete fail with DELETE_FAILED (restrictedParentDelete); the caller's transaction
   * rolls back what the cascade did before it.
   */
  delete(
    tx: Transaction,
    objectName: string | undefined,
    id: string,
    /** The record whose delete takes this one along (cascade), if any. */
    deletedWith?: string,
  ): StoredRecord {
    const cascade = deletedWith !== undefined;
    const normalized = normalizeId(id);
    const table = normalized ? this.ctx.store.tableForId(normalized) : undefined;
    const current = normalized ? table?.get(normalized) : undefined;
    if (
      !table ||
      !current ||
      (objectName && table.name.toLowerCase() !== objectName.toLowerCase())
    ) {
      if (normalized === undefined && id.length !== 15 && id.length !== 18) throw notFound();
      throw new DmlError([err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')], 404);
    }
    if (current.IsDeleted) {
      throw new DmlError([err('ENTITY_IS_DELETED', 'entity is deleted')], 404);
    }
    if (!cascade && !table.describe.deletable) {
      throw new DmlError([err('INVALID_TYPE', `entity type cannot be deleted: ${table.name}`)]);
    }
    if (!cascade) this.ctx.rules?.beforeDelete(table.name, current);
    this.restrictedParentDelete(table, current);
    this.ctx.beforeWrite(current.Id);
    const before = { ...current };
    const now = formatDateTime(this.ctx.now());
    const deleted: StoredRecord = {
      ...current,
      IsDeleted: true,
      SystemModstamp: now,
      LastModifiedDate: now,
      LastModifiedById: tx.userId,
      ...(cascade ? { [DELETED_WITH]: deletedWith } : {}),
    };
    table.put(deleted);
    tx.record(
      {
        objectName: table.name,
        changeType: 'DELETE',
        recordId: current.Id,
        changedFields: [],
        nulledFields: [],
        after: undefined,
        before,
        ...(cascade ? { cascadeDelete: true as const } : {}),
      },
      () => table.put(before),
    );
    for (const relationship of table.describe.childRelationships ?? []) {
      if (!relationship.cascadeDelete) continue;
      const children = this.ctx.store.table(relationship.childSObject);
      if (!children) continue;
      for (const childId of children.lookup(relationship.field, current.Id)) {
        this.delete(tx, children.name, childId, current.Id);
      }
    }
    return deleted;
  }

  /**
   * Fails the delete of a record that live records of a `restrictedDelete` relationship point
   * at, as Salesforce fails an Account or Contact with Cases: DELETE_FAILED, "Your attempt to
   * delete <name> could not be completed because it is associated with the following cases.:
   * <case numbers>" (an Account with Cases cannot be deleted:
   * https://help.salesforce.com/s/articleView?id=sf.account_delete.htm; the error as the REST API
   * returns it: `[{"message":"Your attempt to delete … could not be completed because it is
   * associated with the following cases.: 00001005\n","errorCode":"DELETE_FAILED","fields":[]}]`).
   */
  private restrictedParentDelete(table: RecordTable, record: StoredRecord): void {
    for (const relationship of table.describe.childRelationships ?? []) {
      if (!relationship.restrictedDelete || relationship.cascadeDelete) continue;
      const children = this.ctx.store.table(relationship.childSObject);
      const ids = children?.lookup(relationship.field, record.Id) ?? [];
      if (!children || ids.length === 0) continue;
      const nameField = children.describe.fields.find((f) => f.nameField)?.name ?? 'Id';
      const names = ids.map((childId) => String(children.get(childId)?.[nameField] ?? childId));
      const label = (children.describe.labelPlural ?? children.name).toLowerCase();
      throw new DmlError([
        err(
          'DELETE_FAILED',
          `Your attempt to delete ${String(record['Name'] ?? record.Id)} could not be completed because it is associated with the following ${label}.: ${names.join(', ')}\n`,
          [],
        ),
      ]);
    }
  }

  /**
   * Takes a record out of the recycle bin, and with it the children its delete took along
   * (`cascadeDelete`), as Salesforce restores an Account's Contacts and Opportunities with it
   * (https://help.salesforce.com/s/articleView?id=sf.account_delete.htm: "If you restore an
   * account from the Recycle Bin, any related items are also restored"); children deleted on
   * their own before stay in the recycle bin. Each restore is an UNDELETE change (change data
   * capture reports it; Flows have no undelete trigger).
   */
  undelete(tx: Transaction, id: string): StoredRecord {
    const normalized = normalizeId(id);
    const table = normalized ? this.ctx.store.tableForId(normalized) : undefined;
    const current = normalized ? table?.get(normalized) : undefined;
    if (!table || !current) {
      throw new DmlError([err('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')], 404);
    }
    if (!current.IsDeleted) {
      throw new DmlError([err('UNDELETE_FAILED', 'Entity is not in the recycle bin')]);
    }
    this.ctx.beforeWrite(current.Id);
    const before = { ...current };
    const now = formatDateTime(this.ctx.now());
    const restored: StoredRecord = {
      ...current,
      IsDeleted: false,
      SystemModstamp: now,
      LastModifiedDate: now,
      LastModifiedById: tx.userId,
    };
    delete restored[DELETED_WITH];
    this.checks.checkUnique(table, restored, restored.Id);
    table.put(restored);
    tx.record(
      {
        objectName: table.name,
        changeType: 'UNDELETE',
        recordId: current.Id,
        changedFields: [],
        nulledFields: [],
        after: { ...restored },
        before,
      },
      () => table.put(before),
    );
    for (const relationship of table.describe.childRelationships ?? []) {
      if (!relationship.cascadeDelete) continue;
      const children = this.ctx.store.table(relationship.childSObject);
      for (const child of children?.records.values() ?? []) {
        if (
          child.IsDeleted &&
          child[DELETED_WITH] === restored.Id &&
          child[relationship.field] === restored.Id
        ) {
          this.undelete(tx, child.Id);
        }
      }
    }
    return restored;
  }

  /** A live record by id (any object when `objectName` is undefined), else NOT_FOUND. */
  findLive(
    objectName: string | undefined,
    id: string,
  ): { table: RecordTable; record: StoredRecord } {
    // An id as stored (18 characters, as most callers hold them) needs no normalizing.
    let table = id.length === 18 ? this.ctx.store.tableForId(id) : undefined;
    let record = table?.get(id);
    if (!record) {
      const normalized = normalizeId(id);
      table = normalized ? this.ctx.store.tableForId(normalized) : undefined;
      record = normalized ? table?.get(normalized) : undefined;
    }
    if (
      !table ||
      !record ||
      (objectName && table.name.toLowerCase() !== objectName.toLowerCase())
    ) {
      throw notFound();
    }
    if (record.IsDeleted) throw new DmlError([err('ENTITY_IS_DELETED', 'entity is deleted')], 404);
    return { table, record };
  }
}

function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  return (a ?? null) === (b ?? null);
}
