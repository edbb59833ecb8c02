import type { ConnectionService } from '../../connections/connection-service.ts';
import type { DescribeService } from '../../connections/describe-service.ts';
import { findPryzmIdField, type FieldResult } from '../../mapping/index.ts';
import type { MappingService } from '../../mappings/mapping-service.ts';
import { problem, type Outcome } from '../../outcome/problem.ts';
import { ok } from '../../outcome/result.ts';
import { SalesforceApiError } from '../../salesforce/client.ts';
import { upsertOneWithStamp } from '../../salesforce/composite.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import { definitionOf } from '../../store/repositories/record-types.ts';
import { emptyCounts } from '../../store/repositories/sync-jobs.ts';
import { runDescribes } from '../jobs/run-describes.ts';
import { salesforceStamp } from '../pull/salesforce-stamp.ts';
import { planPush, referencedRecordIds, skippedFieldResults } from './push-planner.ts';
import { syncedStamp, syncStampFields } from '../sync-stamp.ts';

/** What a single-record push did, field by field. */
export interface RecordPushOutcome {
  jobId: string;
  action: 'created' | 'updated' | 'unchanged' | 'failed';
  salesforceObject: string;
  salesforceId: string | null;
  fields: FieldResult[];
  error: { code: string; message: string } | null;
  apiCalls: number;
}

/**
 * "Push to Salesforce" for one record: an upsert by `Pryzm_ID__c`, one API call when the
 * describes are cached, of the values that changed in Pryzm since the last sync (every value
 * for a record Salesforce does not have yet). Recorded as a push job with one record result.
 * The same Composite call reads the record's `SystemModstamp` after the upsert; the link keeps it
 * with the pushed values, so a snapshot read before the push (a pull's page, a flows read-back)
 * is older than what the link holds and cannot undo the push.
 */
export class RecordPush {
  constructor(
    private readonly repositories: Pick<Repositories, 'syncJobs' | 'syncPush' | 'recordTypes'>,
    private readonly connections: ConnectionService,
    private readonly mappings: MappingService,
    private readonly describes: DescribeService,
  ) {}

