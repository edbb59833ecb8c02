/**
 * Applies the Salesforce records a burst of change events names: one SOQL `WHERE Id IN (...)`
 * per 200 ids, each set planned by the pull's page planner (links, first-sync matching, the
 * mapping's conflict strategy) and committed in one transaction, then new links' ids written
 * back to `Pryzm_ID__c`. Deletes go the way a pull applies them. Running the same ids again
 * finds the records unchanged: applying an event twice changes nothing.
 */
import {
  DEFAULT_DELETE_SETTINGS,
  MAX_IDS_PER_QUERY,
  buildSelectQuery,
  defaultMatchRules,
  findPryzmIdField,
  readPath,
  type DescribeLookup,
  type ObjectMapping,
  type RecordTypeDefinition,
  type SalesforceRecord,
  type SObjectDescribe,
} from '../../mapping/index.ts';
import { MatchIndex } from '../../records/record-matcher.ts';
import type { SalesforceClient } from '../../salesforce/client.ts';
import { restQuery } from '../../salesforce/rest-query.ts';
import type { Repositories } from '../../store/repositories/index.ts';
import type { PageState, PlannedResult } from '../../store/repositories/sync-pages.ts';
import { emptyCounts } from '../../store/repositories/sync-jobs.ts';
import type { TransactionClient } from '../../store/repositories/transaction.ts';
import type { JobRun } from '../jobs/job-run.ts';
import { writeBackPryzmIds } from '../pull/id-write-back.ts';
import { syncStampFields } from '../sync-stamp.ts';
import { planPage } from '../pull/page-planner.ts';

/** What applying a mapped object's changes needs, prepared once per subscription. */
export interface MappedObject {
  mapping: ObjectMapping;
  recordType: RecordTypeDefinition & { id: string };
  describe: SObjectDescribe;
  describeFor: DescribeLookup;
}

export type ApplyStore = Pick<Repositories, 'syncJobs' | 'syncPages' | 'syncDeletes'> &
  Parameters<typeof writeBackPryzmIds>[0];

export interface ApplyInput {
  run: JobRun;
  workspaceId: string;
  connectionId: string;
  client: SalesforceClient;
  object: MappedObject;
}

/** How many times rows whose Pryzm records changed during the commit are planned again. */
const MAX_APPLY_ATTEMPTS = 3;

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Reads the records by id, 200 ids per SOQL query (one API call each). */
export async function fetchRecords(
  client: SalesforceClient,
  object: MappedObject,
  ids: readonly string[],
): Promise<SalesforceRecord[]> {
  const rows: SalesforceRecord[] = [];
  for (const part of chunk(ids, MAX_IDS_PER_QUERY)) {
    const query = buildSelectQuery(object.mapping, object.describe, {
      describeFor: object.describeFor,
      ids: part,
    });
    if (!query.ok) {
      throw new Error(
        `The ${object.mapping.salesforceObject} filter is invalid: ${query.problems[0]?.message}`,
      );
    }
    for await (const page of restQuery<SalesforceRecord>(client, query.soql)) rows.push(...page);
  }
  return rows;
}

/**
 * Applies records from the values their change events carried, reading back by id (200 a
 * SOQL query) only those without usable values: not carried, to read back, or an UPDATE's
 * changed fields of a record not linked yet (first-sync matching needs all its values).
 */
export async function applyCarried(
  store: ApplyStore & Pick<Repositories, 'links'>,
  input: ApplyInput,
  salesforceIds: readonly string[],
  /** What the events carried (`carriedValues`): rows, which of them partial, what to read. */
  carried:
    | {
        rows: ReadonlyMap<string, SalesforceRecord>;
        partial: ReadonlySet<string>;
        fetch: ReadonlySet<string>;
      }
    | undefined,
  also?: (tx: TransactionClient) => Promise<void>,
): Promise<PlannedResult[]> {
  const partial = carried
    ? salesforceIds.filter((id) => carried.rows.has(id) && carried.partial.has(id))
    : [];
  const linked = await store.links.linkedSalesforceIds(input.connectionId, partial);
  const rows: SalesforceRecord[] = [];
  const toFetch: string[] = [];
  for (const id of salesforceIds) {
    const row = carried?.rows.get(id);
    const usable = row && !carried!.fetch.has(id) && (!carried!.partial.has(id) || linked.has(id));
    if (usable) rows.push(row);
    else toFetch.push(id);
  }
  if (toFetch.length === 0) return applyRows(store, input, rows, also);
  // The rows' links are read while the rows are read back from Salesforce (a round trip to the
  // org): the batch waits for the longer of the two instead of both. Reading the links first
  // changes nothing the commit relies on: each record is written only at the version read here,
  // and only while its link holds no newer Salesforce version (sync-pages.ts). The read back
  // starts first: on SQLite every query takes a turn of the one connection, and the client's
  // session lookup must not queue behind the links.
  const fetched = fetchRecords(input.client, input.object, toFetch);
  const linkedAhead = readLinked(store, input, salesforceIds);
  linkedAhead.catch(() => {});
  rows.push(...(await fetched));
  return applyRows(store, input, rows, also, 1, linkedAhead);
}

