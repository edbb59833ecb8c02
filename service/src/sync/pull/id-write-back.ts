import { ingestRecords, resumeIngest, type IngestOutcome } from '../../salesforce/bulk-ingest.ts';
import { COLLECTION_SIZE, updateRecords } from '../../salesforce/collections.ts';
import type { SalesforceClient } from '../../salesforce/client.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import type { JobRun } from '../jobs/job-run.ts';
import { syncedStamp, type SyncStampFields } from '../sync-stamp.ts';

/** Links read per round when Bulk API 2.0 ingest may write them (one ingest job a round). */
const BULK_READ_SIZE = 10_000;

type WriteBackStore = Pick<Repositories, 'syncJobs' | 'syncPages' | 'syncIngestJobs'>;

export interface WriteBackTarget {
  connectionId: string;
  salesforceObject: string;
  linkObject: string;
  pryzmIdField: string;
  /** The package's sync fields written beside the id (`syncStampFields`); none when left out. */
  stampFields?: SyncStampFields;
  /** Links from which a round goes through one Bulk API 2.0 ingest job (0: never). */
  bulkIngestThreshold?: number;
  /** First wait before polling a Bulk API 2.0 job. */
  pollIntervalMs?: number;
}

/** A write-back ingest job's batch as stored with it. */
interface WriteBackBatch {
  links: { salesforceId: string; recordId: string }[];
}

/**
 * Writes each new link's Pryzm id into the Salesforce record's `Pryzm_ID__c`: 200 records per
 * sObject Collections call, or, from `bulkIngestThreshold` links a round, one Bulk API 2.0 ingest
 * job (an update by `Id`), and marks the links written. Links stay marked unwritten until
 * Salesforce takes the value, so a crash in between only repeats the same update; an ingest job's
 * id is stored before its data goes up, so a resumed run reads its results instead of sending it
 * again. A record Salesforce refuses (a validation rule, a locked record) is reported once per job
 * and retried by the next one.
 */
export async function writeBackPryzmIds(
  store: WriteBackStore,
  client: SalesforceClient,
  run: JobRun,
  target: WriteBackTarget,
): Promise<void> {
  const options = {
    signal: run.signal,
    ...(target.pollIntervalMs ? { pollIntervalMs: target.pollIntervalMs } : {}),
  };
  const refused = new Set<string>();
  for (const row of await store.syncIngestJobs.pending<WriteBackBatch>(
    run.job.id,
    target.linkObject,
    'id_write_back',
  )) {
    const outcomes = await resumeIngest(client, row.bulkJobId, 'Id', options);
    if (!outcomes) await store.syncIngestJobs.remove(row.id);
    else await settle(store, run, target, row.batch.links, outcomes, refused, row.id);
  }
  const threshold = target.bulkIngestThreshold ?? 0;
  const readSize = threshold > 0 ? Math.max(BULK_READ_SIZE, threshold) : COLLECTION_SIZE;
  for (;;) {
    const pending = (
      await store.syncPages.linksAwaitingIdWriteBack(
        target.connectionId,
        target.linkObject,
        readSize + refused.size,
      )
    )
      .filter((link) => !refused.has(link.salesforceId))
      .slice(0, readSize);
    if (pending.length === 0) return;
    if (threshold > 0 && pending.length >= threshold) {
      await run.checkAllowance();
      let rowId = '';
      const outcomes = await ingestRecords(
        client,
        {
          object: target.salesforceObject,
          operation: 'update',
          keyField: 'Id',
          records: pending.map((link) => ({
            Id: link.salesforceId,
            [target.pryzmIdField]: link.recordId,
            ...syncedStamp(target.stampFields ?? {}, new Date()),
          })),
        },
        async (bulkJobId) => {
          const batch: WriteBackBatch = { links: pending };
          rowId = await store.syncIngestJobs.save({
            jobId: run.job.id,
            salesforceObject: target.linkObject,
            purpose: 'id_write_back',
            bulkJobId,
            batch,
          });
        },
        options,
      );
      await settle(store, run, target, pending, outcomes, refused, rowId);
      continue;
    }
    const batch = pending.slice(0, COLLECTION_SIZE);
    const results = await updateRecords(
      client,
      batch.map((link) => ({
        Id: link.salesforceId,
        attributes: { type: target.salesforceObject },
        [target.pryzmIdField]: link.recordId,
        ...syncedStamp(target.stampFields ?? {}, new Date()),
      })),
    );
    await settle(
      store,
      run,
      target,
      batch,
      new Map(
        batch.map((link, index) => [link.salesforceId, { created: false, ...results[index]! }]),
      ),
      refused,
      null,
    );
  }
}

/**
 * Marks written the links Salesforce took (and forgets the ingest job they went through), and
 * reports those it refused; a link the answer does not mention stays unwritten for the next run.
 */
async function settle(
  store: WriteBackStore,
  run: JobRun,
  target: WriteBackTarget,
  links: readonly { salesforceId: string; recordId: string }[],
  outcomes: Map<string, IngestOutcome>,
  refused: Set<string>,
  ingestJobRowId: string | null,
): Promise<void> {
  const written: string[] = [];
  const failures: Parameters<typeof store.syncJobs.addResults>[2] = [];
  for (const link of links) {
    const result = outcomes.get(link.salesforceId);
    if (result?.success) {
      written.push(link.salesforceId);
      continue;
    }
    refused.add(link.salesforceId);
    const error = result?.errors[0];
    failures.push({
      salesforceId: link.salesforceId,
      recordId: link.recordId,
      action: 'skipped',
      errorCode: 'pryzm_id_not_written',
      errorMessage: `Salesforce refused ${target.pryzmIdField}: ${error?.statusCode ?? 'UNKNOWN'}: ${error?.message ?? 'no result for the record'}`,
    });
  }
  if (ingestJobRowId) {
    await store.syncIngestJobs.commitIdWriteBack(target.connectionId, written, ingestJobRowId);
  } else {
    await store.syncPages.markIdsWrittenBack(target.connectionId, written);
  }
  await store.syncJobs.addResults(run.job.id, target.linkObject, failures);
}
