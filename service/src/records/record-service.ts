import type { EventBus } from '../events/event-bus.ts';
import type { PryzmValues } from '../mapping/attribute-types.ts';
import { ok } from '../outcome/result.ts';
import type { Repositories } from '../store/repositories/index.ts';
import type { LinkRepository, LinkRow } from '../store/repositories/links.ts';
import type { RecordTypeRepository, RecordTypeRow } from '../store/repositories/record-types.ts';
import type { RecordPage, RecordRepository, RecordRow } from '../store/repositories/records.ts';
import { problem, type Outcome } from '../outcome/problem.ts';
import { checkValues, referencedIds, type ValueIssue } from './record-values.ts';

/** A record with the key of its record type, as the API shows it. */
export interface RecordView extends RecordRow {
  recordType: string;
}

/** Records of a workspace: typed values, a version for optimistic concurrency, soft deletion. */
export class RecordService {
  private readonly records: RecordRepository;
  private readonly recordTypes: RecordTypeRepository;
  private readonly linkRows: LinkRepository;

  constructor(
    repositories: Pick<Repositories, 'records' | 'recordTypes' | 'links'>,
    /** Where record changes are announced (webhooks, event streams); none in unit tests. */
    private readonly events?: EventBus,
  ) {
    this.records = repositories.records;
    this.linkRows = repositories.links;
    this.recordTypes = repositories.recordTypes;
  }

  async create(
    workspaceId: string,
    recordTypeKey: string,
    values: PryzmValues,
  ): Promise<Outcome<RecordView>> {
    const recordType = await this.recordTypes.findByKey(workspaceId, recordTypeKey);
    if (!recordType) return recordTypeNotFound(recordTypeKey);
    const checked = await this.check(recordType, values, false);
    if (!checked.ok) return checked;
    const row = await this.records.create({ workspaceId, recordTypeId: recordType.id, values });
    const created = { ...row, recordType: recordType.key };
    this.announce('record.created', created);
    return ok(created);
  }

  async list(
    workspaceId: string,
    recordTypeKey: string,
    options: { limit: number; cursor?: string; includeDeleted: boolean },
  ): Promise<Outcome<RecordPage & { recordType: string }>> {
    const recordType = await this.recordTypes.findByKey(workspaceId, recordTypeKey);
    if (!recordType) return recordTypeNotFound(recordTypeKey);
    if (options.cursor) {
      const cursor = await this.records.findById(workspaceId, options.cursor);
      if (cursor?.recordTypeId !== recordType.id) {
        return problem('invalid', 'invalid_cursor', 'The cursor does not belong to this list');
      }
    }
    return ok({ ...(await this.records.list(recordType.id, options)), recordType: recordType.key });
  }

  async get(workspaceId: string, id: string): Promise<Outcome<RecordView>> {
    const found = await this.find(workspaceId, id);
    if (!found) return recordNotFound(id);
    return ok({ ...found.record, recordType: found.recordType.key });
  }

  /**
   * Merges `values` into the record. With `expectedVersion` the write happens only if nobody
   * changed the record since that version was read; without it, on the version read here.
   */
  async update(
    workspaceId: string,
    id: string,
    values: PryzmValues,
    expectedVersion?: number,
  ): Promise<Outcome<RecordView>> {
    const found = await this.find(workspaceId, id);
    if (!found || found.record.deletedAt) return recordNotFound(id);
    const { record, recordType } = found;
    if (expectedVersion !== undefined && expectedVersion !== record.version) {
      return versionConflict(id, record.version);
    }
    const checked = await this.check(recordType, values, true);
    if (!checked.ok) return checked;
    const merged = { ...record.values, ...values };
    const updated = await this.records.updateIfVersion(id, record.version, { values: merged });
    if (!updated) return versionConflict(id);
    const view = { ...updated, recordType: recordType.key };
    this.announce('record.updated', view, Object.keys(values));
    return ok(view);
  }

  /** The record's links to Salesforce records (deleted records keep theirs). */
  async links(workspaceId: string, id: string): Promise<Outcome<LinkRow[]>> {
    const record = await this.records.findById(workspaceId, id);
    if (!record) return recordNotFound(id);
    return ok(await this.linkRows.listForRecord(id));
  }