/** The links of the given records, with their records' values and versions. */
async function readLinked(
  store: ApplyStore,
  input: ApplyInput,
  salesforceIds: readonly string[],
): Promise<PageState['linked']> {
  const state = await store.syncPages.readState({
    workspaceId: input.workspaceId,
    connectionId: input.connectionId,
    recordTypeId: input.object.recordType.id,
    salesforceObject: input.object.mapping.salesforceObject,
    salesforceIds: [...salesforceIds],
    namedRecordIds: [],
    parentSalesforceIds: [],
  });
  return state.linked;
}

/**
 * Plans and commits records already read from Salesforce (fetched by id, or carried by change
 * events), in one transaction with `also` (the batch's replay id). Answers the per-record
 * results, unchanged records included, so a caller can tell a person what happened.
 */
export async function applyRows(
  store: ApplyStore,
  input: ApplyInput,
  rows: SalesforceRecord[],
  also?: (tx: TransactionClient) => Promise<void>,
  /** 2 and up: the same rows planned again after their records changed during the commit. */
  attempt = 1,
  /** The rows' links, read already (while the rows were read back); else read here. */
  linkedAhead?: Promise<PageState['linked']>,
): Promise<PlannedResult[]> {
  const { run, object } = input;
  const { mapping, describe } = object;
  const name = mapping.salesforceObject;
  // Each id once: a batch's rows mostly name the same few parents (one owner for a load's 200
  // records), and every id repeated in a query's `IN (...)` costs the query's building again.
  const ids = (key: string, from: readonly SalesforceRecord[] = rows) => [
    ...new Set(
      from
        .map((row) => readPath(row, key))
        .filter((v): v is string => typeof v === 'string' && v !== ''),
    ),
  ];
  const pryzmIdField = findPryzmIdField(describe)?.name;
  const referencePaths = mapping.fields.flatMap((field) =>
    field.kind === 'reference' ? [field.salesforceField] : [],
  );
  const linked = await (linkedAhead ?? readLinked(store, input, ids('Id')));
  // The records `Pryzm_ID__c` names matter only for rows not linked yet (the planner links
  // them to the record they name): once a connection has synced, most batches have none.
  const unlinkedRows = rows.filter((row) => !linked.has(String(readPath(row, 'Id'))));
  const namedRecordIds = pryzmIdField ? ids(pryzmIdField, unlinkedRows) : [];
  const parentSalesforceIds = [...new Set(referencePaths.flatMap((path) => ids(path)))];
  const { named, parents } =
    namedRecordIds.length > 0 || parentSalesforceIds.length > 0
      ? await store.syncPages.readState({
          workspaceId: input.workspaceId,
          connectionId: input.connectionId,
          recordTypeId: object.recordType.id,
          salesforceObject: name,
          salesforceIds: [],
          namedRecordIds,
          parentSalesforceIds,
        })
      : { named: new Map(), parents: new Map() };
  const state: PageState = { linked, named, parents };
  // First-sync matching only needs candidates when a record is new to the connection.
  const needsMatching = unlinkedRows.length > 0;
  const unlinked = needsMatching
    ? await store.syncPages.unlinkedRecords({
        workspaceId: input.workspaceId,
        recordTypeId: object.recordType.id,
        connectionId: input.connectionId,
        salesforceObject: name,
      })
    : [];
  const plan = planPage(rows, state, {
    mapping,
    describe,
    matches: new MatchIndex(unlinked, mapping.matchRules ?? defaultMatchRules(name)),
    unlinked: new Map(unlinked.map((record) => [record.id, record])),
    toPryzm: {
      recordType: object.recordType,
      describe,
      describeFor: object.describeFor,
      lookupPryzmId: (_object, salesforceId) => state.parents.get(salesforceId),
    },
  });
  const entry = run.object(name);
  run.add(name, plan.counts, entry.processed + (attempt === 1 ? rows.length : 0), null);
  const { stale, olderThanApplied } = await store.syncPages.commit({
    jobId: run.job.id,
    workspaceId: input.workspaceId,
    connectionId: input.connectionId,
    recordTypeId: object.recordType.id,
    salesforceObject: name,
    creates: plan.creates,
    updates: plan.updates,
    results: plan.results,
    conflicts: plan.conflicts,
    settled: plan.settled,
    checkpoint: {
      bulkJobId: null,
      nextLocator: null,
      done: false,
      processed: entry.processed,
      total: null,
      maxModstamp: plan.maxModstamp,
    },
    job: run.snapshot(),
    ...(also ? { also } : {}),
    writesBackPryzmIds: pryzmIdField !== undefined,
  });
  run.move(name, 'updated', 'skipped', stale.length);
  run.move(name, 'updated', 'unchanged', olderThanApplied.length);
  // A Pryzm record that changed between reading its state and the commit (a pull or an API
  // write at that moment) was left out; a pull reads it again next run, but no change event
  // will name it again: plan those rows afresh against what Pryzm holds now.
  const staleIds = new Set(stale);
  const again = plan.updates.filter((update) => staleIds.has(update.recordId));
  if (again.length > 0 && attempt < MAX_APPLY_ATTEMPTS) {
    const againIds = new Set(again.map((update) => update.salesforceId));
    run.move(name, 'skipped', 'updated', again.length);
    run.add(name, { ...emptyCounts(), updated: -again.length }, entry.processed, null);
    await applyRows(
      store,
      input,
      rows.filter((row) => againIds.has(String(readPath(row, 'Id')))),
      undefined,
      attempt + 1,
    );
  }
  if (pryzmIdField && (plan.creates.length > 0 || plan.updates.some((u) => u.newLink))) {
    await writeBackPryzmIds(store, input.client, run, {
      connectionId: input.connectionId,
      salesforceObject: describe.name,
      linkObject: name,
      pryzmIdField,
      stampFields: syncStampFields(describe),
    });
  }
  // Unchanged records are not listed in history; the caller still learns their outcome.
  const listed = new Set(plan.results.map((result) => result.salesforceId));
  const unchanged = plan.updates
    .filter((update) => !listed.has(update.salesforceId))
    .map((update) => ({
      salesforceId: update.salesforceId,
      recordId: update.recordId,
      action: 'unchanged',
    }));
  return [...plan.results, ...unchanged];
}

