import {
  ingestOutcomes,
  resumeIngest,
  sendIngestJob,
  type IngestOutcome,
} from '../../salesforce/bulk-ingest.ts';
import { COLLECTION_SIZE, updateRecords } from '../../salesforce/collections.ts';
import type { SalesforceClient } from '../../salesforce/client.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import type { AwaitingLinkPosition } from '../../store/repositories/id-write-back-links.ts';
import type { JobRun } from '../jobs/job-run.ts';
import { syncedStamp, type SyncStampFields } from '../sync-stamp.ts';

/**
 * Links one Bulk API 2.0 ingest job takes when the write-back keeps up with the pull (about one
 * page's new links), and when it lags behind: fewer, larger jobs spend fewer API calls (each job
 * costs its create, upload, close, polls and result reads whatever its size). 50,000 rows of an
 * update by `Id` (the Id, the Pryzm id, the sync stamp: about 100 bytes a row) make a 5 MB upload,
 * far below the 150 MB Salesforce takes in one job's upload, and keep the links and their CSV
 * held per job small
 * (https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-bulkapi.html,
 * https://developer.salesforce.com/docs/atlas.en-us.api_bulk_v2.meta/api_bulk_v2/bulk_api_2_limits.htm).
 */
const LARGEST_INGEST_JOB = 50_000;

/** Links a round of sObject Collections calls takes (ten calls of 200, one after the other). */
const COLLECTIONS_ROUND = 2_000;

/** The outcome of every link Salesforce took: only a refusal carries anything of its own. */
const WRITTEN: IngestOutcome = { id: null, success: true, created: false, errors: [] };

/**
 * Write-backs (a Bulk API 2.0 ingest job, or a round of sObject Collections calls) under way at
 * once: two keep the org busy while a finished one's results are read and committed, and bound
 * what is held (each one's links, and its CSV until uploaded).
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
  /**
   * Links an ingest job waits for while pages still come (at least `bulkIngestThreshold`): the
   * pull's page size, so that pages committed in slices do not each make a job of their own.
   */
  smallestIngestJob?: number;
  /** First wait before polling a Bulk API 2.0 job. */
  pollIntervalMs?: number;
}

/** A committed link whose Pryzm id Salesforce does not hold yet. */
export interface LinkToWriteBack {
  salesforceId: string;
  recordId: string;
  /**
   * Its place in the write-back's queue, which marks it written (absent in batches stored before
   * the queue had places: those are marked by Salesforce Id).
   */
  position?: AwaitingLinkPosition;
}

/**
 * A write-back ingest job's batch as stored with it: its links' places in the queue, where a
 * resumed run reads the links again (a few bytes a link, not its ids as JSON); or, when some link
 * has no place (a batch resumed from before the queue), the links themselves.
 */
type WriteBackBatch = { positions: AwaitingLinkPosition[] } | { links: LinkToWriteBack[] };

function batchOf(links: readonly LinkToWriteBack[]): WriteBackBatch {
  const positions = links.flatMap((link) => (link.position === undefined ? [] : [link.position]));
  return positions.length === links.length ? { positions } : { links: [...links] };
}

/**
 * Writes each new link's Pryzm id into the Salesforce record's `Pryzm_ID__c`: 200 records per
 * sObject Collections call, or, from `bulkIngestThreshold` links a round, one Bulk API 2.0 ingest
 * job (an update by `Id`), and marks the links written. Links stay marked unwritten until
 * Salesforce takes the value, so a crash in between only repeats the same update; an ingest job's
 * row is stored before its data goes up, so a resumed run reads its results instead of sending it
 * again. A record Salesforce refuses (a validation rule, a locked record) is reported once per run
 * and retried by the next one.
 *
 * The write-back runs as a loop of its own beside the pull, reading the links that await it from
 * the database (`linksAwaitingIdWriteBack`, in commit order, from where its last read ended), so
 * it never holds a page's commit back: `submit` only wakes it after a page committed. It keeps
 * at most `WRITE_BACKS_IN_FLIGHT` rounds under way, each taking every link that awaits (up to
 * `LARGEST_INGEST_JOB`): one page's worth while it keeps up, larger jobs when the org is slower
 * than the pull. While pages still come, an ingest job waits for a page's worth of links
 * (`smallestIngestJob`, at least the ingest threshold); `finish` sends the rest, then reads the
 * object's links once more from the start (links an earlier, interrupted run committed) and
 * returns once none awaits but those refused.
 */
