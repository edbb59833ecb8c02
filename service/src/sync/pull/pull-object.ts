import {
  DEFAULT_DELETE_SETTINGS,
  buildSelectQuery,
  defaultMatchRules,
  findPryzmIdField,
  readPath,
  type DescribeLookup,
  type ObjectMapping,
  type RecordTypeDefinition,
  type SObjectDescribe,
} from '../../mapping/index.ts';
import { MatchIndex } from '../../records/record-matcher.ts';
import { bulkQuery } from '../../salesforce/bulk-query.ts';
import type { CsvRecord } from '../../salesforce/csv-records.ts';
import { restQuery } from '../../salesforce/rest-query.ts';
import { SalesforceApiError } from '../../salesforce/client.ts';
import { DELETE_LOG_DAYS, getDeletedRecords } from '../../salesforce/deleted-records.ts';
import { emptyCounts } from '../../store/repositories/sync-jobs.ts';
import type { SalesforceClient } from '../../salesforce/client.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import type { JobRun } from '../jobs/job-run.ts';
import { IdWriteBack } from './id-write-back.ts';
import { syncStampFields } from '../sync-stamp.ts';
import { planPage } from './page-planner.ts';
import { salesforceStamp } from './salesforce-stamp.ts';

/**
 * An incremental pull starts this long before the newest `SystemModstamp` the last one saw:
 * a record is stamped when its transaction starts and may commit after a query that ran in
 * between. Records read twice come back `unchanged`.
 */
export const INCREMENTAL_OVERLAP_MS = 5 * 60_000;

/**
 * Records a page commits at a time (PRYZM_SYNC_COMMIT_SIZE): a default page whole. Slices of
 * 2,000 hold less across a commit's awaits, but their peak memory stayed within the machine's
 * noise while the commits took 37% to 61% longer in two pairs of runs (each slice pays the
 * checkpoint, the job's progress and a transaction again; README "Sync throughput").
 */
export const DEFAULT_COMMIT_SIZE = 10_000;

export interface PullObjectInput {
  run: JobRun;
  mode: 'full' | 'incremental';
  workspaceId: string;
  connectionId: string;
  client: SalesforceClient;
  mapping: ObjectMapping;
  recordType: RecordTypeDefinition & { id: string };
  describe: SObjectDescribe;
  describeFor: DescribeLookup;
  /** Records per Bulk API 2.0 results page (one API call each). */
  pageSize: number;
  /** Records per database transaction: a page commits in slices of this many (default 10,000). */
  commitSize?: number;
  pollIntervalMs?: number;
  /** New links from which the `Pryzm_ID__c` write-back goes through Bulk API 2.0 ingest. */
  bulkIngestThreshold?: number;
}

/**
 * Pulls one mapped object: a Bulk API 2.0 query read page by page (a stored checkpoint resumes
 * the same query job where the last commit ended), each page planned and committed in slices of
 * `commitSize` records, each slice with its checkpoint in one transaction, and the new links'
 * Pryzm ids written back to `Pryzm_ID__c`.
 *
 * The waits on the org overlap instead of adding up: the next results page is requested and
 * read while a page is planned and committed (`readAhead`), and the write-back runs beside the
 * pages as a loop of its own (IdWriteBack) that reads the committed links awaiting it, so it never
 * holds a page back. The object is done only once the write-back drained, here or, after a
 * crash, in the run that resumes the job.
 */
export async function pullObject(
  store: Pick<Repositories, 'syncJobs' | 'syncPages' | 'syncDeletes' | 'syncIngestJobs'>,
  input: PullObjectInput,
): Promise<void> {
  const { run, mapping, describe } = input;
  const object = mapping.salesforceObject;
  const jobId = run.job.id;
  const checkpoint = await store.syncJobs.checkpoint(jobId, object);
  const pryzmIdField = findPryzmIdField(describe)?.name;
  const writeBack = pryzmIdField
    ? new IdWriteBack(store, input.client, run, {
        connectionId: input.connectionId,
        salesforceObject: describe.name,
        linkObject: object,
        pryzmIdField,
        stampFields: syncStampFields(describe),
        ...(input.bulkIngestThreshold ? { bulkIngestThreshold: input.bulkIngestThreshold } : {}),
        // While pages come an ingest job waits for a page's worth of links, not a commit slice's.
        smallestIngestJob: input.pageSize,
        ...(input.pollIntervalMs ? { pollIntervalMs: input.pollIntervalMs } : {}),
      })
    : null;
  // Write-backs an interrupted run left go first, so that their links are not sent again.
  await writeBack?.resume();
  if (checkpoint?.done) {
    // Every page is in; a crash may have come before the last write-backs finished.
    await writeBack?.finish();
    return;
  }
  run.object(object);
  try {
    const finished = await readPages(store, input, checkpoint, writeBack);
    // Cancelled: what is under way finishes, the rest waits for the next run.
    await (finished ? writeBack?.finish() : writeBack?.settled());
  } finally {
    // A failed pull leaves no write-back running behind it (its failure, if any, is not the one
    // to report).
    await writeBack?.settled().catch(() => undefined);
  }
}