/**
 * Applies deletes of Salesforce records the events name (the mapping decides whether they
 * propagate), as a pull applies those it finds in the recycle bin.
 */
export async function applyDeletes(
  store: ApplyStore,
  input: ApplyInput,
  salesforceIds: readonly string[],
  /** When each delete committed in Salesforce, where known: the links keep it as their stamp. */
  deletedAt?: ReadonlyMap<string, Date>,
): Promise<number> {
  const { run, object } = input;
  const name = object.mapping.salesforceObject;
  const links = await store.syncDeletes.linksToDelete(input.connectionId, [...salesforceIds]);
  if (links.length === 0) return 0;
  const propagate =
    (object.mapping.deletes ?? DEFAULT_DELETE_SETTINGS).fromSalesforce === 'propagate';
  const entry = run.object(name);
  run.add(
    name,
    { ...emptyCounts(), [propagate ? 'deleted' : 'skipped']: links.length },
    entry.processed + links.length,
    null,
  );
  await store.syncDeletes.applySalesforceDeletes({
    jobId: run.job.id,
    connectionId: input.connectionId,
    salesforceObject: name,
    propagate,
    links: links.map((link) => {
      const stamp = deletedAt?.get(link.salesforceId);
      return stamp ? { ...link, salesforceModstamp: stamp } : link;
    }),
    job: run.snapshot(),
  });
  return links.length;
}
