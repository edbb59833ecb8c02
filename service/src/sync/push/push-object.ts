import {
  DEFAULT_DELETE_SETTINGS,
  findPryzmIdField,
  type ObjectMapping,
  type PryzmValues,
  type RecordTypeDefinition,
  type SObjectDescribe,
} from '../../mapping/index.ts';
import type { SalesforceClient } from '../../salesforce/client.ts';
import { ingestRecords, missingOutcome, resumeIngest } from '../../salesforce/bulk-ingest.ts';
import { COLLECTION_SIZE, deleteRecords, type UpsertResult } from '../../salesforce/collections.ts';
import {
  readStamps,
  RECORDS_PER_STAMPED_UPSERT,
  upsertWithStamps,
} from '../../salesforce/composite.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import type { PlannedResult } from '../../store/repositories/sync-pages.ts';
import type { PushCandidate, PushedBatch } from '../../store/repositories/sync-push.ts';
import { emptyCounts } from '../../store/repositories/sync-jobs.ts';
import type { JobRun } from '../jobs/job-run.ts';
import { salesforceStamp } from '../pull/salesforce-stamp.ts';
import { syncedStamp, syncStampFields } from '../sync-stamp.ts';
import {
  planPush,
  referencedRecordIds,
  skippedFieldResults,
  type PlannedPush,
} from './push-planner.ts';

/**
 * Records read per round of a batch push: up to 10,000 go to Salesforce in one Bulk API 2.0
 * ingest job when there are at least `bulkIngestThreshold` of them, else 800 per Composite call
 * (four sObject Collections upserts of 200 and the read-back of their stamps).
 */
const READ_SIZE = 10_000;

export interface PushObjectInput {
  run: JobRun;
  workspaceId: string;
  connectionId: string;
  client: SalesforceClient;
  mapping: ObjectMapping;
  recordType: RecordTypeDefinition & { id: string };
  describe: SObjectDescribe;
  /** Records from which a round goes through Bulk API 2.0 ingest (0: never). */
  bulkIngestThreshold?: number;
  /** First wait before polling a Bulk API 2.0 job. */
  pollIntervalMs?: number;
}

/** A record sent to Salesforce, and what its success commits. */
interface SentRecord {
  recordId: string;
  /** The link's Salesforce Id before the push (null: new to Salesforce). */
  salesforceId: string | null;
  /** The link's base once Salesforce took the values. */
  baseValues: PryzmValues;
  skipped: ReturnType<typeof skippedFieldResults>;
}

/** An ingest job's batch as stored with it: when the records were read, and the records. */
interface PushIngestBatch {
  readAt: string;
  records: SentRecord[];
}

/** A record the planner found something to write for, with what it writes. */
export type Write = { candidate: PushCandidate; plan: Extract<PlannedPush, { kind: 'write' }> };

/**
 * Pushes the records of one mapping that are new to Salesforce or changed in Pryzm since their
 * last sync, upserted by `Pryzm_ID__c`: 800 records per Composite call (four sObject Collections
 * upserts of 200, then a query of their `SystemModstamp`), or, from `bulkIngestThreshold`
 * records a round, one Bulk API 2.0 ingest job whose records' stamps are read back after it by
 * queries of 2,000 Ids (five to a Composite call). A record Salesforce refuses fails alone with
 * Salesforce's code and message. Each call's or job's outcome commits with the links it creates
 * or moves forward, each with the stamp its record had after the write: a snapshot read before
 * the push (a pull's page, a real-time read-back) is then older than the link's values and is
 * left alone (`older_than_applied`) instead of undoing the push. A crash between the call and
 * the commit repeats the same upsert on the next run, and an ingest job's id is stored before its
 * data goes up, so a resumed run reads that job's results instead of sending the records again.
 */
export async function pushObject(
  store: Pick<Repositories, 'syncPush' | 'syncIngestJobs'>,
  input: PushObjectInput,
): Promise<void> {
  const { run, mapping, describe } = input;
  const object = mapping.salesforceObject;
  const pryzmIdField = findPryzmIdField(describe)?.name;
  if (!pryzmIdField) throw new Error(`${describe.name} has no Pryzm_ID__c field to upsert by`);
  const progress = run.object(object);
  let processed = 0;
  processed = await resumeIngestJobs(store, input, pryzmIdField, processed);
  let afterId: string | null = null;
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
    const writes = plans.filter((item): item is Write => item.plan.kind === 'write');
    const unchanged = plans.length - writes.length;
    if (unchanged > 0) {
      const counts = { ...emptyCounts(), unchanged };
      run.add(object, counts, processed + unchanged, null);
      processed += unchanged;
    }
    const threshold = input.bulkIngestThreshold ?? 0;
    if (threshold > 0 && writes.length >= threshold) {
      await run.checkAllowance();
      processed = await pushThroughBulk(store, input, pryzmIdField, writes, readAt, processed);
      if (run.signal.aborted) run.signal.throwIfAborted();
      continue;
    }
    processed = await upsertWrites(store, input, pryzmIdField, writes, readAt, processed);
  }
  if ((mapping.deletes ?? DEFAULT_DELETE_SETTINGS).fromPryzm === 'propagate') {
    processed = await pushDeletes(store, input, processed);
  }
  progress.total = processed;
  run.finishObject(object);
}