export class IdWriteBack {
  readonly #refused = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();
  #failure: { error: unknown } | null = null;
  readonly #options: { signal: AbortSignal; pollIntervalMs?: number };
  readonly #threshold: number;
  /** Links a round waits for while pages still come (ingest only). */
  readonly #smallestRound: number;
  readonly #roundSize: number;
  /** Where the last read ended: links up to it are sent or under way. */
  #position: AwaitingLinkPosition | null = null;
  #loop: Promise<void> | null = null;
  #woken = false;
  #wake: (() => void) | null = null;
  /** No more pages come: send what awaits, whatever its size, then stop. */
  #finishing = false;
  /** The read from the start that `finish` ends with has begun. */
  #sweeping = false;
  /** Start nothing more (cancelled or failed): let what is under way finish. */
  #stopping = false;

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
    this.#roundSize =
      this.#threshold > 0 ? Math.max(LARGEST_INGEST_JOB, this.#threshold) : COLLECTIONS_ROUND;
    this.#smallestRound =
      this.#threshold > 0
        ? Math.min(this.#roundSize, Math.max(this.#threshold, target.smallestIngestJob ?? 0))
        : 1;
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
      else {
        const links =
          'positions' in row.batch
            ? await this.store.syncPages.queuedLinks(this.target.connectionId, row.batch.positions)
            : row.batch.links;
        await this.#settle(links, (link) => outcomes.get(link.salesforceId), row.id);
      }
    }
  }

  /**
   * Tells the write-back that a page committed new links, and returns at once (starting its loop
   * on the first call). Throws an earlier write-back's failure, so that the pull stops.
   */
  submit(): void {
    this.#throwFailure();
    this.#woken = true;
    this.#wake?.();
    this.#loop ??= this.#runLoop();
  }

  /**
   * Starts nothing more and waits until no write-back is under way (a cancelled or failed pull:
   * what is left waits for the next run); throws the first one that failed.
   */
  async settled(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    this.#throwFailure();
  }

  /**
   * No more pages come: writes back every link of the object still awaiting it, until none is
   * left but those Salesforce refused during this run; throws the first write-back that failed.
   */
  async finish(): Promise<void> {
    this.#throwFailure();
    this.#finishing = true;
    this.#wake?.();
    this.#loop ??= this.#runLoop();
    await this.#loop;
    this.#throwFailure();
  }

  /**
   * The loop: starts rounds while a place is free and links await, then waits for a round to end
   * or a page to commit. Ends once finishing and drained (or stopped), after what is under way.
   */
  async #runLoop(): Promise<void> {
    try {
      for (;;) {
        this.#woken = false;
        while (this.#inFlight.size < WRITE_BACKS_IN_FLIGHT && !this.#stopping && !this.#failure) {
          const round = await this.#nextRound();
          if (!round) break;
          if (this.#viaIngest(round)) await this.run.checkAllowance();
          this.#start(round);
        }
        if (this.#stopping || this.#failure) return;
        if (this.#inFlight.size === 0 && !this.#woken) {
          if (!this.#finishing) await this.#nextWake();
          else if (this.#sweeping) return;
          else {
            // Drained: read once more from the start, for links committed before this run or
            // behind where the reads went (refused ones are left out).
            this.#sweeping = true;
            this.#position = null;
          }
          continue;
        }
        if (this.#inFlight.size > 0) await Promise.race([...this.#inFlight, this.#nextWake()]);
      }
    } catch (error) {
      // A failed read or allowance check: reported like a failed round, to `submit` and the end.
      this.#failure ??= { error };
    } finally {
      this.#wake = null;
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
    }
  }

  /** Resolves on the next `submit`, `finish` or `settled`. */
  #nextWake(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = () => {
        this.#wake = null;
        resolve();
      };
    });
  }

  /**
   * The next round's links after the last read, or null when none should go now: none await, or
   * fewer than an ingest job waits for while pages still come (they wait for the next pages).
   */
  async #nextRound(): Promise<LinkToWriteBack[] | null> {
    const read = await this.store.syncPages.linksAwaitingIdWriteBack(
      this.target.connectionId,
      this.target.linkObject,
      this.#roundSize + this.#refused.size,
      this.#position,
    );
    const round: LinkToWriteBack[] = [];
    let last: AwaitingLinkPosition | null = null;
    for (const link of read) {
      if (round.length === this.#roundSize) break;
      last = link.position;
      if (this.#refused.has(link.salesforceId)) continue;
      round.push({
        salesforceId: link.salesforceId,
        recordId: link.recordId,
        position: link.position,
      });
    }
    if (round.length === 0) {
      // Only refused links: skip past them.
      if (last) this.#position = last;
      return null;
    }
    if (round.length < this.#smallestRound && !this.#finishing) return null;
    this.#position = last;
    return round;
  }

  /** Starts one round; a failure stops the loop and is thrown to the pull. */
  #start(links: LinkToWriteBack[]): void {
    const task: Promise<void> = this.#write(links)
      .catch((error: unknown) => {
        this.#failure ??= { error };
      })
      .finally(() => this.#inFlight.delete(task));
    this.#inFlight.add(task);
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
      // One "synced now" for the job's records, as they go up together (not one Date per record).
      const stamp = syncedStamp(target.stampFields ?? {}, new Date());
      const finished = await sendIngestJob(
        this.client,
        {
          object: target.salesforceObject,
          operation: 'update',
          // Made one at a time as the upload's CSV is written, not held while the job runs.
          records: (function* () {
            for (const link of links) {
              yield { Id: link.salesforceId, [target.pryzmIdField]: link.recordId, ...stamp };
            }
          })(),
        },
        async (bulkJobId) => {
          const batch = batchOf(links);
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
      // Each outcome is matched to its link as the results stream in, and only a refusal is
      // kept: a map of the results by Id would hold 50,000 strings cut from the results' text,
      // and with them the whole text (strings of 13 characters or more are slices of it in V8).
      const byId = new Map(links.map((link) => [link.salesforceId, link]));
      const outcomes = new Map<LinkToWriteBack, IngestOutcome>();
      for await (const [id, outcome] of ingestOutcomes(
        this.client,
        finished,
        'Id',
        this.#options.signal,
      )) {
        const link = byId.get(id);
        if (link) outcomes.set(link, outcome.success ? WRITTEN : outcome);
      }
      await this.#settle(links, (link) => outcomes.get(link), rowId);
      return;
    }
    for (let at = 0; at < links.length; at += COLLECTION_SIZE) {
      const batch = links.slice(at, at + COLLECTION_SIZE);
      const stamp = syncedStamp(target.stampFields ?? {}, new Date());
      const results = await updateRecords(
        this.client,
        batch.map((link) => ({
          Id: link.salesforceId,
          attributes: { type: target.salesforceObject },
          [target.pryzmIdField]: link.recordId,
          ...stamp,
        })),
      );
      const outcomes = new Map(
        batch.map((link, index) => [link, { created: false, ...results[index]! }]),
      );
      await this.#settle(batch, (link) => outcomes.get(link), null);
    }
  }

  /**
   * Marks written the links Salesforce took (and forgets the ingest job they went through), and
   * reports those it refused; a link the answer does not mention stays unwritten for the next run.
   */
  async #settle(
    links: readonly LinkToWriteBack[],
    outcomeOf: (link: LinkToWriteBack) => IngestOutcome | undefined,
    ingestJobRowId: string | null,
  ): Promise<void> {
    const { store, target } = this;
    const written: LinkToWriteBack[] = [];
    const failures: Parameters<typeof store.syncJobs.addResults>[2] = [];
    for (const link of links) {
      const result = outcomeOf(link);
      if (result?.success) {
        written.push(link);
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