/**
 * Reads, plans and commits the object's pages from the checkpoint on, a slice at a time, waking
 * the write-back after each commit. Answers false when the job was cancelled before the last page.
 */
async function readPages(
  store: Pick<Repositories, 'syncJobs' | 'syncPages' | 'syncDeletes'>,
  input: PullObjectInput,
  checkpoint: Awaited<ReturnType<Repositories['syncJobs']['checkpoint']>>,
  writeBack: IdWriteBack | null,
): Promise<boolean> {
  const { run, mapping, describe } = input;
  const object = mapping.salesforceObject;
  const jobId = run.job.id;

  const since =
    input.mode === 'incremental' ? await store.syncJobs.cursor(input.connectionId, object) : null;
  const modifiedSince = since
    ? new Date(Date.parse(since) - INCREMENTAL_OVERLAP_MS).toISOString()
    : undefined;
  await pullDeletes(store, input, modifiedSince);

  const query = buildSelectQuery(mapping, describe, {
    describeFor: input.describeFor,
    ...(modifiedSince ? { modifiedSince } : {}),
  });
  if (!query.ok) throw new Error(`The ${object} filter is invalid: ${query.problems[0]?.message}`);

  const unlinked = await store.syncPages.unlinkedRecords({
    workspaceId: input.workspaceId,
    recordTypeId: input.recordType.id,
    connectionId: input.connectionId,
    salesforceObject: object,
  });
  const matches = new MatchIndex(unlinked, mapping.matchRules ?? defaultMatchRules(object));
  const unlinkedById = new Map(unlinked.map((record) => [record.id, record]));
  const pryzmIdField = findPryzmIdField(describe)?.name;
  const referencePaths = mapping.fields.flatMap((field) =>
    field.kind === 'reference' ? [field.salesforceField] : [],
  );

  /** What a slice of a page does in Pryzm, from the links and records its rows name. */
  const planSlice = async (rows: readonly CsvRecord[]) => {
    const ids = (key: string) =>
      rows
        .map((row) => readPath(row, key))
        .filter((v): v is string => typeof v === 'string' && v !== '');
    const state = await store.syncPages.readState({
      workspaceId: input.workspaceId,
      connectionId: input.connectionId,
      recordTypeId: input.recordType.id,
      salesforceObject: object,
      salesforceIds: ids('Id'),
      namedRecordIds: pryzmIdField ? ids(pryzmIdField) : [],
      parentSalesforceIds: referencePaths.flatMap(ids),
    });
    return planPage(rows, state, {
      mapping,
      describe,
      matches,
      unlinked: unlinkedById,
      toPryzm: {
        recordType: input.recordType,
        describe,
        describeFor: input.describeFor,
        lookupPryzmId: (_object, salesforceId) => state.parents.get(salesforceId),
      },
    });
  };

  let processed = checkpoint?.processed ?? 0;
  let maxModstamp = checkpoint?.maxModstamp ?? null;
  // Rows of the first page a crashed run committed already (it read that page's locator again).
  let skip = checkpoint?.rowsDone ?? 0;
  const commitSize = input.commitSize ?? DEFAULT_COMMIT_SIZE;
  const pages = bulkQuery(input.client, query.soql, {
    // A page read again must reach past the rows committed of it, whatever the page size was.
    maxRecords: Math.max(input.pageSize, skip + 1),
    signal: run.signal,
    readAhead: true,
    ...(input.pollIntervalMs ? { pollIntervalMs: input.pollIntervalMs } : {}),
    ...(checkpoint?.bulkJobId
      ? { resume: { jobId: checkpoint.bulkJobId, locator: checkpoint.nextLocator } }
      : {}),
  });
  await run.checkAllowance();
  for await (const page of pages) {
    const rows = page.records;
    let rowsDone = Math.min(skip, rows.length);
    rows.splice(0, rowsDone);
    skip = 0;
    // The page commits in slices, each with its checkpoint: only a slice's plan, its JSON and
    // its statements' parameters are alive across the commit's awaits (a whole page's would
    // outlive a young-generation collection and be promoted), and the page's rows are let go
    // a slice at a time.
    do {
      const slice = rows.splice(0, commitSize);
      const plan = await planSlice(slice);
      processed += slice.length;
      rowsDone += slice.length;
      if (plan.maxModstamp && (maxModstamp === null || plan.maxModstamp > maxModstamp)) {
        maxModstamp = plan.maxModstamp;
      }
      const pageDone = rows.length === 0;
      const done = pageDone && page.nextLocator === null;
      run.add(object, plan.counts, processed, page.totalRecords);
      if (done) run.finishObject(object);
      const { stale, olderThanApplied } = await store.syncPages.commit({
        jobId,
        workspaceId: input.workspaceId,
        connectionId: input.connectionId,
        recordTypeId: input.recordType.id,
        salesforceObject: object,
        creates: plan.creates,
        updates: plan.updates,
        results: plan.results,
        conflicts: plan.conflicts,
        settled: plan.settled,
        // Within a page: its own locator again and the rows done of it. Salesforce answers a
        // locator with the same rows as long as the job exists ("the locator string for a set of
        // results does not change. You can use the locator to retrieve a set of results multiple
        // times": https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm),
        // so a resumed run reads this page again, without a results call more than it would
        // spend anyway, and skips those rows.
        checkpoint: {
          bulkJobId: page.jobId,
          nextLocator: pageDone ? page.nextLocator : page.locator,
          rowsDone: pageDone ? 0 : rowsDone,
          done,
          processed,
          total: page.totalRecords,
          maxModstamp,
        },
        ...(done && (maxModstamp ?? since) ? { cursor: (maxModstamp ?? since) as string } : {}),
        job: run.snapshot(),
        writesBackPryzmIds: writeBack !== null,
      });
      // Records changed in Pryzm between read and commit were left for the next run; rows whose
      // link took a newer Salesforce version meanwhile were left as they are.
      run.move(object, 'updated', 'skipped', stale.length);
      run.move(object, 'updated', 'unchanged', olderThanApplied.length);
      // The slice's new links are in the database: wake the write-back, which reads them there.
      writeBack?.submit();
    } while (rows.length > 0);
    const { cancelRequested } = await store.syncJobs.report(jobId, run.snapshot());
    run.cancelRequested = cancelRequested;
    if (cancelRequested) return false;
    await run.checkAllowance();
  }
  return true;
}