  async push(
    workspaceId: string,
    recordId: string,
    target: { connectionId: string; salesforceObject?: string },
    startedBy: string,
  ): Promise<Outcome<RecordPushOutcome>> {
    const connection = await this.connections.get(workspaceId, target.connectionId);
    if (!connection.ok) return connection;
    if (connection.value.status !== 'active') {
      return problem('conflict', 'connection_not_active', 'Only an active connection pushes');
    }
    // One read of the record and its links on the connection serves the whole push; edits
    // after it are changes for the next push.
    const readAt = new Date();
    const stored = await this.repositories.syncPush.recordForPush(
      workspaceId,
      recordId,
      target.connectionId,
    );
    if (!stored) return problem('not_found', 'record_not_found', `No record ${recordId}`);
    const recordTypeRow = await this.repositories.recordTypes.findById(stored.recordTypeId);
    if (!recordTypeRow) return problem('not_found', 'record_not_found', `No record ${recordId}`);
    const mappings = await this.mappings.list(workspaceId, target.connectionId);
    if (!mappings.ok) return mappings;
    const candidates = mappings.value.filter(
      (row) =>
        row.enabled &&
        row.mapping.direction !== 'pull' &&
        row.mapping.recordType === recordTypeRow.key &&
        (!target.salesforceObject ||
          row.mapping.salesforceObject.toLowerCase() === target.salesforceObject.toLowerCase()),
    );
    if (candidates.length === 0) {
      return problem(
        'conflict',
        'no_push_mapping',
        `No enabled mapping of this connection pushes ${recordTypeRow.pluralName.toLowerCase()}`,
      );
    }
    if (candidates.length > 1) {
      return problem(
        'invalid',
        'salesforce_object_required',
        `Several mappings push ${recordTypeRow.pluralName.toLowerCase()}: name one as salesforceObject (${candidates.map((row) => row.mapping.salesforceObject).join(', ')})`,
      );
    }
    const mapping = candidates[0]!.mapping;
    const describes = await runDescribes(this.describes, connection.value, mapping);
    if (!describes.ok) return describes;
    const describe = describes.value.describe;
    const pryzmIdField = findPryzmIdField(describe)?.name;
    if (!pryzmIdField) {
      return problem(
        'conflict',
        'pryzm_id_field_missing',
        `${describe.name} has no Pryzm_ID__c field: install the package in the org`,
      );
    }
    const record = stored.forObject(mapping.salesforceObject);
    const recordType = definitionOf(recordTypeRow);
    const parents = await this.repositories.syncPush.salesforceIdsOf(
      target.connectionId,
      referencedRecordIds(record.values, recordType),
    );
    const job = await this.repositories.syncJobs.create({
      workspaceId,
      connectionId: target.connectionId,
      kind: 'push',
      mode: 'records',
      scope: { pull: [], push: [mapping.salesforceObject], recordIds: [recordId] },
      startedBy,
    });
    const plan = planPush(record, {
      mapping,
      recordType,
      describe,
      salesforceIdOf: (id) => parents.get(id),
    });
    let apiCalls = 0;
    const counts = emptyCounts();
    let outcome: RecordPushOutcome;
    if (plan.kind === 'nothing') {
      counts.unchanged = 1;
      outcome = {
        jobId: job.id,
        action: 'unchanged',
        salesforceObject: mapping.salesforceObject,
        salesforceId: record.link?.salesforceId ?? null,
        fields: plan.fieldResults,
        error: null,
        apiCalls,
      };
    } else {
      const client = this.connections.client(connection.value, (kind) => {
        if (kind === 'api') apiCalls += 1;
      });
      const { [pryzmIdField]: _key, ...fields } = plan.body;
      try {
        const saved = await upsertOneWithStamp(client, describe.name, pryzmIdField, record.id, {
          ...fields,
          ...syncedStamp(syncStampFields(describe), new Date()),
        });
        counts[saved.created ? 'created' : 'updated'] = 1;
        outcome = {
          jobId: job.id,
          action: saved.created ? 'created' : 'updated',
          salesforceObject: mapping.salesforceObject,
          salesforceId: saved.id,
          fields: plan.fieldResults,
          error: null,
          apiCalls,
        };
        await this.repositories.syncPush.commit({
          jobId: job.id,
          connectionId: target.connectionId,
          salesforceObject: mapping.salesforceObject,
          readAt,
          links: [
            {
              recordId,
              salesforceId: saved.id,
              baseValues: { ...(record.link?.baseValues ?? {}), ...plan.pushed },
              salesforceModstamp: salesforceStamp({ SystemModstamp: saved.systemModstamp }) ?? null,
            },
          ],
          results: [],
          job: { progress: [], counts, apiCalls, workerId: null },
        });
      } catch (error) {
        if (!(error instanceof SalesforceApiError)) throw error;
        counts.failed = 1;
        outcome = {
          jobId: job.id,
          action: 'failed',
          salesforceObject: mapping.salesforceObject,
          salesforceId: record.link?.salesforceId ?? null,
          fields: plan.fieldResults,
          error: { code: error.errorCode, message: error.message },
          apiCalls,
        };
      }
    }
    const skipped = skippedFieldResults(outcome.fields);
    await this.repositories.syncJobs.addResults(job.id, mapping.salesforceObject, [
      {
        salesforceId: outcome.salesforceId,
        recordId,
        action: outcome.action,
        ...(outcome.error
          ? { errorCode: outcome.error.code, errorMessage: outcome.error.message }
          : {}),
        ...(skipped.length > 0 ? { fields: skipped } : {}),
      },
    ]);
    await this.repositories.syncJobs.finish(job.id, {
      status:
        outcome.action === 'failed'
          ? 'failed'
          : skipped.length > 0
            ? 'partially_succeeded'
            : 'succeeded',
      error: outcome.error?.message ?? null,
      progress: [
        {
          salesforceObject: mapping.salesforceObject,
          phase: 'push',
          total: 1,
          processed: 1,
          counts,
          startedAt: readAt.toISOString(),
          finishedAt: new Date().toISOString(),
        },
      ],
      counts,
      apiCalls,
      workerId: null,
    });
    return ok(outcome);
  }
}
