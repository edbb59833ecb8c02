import { ingestRecords, resumeIngest, type IngestOutcome } from '../../salesforce/bulk-ingest.ts';
import { COLLECTION_SIZE, updateRecords } from '../../salesforce/collections.ts';
import type { SalesforceClient } from '../../salesforce/client.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import type { JobRun } from '../jobs/job-run.ts';
import { syncedStamp, type SyncStampFields } from '../sync-stamp.ts';

/** Links read per round when Bulk API 2.0 ingest may write them (one ingest job a round). */
const BULK_READ_SIZE = 10_000;

/**
 * Write-backs (a Bulk API 2.0 ingest job, or a run of sObject Collections calls) a pull keeps
 * under way while it reads and commits its next pages. Two keep the org busy while a page is
 * committed and bound what is held (each one's links, and its CSV until uploaded).
 */
export const WRITE_BACKS_IN_FLIGHT = 2;

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

/** A committed link whose Pryzm id Salesforce does not hold yet. */
export interface LinkToWriteBack {
  salesforceId: string;
  recordId: string;
}

/** A write-back ingest job's batch as stored with it. */
interface WriteBackBatch {
  links: LinkToWriteBack[];
}

/**
 * Writes each new link's Pryzm id into the Salesforce record's `Pryzm_ID__c`: 200 records per
 * sObject Collections call, or, from `bulkIngestThreshold` links a round, one Bulk API 2.0 ingest
 * job (an update by `Id`), and marks the links written. Links stay marked unwritten until
 * Salesforce takes the value, so a crash in between only repeats the same update; an ingest job's
 * row is stored before its data goes up, so a resumed run reads its results instead of sending it
 * again. A record Salesforce refuses (a validation rule, a locked record) is reported once per job
 * and retried by the next one.
 *
 * A pull hands each committed page's new links to `submit`, which starts their write-back and
 * returns while the org processes it (at most `WRITE_BACKS_IN_FLIGHT` at once), so the next page
 * is read and committed meanwhile; `finish` waits for them all and then writes whatever else of
 * the object still awaits it (links an earlier, interrupted run committed).
 */
export class IdWriteBack {
  readonly #refused = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  #failure: { error: unknown } | null = null;
  readonly #options: { signal: AbortSignal; pollIntervalMs?: number };
  readonly #threshold: number;
  readonly #readSize: number;