/**
 * Deletes seen in Salesforce since the cursor (all in the recycle bin on a full pull), through
 * `queryAll`, and, on an incremental pull, through getDeleted for the time since it last asked:
 * the org's delete log still lists records emptied from the recycle bin (or hard-deleted), which
 * queryAll no longer returns. Each linked record's delete is applied once, before the object's
 * records are read, so a record deleted and undeleted since comes back through the read and is
 * restored.
 */
async function pullDeletes(
  store: Pick<Repositories, 'syncJobs' | 'syncPages' | 'syncDeletes'>,
  input: PullObjectInput,
  modifiedSince: string | undefined,
): Promise<void> {
  const { run, describe } = input;
  const where = modifiedSince
    ? `IsDeleted = true AND SystemModstamp >= ${modifiedSince}`
    : 'IsDeleted = true';
  // A deleted record's SystemModstamp is its delete's: the link keeps it, so an older snapshot
  // of the record read later does not restore it.
  for await (const page of restQuery<{ Id: string; SystemModstamp?: string }>(
    input.client,
    `SELECT Id, SystemModstamp FROM ${describe.name} WHERE ${where}`,
    { all: true, signal: run.signal },
  )) {
    await applyDeletes(
      store,
      input,
      page.map((record) => record.Id),
      stampsOf(page.map((record) => [record.Id, record.SystemModstamp])),
    );
  }
  if (modifiedSince) await pullDeleteLog(store, input, Date.parse(modifiedSince));
}