/**
 * Upserts planned writes by `Pryzm_ID__c`, 800 records per Composite call (four sObject
 * Collections upserts of 200 and the query of their stamps), each call's outcome committed with
 * the links it creates or moves forward. Answers the records processed.
 */
export async function upsertWrites(
  store: Pick<Repositories, 'syncPush'>,
  input: PushObjectInput,
  pryzmIdField: string,
  writes: readonly Write[],
  readAt: Date,
  processedBefore: number,
): Promise<number> {
  const { run, describe } = input;
  let processed = processedBefore;
  for (let start = 0; start < writes.length; start += RECORDS_PER_STAMPED_UPSERT) {
    await run.checkAllowance();
    const batch = writes.slice(start, start + RECORDS_PER_STAMPED_UPSERT);
    const saved = await upsertWithStamps(
      input.client,
      describe.name,
      pryzmIdField,
      batch.map(({ plan }) => ({
        attributes: { type: describe.name },
        ...plan.body,
        ...syncedStamp(syncStampFields(describe), new Date()),
      })),
    );
    const sent = batch.map(sentRecord);
    processed = await commitOutcomes(store, input, sent, (_, index) => saved[index]!, {
      readAt,
      processed,
    });
    if (run.signal.aborted) run.signal.throwIfAborted();
  }
  return processed;
}

function sentRecord({ candidate, plan }: Write): SentRecord {
  return {
    recordId: candidate.id,
    salesforceId: candidate.link?.salesforceId ?? null,
    baseValues: { ...(candidate.link?.baseValues ?? {}), ...plan.pushed },
    skipped: skippedFieldResults(plan.fieldResults),
  };
}

/**
 * Salesforce's answer for one record, from sObject Collections or a Bulk API 2.0 job, with the
 * `SystemModstamp` read back after the write (null or absent: not known).
 */
type RecordOutcome = Pick<UpsertResult, 'id' | 'success' | 'created' | 'errors'> & {
  systemModstamp?: string | null;
};

/**
 * Commits what Salesforce did with the records sent: links created or moved forward for the
 * records it took, a result per record (its code and message for a refusal), the job's progress,
 * and the ingest job's row when the records went through one. Answers the records processed.
 */
async function commitOutcomes(
  store: Pick<Repositories, 'syncPush'>,
  input: PushObjectInput,
  sent: readonly SentRecord[],
  outcomeOf: (record: SentRecord, index: number) => RecordOutcome,
  at: { readAt: Date; processed: number; ingestJobId?: string },
): Promise<number> {
  const { run } = input;
  const object = input.mapping.salesforceObject;
  const counts = emptyCounts();
  const links: PushedBatch['links'] = [];
  const results: PlannedResult[] = [];
  sent.forEach((record, index) => {
    const result = outcomeOf(record, index);
    const fields = record.skipped.length > 0 ? { fields: record.skipped } : {};
    if (result.success && result.id) {
      links.push({
        recordId: record.recordId,
        salesforceId: result.id,
        baseValues: record.baseValues,
        salesforceModstamp: salesforceStamp({ SystemModstamp: result.systemModstamp }) ?? null,
      });
      counts[result.created ? 'created' : 'updated'] += 1;
      results.push({
        salesforceId: result.id,
        recordId: record.recordId,
        action: result.created ? 'created' : 'updated',
        ...fields,
      });
    } else {
      const error = result.errors[0];
      counts.failed += 1;
      results.push({
        salesforceId: record.salesforceId,
        recordId: record.recordId,
        action: 'failed',
        errorCode: error?.statusCode ?? 'UNKNOWN_ERROR',
        errorMessage: error
          ? `${error.message}${error.fields.length > 0 ? ` (${error.fields.join(', ')})` : ''}`
          : 'Salesforce gave no reason',
        ...fields,
      });
    }
  });
  const processed = at.processed + sent.length;
  run.add(object, counts, processed, null);
  await store.syncPush.commit({
    jobId: run.job.id,
    connectionId: input.connectionId,
    salesforceObject: object,
    readAt: at.readAt,
    links,
    results,
    job: run.snapshot(),
    ...(at.ingestJobId ? { ingestJobId: at.ingestJobId } : {}),
  });
  return processed;
}