  constructor(
    private readonly store: WriteBackStore,
    private readonly client: SalesforceClient,
    private readonly run: JobRun,
    private readonly target: WriteBackTarget,
  ) {
    this.#options = {
      signal: run.signal,
      ...(target.pollIntervalMs ? { pollIntervalMs: target.pollIntervalMs } : {}),
    };
    this.#threshold = target.bulkIngestThreshold ?? 0;
    this.#readSize =
      this.#threshold > 0 ? Math.max(BULK_READ_SIZE, this.#threshold) : COLLECTION_SIZE;
  }

  /**
   * Settles the ingest jobs an interrupted run of this job left (stored, results not committed):
   * reads their results, or forgets those Salesforce never got the data of. Runs before anything
   * else is sent, so that their links are not sent a second time.
   */
  async resume(): Promise<void> {
    const rows = await this.store.syncIngestJobs.pending<WriteBackBatch>(
      this.run.job.id,
      this.target.linkObject,
      'id_write_back',
    );
    for (const row of rows) {
      const outcomes = await resumeIngest(this.client, row.bulkJobId, 'Id', this.#options);
      if (!outcomes) await this.store.syncIngestJobs.remove(row.id);
      else await this.#settle(row.batch.links, outcomes, row.id);
    }
  }

  /**
   * Starts the write-back of committed links and returns once it is under way, after waiting
   * for a free place when `WRITE_BACKS_IN_FLIGHT` are. Throws an earlier write-back's failure.
   */
  async submit(links: readonly LinkToWriteBack[]): Promise<void> {
    for (let at = 0; at < links.length; at += this.#readSize) {
      const round = links.slice(at, at + this.#readSize);
      while (this.#inFlight.size >= WRITE_BACKS_IN_FLIGHT) await Promise.race(this.#inFlight);
      this.#throwFailure();
      if (this.#viaIngest(round)) await this.run.checkAllowance();
      const task: Promise<void> = this.#write(round)
        .catch((error: unknown) => {
          this.#failure ??= { error };
        })
        .finally(() => this.#inFlight.delete(task));
      this.#inFlight.add(task);
    }
  }

  /** Waits until no write-back is under way; throws the first one that failed. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    this.#throwFailure();
  }

  /**
   * Waits for every write-back under way, then writes back the object's links still awaiting
   * it, round by round, until none is left but those Salesforce refused during this run.
   */
  async finish(): Promise<void> {
    await this.settled();
    for (;;) {
      const pending = (
        await this.store.syncPages.linksAwaitingIdWriteBack(
          this.target.connectionId,
          this.target.linkObject,
          this.#readSize + this.#refused.size,
        )
      )
        .filter((link) => !this.#refused.has(link.salesforceId))
        .slice(0, this.#readSize);
      if (pending.length === 0) return;
      if (this.#viaIngest(pending)) await this.run.checkAllowance();
      await this.#write(pending);
    }
  }

  #throwFailure(): void {
    if (this.#failure) throw this.#failure.error;
  }

  #viaIngest(links: readonly LinkToWriteBack[]): boolean {
    return this.#threshold > 0 && links.length >= this.#threshold;
  }

  /** Writes one round: one ingest job, or sObject Collections calls of 200 one after the other. */
  async #write(links: readonly LinkToWriteBack[]): Promise<void> {
    const { target } = this;
    if (this.#viaIngest(links)) {
      let rowId = '';
      const outcomes = await ingestRecords(
        this.client,
        {
          object: target.salesforceObject,
          operation: 'update',
          keyField: 'Id',
          records: links.map((link) => ({
            Id: link.salesforceId,
            [target.pryzmIdField]: link.recordId,
            ...syncedStamp(target.stampFields ?? {}, new Date()),
          })),
        },
        async (bulkJobId) => {
          const batch: WriteBackBatch = { links: [...links] };
          rowId = await this.store.syncIngestJobs.save({
            jobId: this.run.job.id,
            salesforceObject: target.linkObject,
            purpose: 'id_write_back',
            bulkJobId,
            batch,
          });
        },
        this.#options,
      );
      await this.#settle(links, outcomes, rowId);
      return;
    }
    for (let at = 0; at < links.length; at += COLLECTION_SIZE) {
      const batch = links.slice(at, at + COLLECTION_SIZE);
      const results = await updateRecords(
        this.client,
        batch.map((link) => ({
          Id: link.salesforceId,
          attributes: { type: target.salesforceObject },
          [target.pryzmIdField]: link.recordId,
          ...syncedStamp(target.stampFields ?? {}, new Date()),
        })),
      );
      await this.#settle(
        batch,
        new Map(
          batch.map((link, index) => [link.salesforceId, { created: false, ...results[index]! }]),
        ),
        null,
      );
    }
  }

  /**
   * Marks written the links Salesforce took (and forgets the ingest job they went through), and
   * reports those it refused; a link the answer does not mention stays unwritten for the next run.
   */
  async #settle(
    links: readonly LinkToWriteBack[],
    outcomes: Map<string, IngestOutcome>,
    ingestJobRowId: string | null,
  ): Promise<void> {
    const { store, target } = this;
    const written: string[] = [];
    const failures: Parameters<typeof store.syncJobs.addResults>[2] = [];
    for (const link of links) {
      const result = outcomes.get(link.salesforceId);
      if (result?.success) {
        written.push(link.salesforceId);
        continue;
      }
      this.#refused.add(link.salesforceId);
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
    await store.syncJobs.addResults(this.run.job.id, target.linkObject, failures);
  }
}

/**
 * Writes back every link of the object still awaiting it, after settling the ingest jobs an
 * interrupted run left (see IdWriteBack), and returns once all are done.
 */
export async function writeBackPryzmIds(
  store: WriteBackStore,
  client: SalesforceClient,
  run: JobRun,
  target: WriteBackTarget,
): Promise<void> {
  const writeBack = new IdWriteBack(store, client, run, target);
  await writeBack.resume();
  await writeBack.finish();
}