/**
 * getDeleted for the window since the last time it answered (or since the cursor), within the
 * 15 days Salesforce keeps the delete log. A window Salesforce cannot answer any more
 * (`INVALID_REPLICATION_DATE`: the log was purged past its start) is reported on the job; what
 * was deleted in it can no longer be told apart from records never seen.
 */
async function pullDeleteLog(
  store: Pick<Repositories, 'syncJobs' | 'syncDeletes'>,
  input: PullObjectInput,
  cursorStart: number,
): Promise<void> {
  const { run, describe, mapping } = input;
  const checked = await store.syncDeletes.deletedCheckedAt(
    input.connectionId,
    mapping.salesforceObject,
  );
  const now = Date.now();
  // A minute inside the log's horizon, so clocks a little apart do not push the start out of it.
  const horizon = now - DELETE_LOG_DAYS * 86_400_000 + 60_000;
  // Salesforce wants the start more than a minute before the end, and reports coverage to the
  // minute: a window of two minutes at least (a delete seen twice is applied once).
  const start = Math.min(Math.max(checked?.getTime() ?? cursorStart, horizon), now - 120_000);
  let answer: Awaited<ReturnType<typeof getDeletedRecords>>;
  try {
    answer = await getDeletedRecords(
      input.client,
      describe.name,
      { start: new Date(start), end: new Date(now) },
      run.signal,
    );
  } catch (error) {
    if (!(error instanceof SalesforceApiError) || error.errorCode !== 'INVALID_REPLICATION_DATE') {
      throw error;
    }
    await store.syncJobs.addResults(run.job.id, mapping.salesforceObject, [
      {
        salesforceId: null,
        recordId: null,
        action: 'skipped',
        errorCode: 'deletes_unavailable',
        errorMessage: `Salesforce no longer lists the deletes since ${new Date(start).toISOString()}: ${error.message}`,
      },
    ]);
    return;
  }
  const ids = answer.deletedRecords.map((record) => record.id);
  const stamps = stampsOf(answer.deletedRecords.map((record) => [record.id, record.deletedDate]));
  for (let at = 0; at < ids.length; at += 200) {
    await applyDeletes(store, input, ids.slice(at, at + 200), stamps);
  }
  const covered = Date.parse(answer.latestDateCovered.replace(/\+0000$/, 'Z'));
  await store.syncDeletes.markDeletedChecked(
    input.connectionId,
    mapping.salesforceObject,
    new Date(Number.isNaN(covered) ? now : Math.min(covered, now)),
  );
}

/** Delete times by Salesforce Id, from the `SystemModstamp`/`deletedDate` texts Salesforce sent. */
function stampsOf(entries: [string, string | undefined][]): Map<string, Date> {
  const stamps = new Map<string, Date>();
  for (const [id, text] of entries) {
    const stamp = text ? salesforceStamp({ SystemModstamp: text }) : undefined;
    if (stamp) stamps.set(id, stamp);
  }
  return stamps;
}

/** Applies the deletes of the linked records among `salesforceIds` not applied yet. */
async function applyDeletes(
  store: Pick<Repositories, 'syncDeletes'>,
  input: PullObjectInput,
  salesforceIds: string[],
  deletedAt: ReadonlyMap<string, Date>,
): Promise<void> {
  const { run, mapping } = input;
  const links = await store.syncDeletes.linksToDelete(input.connectionId, salesforceIds);
  if (links.length === 0) return;
  const propagate = (mapping.deletes ?? DEFAULT_DELETE_SETTINGS).fromSalesforce === 'propagate';
  const counts = { ...emptyCounts(), [propagate ? 'deleted' : 'skipped']: links.length };
  const entry = run.object(mapping.salesforceObject);
  run.add(mapping.salesforceObject, counts, entry.processed, entry.total);
  await store.syncDeletes.applySalesforceDeletes({
    jobId: run.job.id,
    connectionId: input.connectionId,
    salesforceObject: mapping.salesforceObject,
    propagate,
    links: links.map((link) => {
      const stamp = deletedAt.get(link.salesforceId);
      return stamp ? { ...link, salesforceModstamp: stamp } : link;
    }),
    job: run.snapshot(),
  });
}
