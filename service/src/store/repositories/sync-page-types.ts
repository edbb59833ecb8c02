/**
 * The shapes a pulled page is planned and committed in (sync-pages.ts), apart from the store that
 * writes them: the planners (pull, real-time, push) build them, the store commits them.
 */
import type { PryzmValue, PryzmValues } from '../../mapping/index.ts';
import type { RecordResultInsert } from './fast-insert.ts';
import type { CheckpointRow, JobState } from './sync-jobs.ts';
import type { TransactionClient } from './transaction.ts';

/** A new Pryzm record for a Salesforce record nobody had linked, and its link. */
export interface PlannedCreate {
  recordId: string;
  salesforceId: string;
  values: PryzmValues;
  /** The Salesforce record's stamp (`SystemModstamp`) the values are of, when the row had one. */
  salesforceModstamp?: Date;
}

/** New values for a record already in Pryzm (linked before, or linked by this page). */
export interface PlannedUpdate {
  recordId: string;
  salesforceId: string;
  /** The record's version as read; the write happens only if nobody wrote it since. */
  expectedVersion: number;
  /** The record's values after the pull, or undefined to leave them as they are. */
  values?: PryzmValues;
  /** The attributes whose values the page writes (for record events). */
  changed?: string[];
  /** The link's new base values. */
  baseValues: PryzmValues;
  /** Whether the link is new (first-sync match or `Pryzm_ID__c` naming the record). */
  newLink: boolean;
  /** Whether Salesforce's `Pryzm_ID__c` already holds this record's id (no write-back). */
  pryzmIdInSalesforce?: boolean;
  /** The Salesforce record was undeleted: restore the Pryzm record its delete removed. */
  undeleted?: boolean;
  /**
   * Pryzm values won and still have to reach Salesforce: the link keeps its last sync time, so
   * the next push sees the record as changed.
   */
  pendingPush?: boolean;
  /**
   * The stamp (`SystemModstamp`) of the Salesforce row planned: the link's new stamp. Left out
   * when the row had none, and the link keeps the one it has.
   */
  salesforceModstamp?: Date;
}

/** Fields a record's two sides changed differently, kept open until a person settles them. */
export interface PlannedConflict {
  recordId: string;
  salesforceId: string;
  fields: { attribute: string; base: PryzmValue; pryzm: PryzmValue; salesforce: PryzmValue }[];
}

export interface PlannedResult {
  salesforceId: string | null;
  recordId: string | null;
  action: string;
  errorCode?: string;
  errorMessage?: string;
  fields?: unknown;
}

/** A planned result as the row a commit writes for it (`SyncRecordResult`). */
export function resultRow(
  jobId: string,
  salesforceObject: string,
  result: PlannedResult,
): RecordResultInsert {
  return {
    jobId,
    salesforceObject,
    salesforceId: result.salesforceId,
    recordId: result.recordId,
    action: result.action,
    errorCode: result.errorCode ?? null,
    errorMessage: result.errorMessage ?? null,
    fields: result.fields ?? undefined,
  };
}

/**
 * The result of a row older than the version its link already took (Salesforce's
 * `SystemModstamp`, or a change event's `LastModifiedDate`): left as it is, never a conflict.
 * The planner reports it when it sees the link's stamp; a page's commit when the link moved on
 * between the plan and the commit (overtaken-updates.ts).
 */
export function olderThanAppliedResult(
  row: { salesforceId: string; recordId: string },
  stamp: Date,
  applied: Date,
): PlannedResult {
  return {
    ...row,
    action: 'unchanged',
    errorCode: 'older_than_applied',
    errorMessage: `Salesforce's row is of ${stamp.toISOString()}, older than the version of ${applied.toISOString()} already applied; left as it is`,
  };
}

/** What a page's commit left out: records to read again, rows older than their links. */
export interface PageCommitOutcome {
  /** Pryzm records changed between reading their state and the commit. */
  stale: string[];
  /** Pryzm records whose link took a newer Salesforce version meanwhile, reported `unchanged`. */
  olderThanApplied: string[];
}

/** Everything one page of a pull changes, committed together or not at all. */
export interface PulledPage {
  jobId: string;
  workspaceId: string;
  connectionId: string;
  recordTypeId: string;
  salesforceObject: string;
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  results: PlannedResult[];
  conflicts: PlannedConflict[];
  /** Salesforce Ids synced without conflict: their open conflicts, if any, are settled. */
  settled: string[];
  /** Where the object's read stands once this page is in (`rowsDone` left out: 0). */
  checkpoint: Omit<CheckpointRow, 'salesforceObject' | 'rowsDone'> & { rowsDone?: number };
  /** When the object is done: where its next incremental pull starts. */
  cursor?: string;
  /** The job's state once this page is in. */
  job: JobState;
  /** More writes that must commit with the page (a real-time batch's replay id). */
  also?: (tx: TransactionClient) => Promise<void>;
  /**
   * The object has a `Pryzm_ID__c` field: new links whose Salesforce record lacks the Pryzm id
   * join the write-back's queue (default true; an object without the field has nothing to write).
   */
  writesBackPryzmIds?: boolean;
}

/** What the page planner reads about the Salesforce records of a page. */
export interface PageState {
  /** Links by Salesforce Id, with the linked record's values and version. */
  linked: Map<
    string,
    {
      recordId: string;
      baseValues: PryzmValues;
      values: PryzmValues;
      version: number;
      deleted: boolean;
      /** A pull saw the Salesforce record deleted; seeing it again means it was undeleted. */
      salesforceDeleted: boolean;
      /** When the Pryzm record last changed (for the `most_recent` strategy). */
      updatedAt: Date;
      /** The Salesforce stamp of the values the link last took; older rows are not applied. */
      salesforceModstamp: Date | null;
    }
  >;
  /** Live records of the type among the ids `Pryzm_ID__c` names, and whether already linked. */
  named: Map<string, { values: PryzmValues; version: number; linked: boolean }>;
  /** Pryzm records linked to the parents the page's lookups name, by Salesforce Id. */
  parents: Map<string, string>;
}

/** What a committed page changed, for those who announce it (record and conflict events). */
export interface CommittedPage {
  jobId: string;
  workspaceId: string;
  connectionId: string;
  recordTypeId: string;
  salesforceObject: string;
  /** When the page committed: the created records' `createdAt` and `updatedAt`. */
  committedAt: Date;
  /** Records the page created (version 1), with their values as written. */
  created: { recordId: string; values: PryzmValues }[];
  /** Records whose values the page changed or that it restored, with the attributes written. */
  updated: { recordId: string; changed: string[] }[];
  /** Conflicts the page opened (not open ones it found again). */
  openedConflicts: {
    id: string;
    recordId: string;
    salesforceId: string;
    attributes: string[];
  }[];
}

/**
 * Called after a page committed, before `commit` answers, so what it announces comes in the
 * order of the pages (and before the job's end). It must not throw: the page is in already.
 */
export type PageCommitListener = (page: CommittedPage) => Promise<void>;