/** Upserts a round's records through one Bulk API 2.0 ingest job, then commits the outcomes. */
async function pushThroughBulk(
  store: Pick<Repositories, 'syncPush' | 'syncIngestJobs'>,
  input: PushObjectInput,
  pryzmIdField: string,
  writes: readonly Write[],
  readAt: Date,
  processed: number,
): Promise<number> {
  const { run, describe } = input;
  const sent = writes.map(sentRecord);
  const stamp = syncedStamp(syncStampFields(describe), new Date());
  let ingestJobId: string | undefined;
  let bulkJobId = '';
  const outcomes = await ingestRecords(
    input.client,
    {
      object: describe.name,
      operation: 'upsert',
      externalIdFieldName: pryzmIdField,
      keyField: pryzmIdField,
      records: writes.map(({ plan }) => ({ ...plan.body, ...stamp })),
    },
    async (created) => {
      bulkJobId = created;
      const batch: PushIngestBatch = { readAt: readAt.toISOString(), records: sent };
      ingestJobId = await store.syncIngestJobs.save({
        jobId: run.job.id,
        salesforceObject: input.mapping.salesforceObject,
        purpose: 'push',
        bulkJobId: created,
        batch,
      });
    },
    {
      signal: run.signal,
      ...(input.pollIntervalMs ? { pollIntervalMs: input.pollIntervalMs } : {}),
    },
  );
  const stamps = await stampsOf(input, outcomes);
  return commitOutcomes(
    store,
    input,
    sent,
    (record) => stamped(outcomes.get(record.recordId) ?? missingOutcome(bulkJobId), stamps),
    { readAt, processed, ...(ingestJobId ? { ingestJobId } : {}) },
  );
}

/**
 * The `SystemModstamp` of the records an ingest job wrote: its results carry none, so they are
 * read after it, 2,000 Ids a query and five queries a Composite call (one API call per 10,000
 * records), for the links to keep as a push by sObject Collections does.
 */
async function stampsOf(
  input: PushObjectInput,
  outcomes: ReadonlyMap<string, RecordOutcome>,
): Promise<Map<string, string>> {
  const ids = [...outcomes.values()].flatMap((outcome) =>
    outcome.success && outcome.id ? [outcome.id] : [],
  );
  if (ids.length === 0) return new Map();
  await input.run.checkAllowance();
  return readStamps(input.client, input.describe.name, ids);
}

function stamped(outcome: RecordOutcome, stamps: ReadonlyMap<string, string>): RecordOutcome {
  return outcome.id ? { ...outcome, systemModstamp: stamps.get(outcome.id) ?? null } : outcome;
}

/**
 * Ingest jobs a crashed run of this job left: their results commit now. A job that was never
 * closed processed nothing; it is aborted and its records, still changed, go in this run.
 */
async function resumeIngestJobs(
  store: Pick<Repositories, 'syncPush' | 'syncIngestJobs'>,
  input: PushObjectInput,
  pryzmIdField: string,
  processed: number,
): Promise<number> {
  const pending = await store.syncIngestJobs.pending<PushIngestBatch>(
    input.run.job.id,
    input.mapping.salesforceObject,
    'push',
  );
  let done = processed;
  for (const row of pending) {
    const outcomes = await resumeIngest(input.client, row.bulkJobId, pryzmIdField, {
      signal: input.run.signal,
      ...(input.pollIntervalMs ? { pollIntervalMs: input.pollIntervalMs } : {}),
    });
    if (!outcomes) {
      await store.syncIngestJobs.remove(row.id);
      continue;
    }
    const stamps = await stampsOf(input, outcomes);
    done = await commitOutcomes(
      store,
      input,
      row.batch.records,
      (record) => stamped(outcomes.get(record.recordId) ?? missingOutcome(row.bulkJobId), stamps),
      { readAt: new Date(row.batch.readAt), processed: done, ingestJobId: row.id },
    );
  }
  return done;
}

/**
 * Deletes in Salesforce the records deleted in Pryzm (when the mapping propagates Pryzm
 * deletes), 200 per sObject Collections call; a record already gone counts as deleted.
 */
export async function pushDeletes(
  store: Pick<Repositories, 'syncPush' | 'syncIngestJobs'>,
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