  /** Soft deletion: the record and its links stay, marked deleted. */
  async delete(
    workspaceId: string,
    id: string,
    expectedVersion?: number,
  ): Promise<Outcome<RecordView>> {
    const found = await this.find(workspaceId, id);
    if (!found || found.record.deletedAt) return recordNotFound(id);
    const version = expectedVersion ?? found.record.version;
    const updated = await this.records.updateIfVersion(id, version, { deletedAt: new Date() });
    if (!updated) return versionConflict(id, found.record.version);
    const view = { ...updated, recordType: found.recordType.key };
    this.announce('record.deleted', view);
    return ok(view);
  }

  /**
   * Checks values the way `create` (or, with `id`, `update`) would, without writing: for imports
   * that must refuse a whole file before writing any row of it.
   */
  async validate(
    workspaceId: string,
    recordTypeKey: string,
    values: PryzmValues,
    id?: string,
  ): Promise<Outcome<void>> {
    if (id !== undefined) {
      const found = await this.find(workspaceId, id);
      if (!found || found.record.deletedAt || found.recordType.key !== recordTypeKey) {
        return problem('invalid', 'invalid_values', `No ${recordTypeKey} record ${id}`, {
          issues: [
            { attribute: 'id', code: 'invalid_value', message: `No ${recordTypeKey} record ${id}` },
          ],
        });
      }
      return this.check(found.recordType, values, true);
    }
    const recordType = await this.recordTypes.findByKey(workspaceId, recordTypeKey);
    if (!recordType) return recordTypeNotFound(recordTypeKey);
    return this.check(recordType, values, false);
  }

  /** The record as webhooks and event streams carry it (`changed`: the attributes written). */
  private announce(
    type: 'record.created' | 'record.updated' | 'record.deleted',
    record: RecordView,
    changed?: string[],
  ): void {
    this.events?.publish(type, record.workspaceId, {
      record: {
        id: record.id,
        recordType: record.recordType,
        values: record.values,
        version: record.version,
        createdAt: record.createdAt,
        updatedAt: record.updatedAt,
        deletedAt: record.deletedAt,
      },
      ...(changed ? { changed } : {}),
    });
  }

  private async find(
    workspaceId: string,
    id: string,
  ): Promise<{ record: RecordRow; recordType: RecordTypeRow } | null> {
    const record = await this.records.findById(workspaceId, id);
    if (!record) return null;
    const recordType = (await this.recordTypes.list(workspaceId)).find(
      (type) => type.id === record.recordTypeId,
    );
    return recordType ? { record, recordType } : null;
  }

  private async check(
    recordType: RecordTypeRow,
    values: PryzmValues,
    partial: boolean,
  ): Promise<Outcome<void>> {
    const issues: ValueIssue[] = checkValues(recordType.attributes, values, partial);
    for (const [targetKey, references] of referencedIds(recordType.attributes, values)) {
      const target = await this.recordTypes.findByKey(recordType.workspaceId, targetKey);
      const existing = target
        ? await this.records.existingIds(
            recordType.workspaceId,
            target.id,
            references.map((r) => r.id),
          )
        : new Set<string>();
      for (const reference of references) {
        if (!existing.has(reference.id)) {
          issues.push({
            attribute: reference.attribute,
            code: 'invalid_value',
            message: `No ${targetKey} record ${reference.id}`,
          });
        }
      }
    }
    if (issues.length === 0) return ok(undefined);
    return problem('invalid', 'invalid_values', issues.map((issue) => issue.message).join('; '), {
      issues,
    });
  }
}

function recordTypeNotFound(key: string) {
  return problem('not_found', 'record_type_not_found', `No record type "${key}"`);
}

function recordNotFound(id: string) {
  return problem('not_found', 'record_not_found', `No record ${id}`);
}

function versionConflict(id: string, currentVersion?: number) {
  return problem(
    'conflict',
    'version_conflict',
    `Record ${id} was changed by someone else; reload it and try again`,
    currentVersion === undefined ? undefined : { currentVersion },
  );
}
