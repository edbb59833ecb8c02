import {
  DEFAULT_DELETE_SETTINGS,
  findPryzmIdField,
  type ObjectMapping,
  type RecordTypeDefinition,
  type SObjectDescribe,
} from '../../mapping/index.ts';
import type { SalesforceClient } from '../../salesforce/client.ts';
import {
  COLLECTION_SIZE,
  deleteRecords,
  upsertByExternalId,
} from '../../salesforce/collections.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import type { PlannedResult } from '../../store/repositories/sync-pages.ts';
import type { PushCandidate, PushedBatch } from '../../store/repositories/sync-push.ts';
import { emptyCounts } from '../../store/repositories/sync-jobs.ts';
import type { JobRun } from '../jobs/job-run.ts';
import {
  planPush,
  referencedRecordIds,
  skippedFieldResults,
  type PlannedPush,
} from './push-planner.ts';

/** Records read per round of a batch push (each round writes them 200 per API call). */
const READ_SIZE = 2_000;

export interface PushObjectInput {
  run: JobRun;
  workspaceId: string;
  connectionId: string;
  client: SalesforceClient;
  mapping: ObjectMapping;
  recordType: RecordTypeDefinition & { id: string };
  describe: SObjectDescribe;
}

/**
 * Pushes the records of one mapping that are new to Salesforce or changed in Pryzm since their
 * last sync: sObject Collections upserts by `Pryzm_ID__c`, 200 records a call, `allOrNone`
 * false, so a record Salesforce refuses fails alone with Salesforce's code and message. Each
 * call's outcome commits with the links it creates or moves forward; a crash between the call
 * and the commit only repeats the same upsert on the next run.
 */
export async function pushObject(
  store: Pick<Repositories, 'syncPush'>,
  input: PushObjectInput,
): Promise<void> {
  const { run, mapping, describe } = input;
  const object = mapping.salesforceObject;
  const pryzmIdField = findPryzmIdField(describe)?.name;
  if (!pryzmIdField) throw new Error(`${describe.name} has no Pryzm_ID__c field to upsert by`);
  const progress = run.object(object);
  let afterId: string | null = null;
  let processed = 0;
  for (;;) {
    const readAt = new Date();
    const page = await store.syncPush.changedRecords({
      workspaceId: input.workspaceId,
      recordTypeId: input.recordType.id,
      connectionId: input.connectionId,
      salesforceObject: object,
      afterId,
      limit: READ_SIZE,
    });
    if (page.lastId === null) break;
    afterId = page.lastId;
    const parents = await store.syncPush.salesforceIdsOf(
      input.connectionId,
      page.candidates.flatMap((candidate) =>
        referencedRecordIds(candidate.values, input.recordType),
      ),
    );
    const plans = page.candidates.map((candidate) => ({
      candidate,
      plan: planPush(candidate, {
        mapping,
        recordType: input.recordType,
        describe,
        salesforceIdOf: (recordId) => parents.get(recordId),
      }),
    }));
    const writes = plans.filter(
      (item): item is { candidate: PushCandidate; plan: Extract<PlannedPush, { kind: 'write' }> } =>
        item.plan.kind === 'write',
    );
    const unchanged = plans.length - writes.length;
    if (unchanged > 0) {
      const counts = { ...emptyCounts(), unchanged };
      run.add(object, counts, processed + unchanged, null);
      processed += unchanged;
    }
    for (let start = 0; start < writes.length; start += COLLECTION_SIZE) {
      await run.checkAllowance();
      const batch = writes.slice(start, start + COLLECTION_SIZE);
      const saved = await upsertByExternalId(
        input.client,
        describe.name,
        pryzmIdField,
        batch.map(({ plan }) => ({ attributes: { type: describe.name }, ...plan.body })),
      );
      const counts = emptyCounts();
      const links: PushedBatch['links'] = [];
      const results: PlannedResult[] = [];
      saved.forEach((result, index) => {
        const { candidate, plan } = batch[index]!;
        const skipped = skippedFieldResults(plan.fieldResults);
        if (result.success && result.id) {
          links.push({
            recordId: candidate.id,
            salesforceId: result.id,
            baseValues: { ...(candidate.link?.baseValues ?? {}), ...plan.pushed },
          });
          counts[result.created ? 'created' : 'updated'] += 1;
          results.push({
            salesforceId: result.id,
            recordId: candidate.id,
            action: result.created ? 'created' : 'updated',
            ...(skipped.length > 0 ? { fields: skipped } : {}),
          });
        } else {
          const error = result.errors[0];
          counts.failed += 1;
          results.push({
            salesforceId: candidate.link?.salesforceId ?? null,
            recordId: candidate.id,
            action: 'failed',
            errorCode: error?.statusCode ?? 'UNKNOWN_ERROR',
            errorMessage: error
              ? `${error.message}${error.fields.length > 0 ? ` (${error.fields.join(', ')})` : ''}`
              : 'Salesforce gave no reason',
            ...(skipped.length > 0 ? { fields: skipped } : {}),
          });
        }
      });
      processed += batch.length;
      run.add(object, counts, processed, null);
      await store.syncPush.commit({
        jobId: run.job.id,
        connectionId: input.connectionId,
        salesforceObject: object,
        readAt,
        links,
        results,
        job: run.snapshot(),
      });
      if (run.signal.aborted) run.signal.throwIfAborted();
    }
  }
  if ((mapping.deletes ?? DEFAULT_DELETE_SETTINGS).fromPryzm === 'propagate') {
    processed = await pushDeletes(store, input, processed);
  }
  progress.total = processed;
  run.finishObject(object);
}

/**
 * Deletes in Salesforce the records deleted in Pryzm (when the mapping propagates Pryzm
 * deletes), 200 per sObject Collections call; a record already gone counts as deleted.
 */
async function pushDeletes(
  store: Pick<Repositories, 'syncPush'>,
  input: PushObjectInput,
  processedBefore: number,
): Promise<number> {
  const { run, mapping } = input;
  const object = mapping.salesforceObject;
  let processed = processedBefore;
  const refused = new Set<string>();
  for (;;) {
    const links = (
      await store.syncPush.deletedInPryzm(
        input.connectionId,
        object,
        COLLECTION_SIZE + refused.size,
      )
    )
      .filter((link) => !refused.has(link.salesforceId))
      .slice(0, COLLECTION_SIZE);
    if (links.length === 0) return processed;
    const saved = await deleteRecords(
      input.client,
      links.map((link) => link.salesforceId),
    );
    const counts = emptyCounts();
    const deleted: string[] = [];
    const results: PlannedResult[] = [];
    saved.forEach((result, index) => {
      const link = links[index]!;
      const error = result.errors[0];
      if (result.success || error?.statusCode === 'ENTITY_IS_DELETED') {
        deleted.push(link.salesforceId);
        counts.deleted += 1;
        results.push({
          salesforceId: link.salesforceId,
          recordId: link.recordId,
          action: 'deleted',
        });
      } else {
        refused.add(link.salesforceId);
        counts.failed += 1;
        results.push({
          salesforceId: link.salesforceId,
          recordId: link.recordId,
          action: 'failed',
          errorCode: error?.statusCode ?? 'UNKNOWN_ERROR',
          errorMessage: error?.message ?? 'Salesforce gave no reason',
        });
      }
    });
    processed += links.length;
    run.add(object, counts, processed, null);
    await store.syncPush.commitDeletes({
      jobId: run.job.id,
      connectionId: input.connectionId,
      salesforceObject: object,
      deleted,
      results,
      job: run.snapshot(),
    });
  }
}
