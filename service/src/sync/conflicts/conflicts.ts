import type { ConnectionService } from '../../connections/connection-service.ts';
import type { DescribeService } from '../../connections/describe-service.ts';
import { findPryzmIdField, toSalesforce, type PryzmValues } from '../../mapping/index.ts';
import type { MappingService } from '../../mappings/mapping-service.ts';
import { problem, type Outcome } from '../../outcome/problem.ts';
import { ok } from '../../outcome/result.ts';
import { SalesforceApiError } from '../../salesforce/client.ts';
import { upsertOneWithStamp } from '../../salesforce/composite.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import { definitionOf } from '../../store/repositories/record-types.ts';
import type { ConflictRow } from '../../store/repositories/sync-conflicts.ts';
import { runDescribes } from '../jobs/run-describes.ts';
import { referencedRecordIds } from '../push/push-planner.ts';

/** A conflict as the API shows it. */
export type Conflict = ConflictRow;

/** Which side's value each attribute keeps. */
export type ConflictChoices = Record<string, 'pryzm' | 'salesforce'>;

/**
 * Conflicts a pull left for a person (strategy `manual`): listing them and settling them field by
 * field. A value kept from Pryzm is written to Salesforce (one upsert by `Pryzm_ID__c`, with the
 * `SystemModstamp` it produced read back in the same Composite call, so a snapshot read before it
 * cannot undo it), a value kept from Salesforce to the Pryzm record; either way the link's base
 * moves to it, so the next sync sees both sides agree.
 */
export class Conflicts {
  constructor(
    private readonly repositories: Pick<Repositories, 'syncConflicts' | 'syncPush' | 'recordTypes'>,
    private readonly connections: ConnectionService,
    private readonly mappings: MappingService,
    private readonly describes: DescribeService,
  ) {}

  list(
    workspaceId: string,
    filter: { connectionId?: string; status?: Conflict['status']; recordId?: string },
    page: { limit: number; cursor?: string },
  ) {
    return this.repositories.syncConflicts.list(workspaceId, filter, page);
  }

  async get(workspaceId: string, id: string): Promise<Outcome<Conflict>> {
    const conflict = await this.repositories.syncConflicts.find(workspaceId, id);
    return conflict ? ok(conflict) : conflictNotFound(id);
  }

  async resolve(
    workspaceId: string,
    id: string,
    choices: ConflictChoices,
  ): Promise<Outcome<Conflict>> {
    const conflict = await this.repositories.syncConflicts.find(workspaceId, id);
    if (!conflict) return conflictNotFound(id);
    if (conflict.status !== 'open') {
      return problem('conflict', 'conflict_resolved', `Conflict ${id} is already resolved`);
    }
    const attributes = new Set(conflict.fields.map((field) => field.attribute));
    const unknown = Object.keys(choices).filter((attribute) => !attributes.has(attribute));
    if (unknown.length > 0) {
      return problem(
        'invalid',
        'unknown_conflict_field',
        `The conflict has no field ${unknown.join(', ')}; its fields: ${[...attributes].join(', ')}`,
      );
    }
    const chosen = conflict.fields.filter((field) => choices[field.attribute]);
    const fromPryzm: PryzmValues = {};
    const fromSalesforce: PryzmValues = {};
    for (const field of chosen) {
      if (choices[field.attribute] === 'pryzm') fromPryzm[field.attribute] = field.pryzm;
      else fromSalesforce[field.attribute] = field.salesforce;
    }
    let salesforceModstamp: Date | undefined;
    if (Object.keys(fromPryzm).length > 0) {
      const written = await this.writeToSalesforce(workspaceId, conflict, fromPryzm);
      if (!written.ok) return written;
      salesforceModstamp = written.value ?? undefined;
    }
    return ok(
      await this.repositories.syncConflicts.settle({
        conflict,
        recordValues: fromSalesforce,
        baseValues: { ...fromPryzm, ...fromSalesforce },
        remaining: conflict.fields.filter((field) => !choices[field.attribute]),
        ...(salesforceModstamp ? { salesforceModstamp } : {}),
      }),
    );
  }

  private async writeToSalesforce(
    workspaceId: string,
    conflict: Conflict,
    values: PryzmValues,
  ): Promise<Outcome<Date | null>> {
    const connection = await this.connections.get(workspaceId, conflict.connectionId);
    if (!connection.ok) return connection;
    const mapping = await this.mappings.list(workspaceId, conflict.connectionId);
    if (!mapping.ok) return mapping;
    const row = mapping.value.find(
      (item) => item.mapping.salesforceObject === conflict.salesforceObject,
    );
    if (!row) {
      return problem(
        'conflict',
        'mapping_gone',
        `${conflict.salesforceObject} is no longer mapped`,
      );
    }
    const recordTypeRow = await this.repositories.recordTypes.findByKey(
      workspaceId,
      row.mapping.recordType,
    );
    if (!recordTypeRow) return problem('conflict', 'mapping_gone', 'The record type is gone');
    const describes = await runDescribes(this.describes, connection.value, row.mapping);
    if (!describes.ok) return describes;
    const describe = describes.value.describe;
    const pryzmIdField = findPryzmIdField(describe)?.name;
    if (!pryzmIdField) {
      return problem('conflict', 'pryzm_id_field_missing', `${describe.name} has no Pryzm_ID__c`);
    }
    const recordType = definitionOf(recordTypeRow);
    const parents = await this.repositories.syncPush.salesforceIdsOf(
      conflict.connectionId,
      referencedRecordIds(values, recordType),
    );
    const mapped = toSalesforce(values, row.mapping, {
      recordType,
      describe,
      operation: 'update',
      lookupSalesforceId: (_type, recordId) => parents.get(recordId),
    });
    const skipped = mapped.fieldResults.find((result) => result.status === 'skipped');
    if (skipped && skipped.status === 'skipped') {
      return problem(
        'unprocessable',
        'value_not_writable',
        `${skipped.attribute}: ${skipped.reason}`,
      );
    }
    try {
      const written = await upsertOneWithStamp(
        this.connections.client(connection.value),
        describe.name,
        pryzmIdField,
        conflict.recordId,
        mapped.fields,
      );
      return ok(written.systemModstamp ? new Date(written.systemModstamp) : null);
    } catch (error) {
      if (!(error instanceof SalesforceApiError)) throw error;
      return problem(
        'unprocessable',
        'salesforce_rejected',
        `Salesforce refused the value: ${error.errorCode}: ${error.message}`,
        { salesforceErrorCode: error.errorCode },
      );
    }
  }
}

function conflictNotFound(id: string) {
  return problem('not_found', 'conflict_not_found', `No conflict ${id}`);
}
