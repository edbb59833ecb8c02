import {
  attributeDirections,
  compareThreeWay,
  compileToPryzm,
  findPryzmIdField,
  readPath,
  resolveThreeWay,
  type FieldComparison,
  type FieldResult,
  type ObjectMapping,
  type PryzmValues,
  type PryzmValuesOf,
  type SalesforceRecord,
  type SObjectDescribe,
  type ToPryzmContext,
} from '../../mapping/index.ts';
import type { MatchIndex } from '../../records/record-matcher.ts';
import { timeOrderedId } from '../../store/time-ordered-id.ts';
import { salesforceStamp } from './salesforce-stamp.ts';
import type {
  PageState,
  PlannedConflict,
  PlannedCreate,
  PlannedResult,
  PlannedUpdate,
} from '../../store/repositories/sync-pages.ts';
import { olderThanAppliedResult } from '../../store/repositories/sync-page-types.ts';
import type { JobCounts } from '../../store/repositories/sync-jobs.ts';

export interface PagePlan {
  creates: PlannedCreate[];
  updates: PlannedUpdate[];
  results: PlannedResult[];
  /** Records with fields left for a person to settle, and those that have none (any more). */
  conflicts: PlannedConflict[];
  settled: string[];
  counts: JobCounts;
  /** The newest `SystemModstamp` on the page (ISO text as Salesforce sent it). */
  maxModstamp: string | null;
}

export interface PlanContext {
  mapping: ObjectMapping;
  describe: SObjectDescribe;
  toPryzm: ToPryzmContext;
  /** Unlinked Pryzm records of the type, for first-sync matching (claims across pages). */
  matches: MatchIndex;
  /** Those records' values and versions, by id. */
  unlinked: ReadonlyMap<string, { values: PryzmValues; version: number }>;
}

/** A field that did not sync, as history keeps it (synced fields are implied by the mapping). */
interface SkippedField {
  attribute: string;
  code: string;
  reason: string;
}

/** Most records skip no field: they share this empty list instead of building two of their own. */
const NONE_SKIPPED: readonly SkippedField[] = Object.freeze([]);

function skippedFields(results: readonly FieldResult[]): readonly SkippedField[] {
  let skipped: SkippedField[] | undefined;
  for (const result of results) {
    if (result.status !== 'skipped') continue;
    (skipped ??= []).push({
      attribute: result.attribute,
      code: result.code,
      reason: result.reason,
    });
  }
  return skipped ?? NONE_SKIPPED;
}

function conflictFields(conflicts: FieldComparison[]) {
  return conflicts.map((conflict) => ({
    attribute: conflict.attribute,
    code: 'conflict',
    base: conflict.base,
    pryzm: conflict.pryzm,
    salesforce: conflict.salesforce,
  }));
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value !== '' ? value : null;

/**
 * Decides what one page of pulled Salesforce records does in Pryzm, without writing anything:
 * a linked record is compared three ways with its link's base values and settled by the
 * mapping's conflict strategy; an unlinked one is linked to the record its `Pryzm_ID__c` names,
 * or to the one the match rules find (an ambiguous match is reported, never guessed), or is
 * created. Only values Salesforce won move the base forward: a Pryzm change waits for the push.
 * A row older (by `SystemModstamp`) than the values its link last took is a stale snapshot (a
 * Bulk query job's results are taken when the job runs, a catch-up pull may be read after a
 * change event brought a newer version): it is reported `unchanged` (`older_than_applied`) and
 * applies nothing, so it cannot undo the newer change. A row of the same stamp applies as any
 * row does and, holding the same values, changes nothing.
 */
export function planPage(
  rows: readonly SalesforceRecord[],
  state: PageState,
  ctx: PlanContext,
): PagePlan {
  const plan: PagePlan = {
    creates: [],
    updates: [],
    results: [],
    conflicts: [],
    settled: [],
    counts: {
      created: 0,
      updated: 0,
      deleted: 0,
      linked: 0,
      unchanged: 0,
      skipped: 0,
      failed: 0,
      conflicts: 0,
    },
    maxModstamp: null,
  };
  const directions = attributeDirections(ctx.mapping);
  const pulled = Object.entries(directions)
    .filter(([, flow]) => flow.pull)
    .map(([attribute]) => attribute);
  const pryzmIdField = findPryzmIdField(ctx.describe)?.name;
  const claimedOnPage = new Set<string>();
  // The mapping is compiled once for the page, on its first record (as toPryzm would, it throws
  // on a time zone the runtime does not know), not worked out again for each of its records.
  let pryzmValuesOf: PryzmValuesOf | undefined;

  for (const row of rows) {
    const salesforceId = text(readPath(row, 'Id'));
    const modstamp = text(readPath(row, 'SystemModstamp'));
    if (modstamp && (plan.maxModstamp === null || modstamp > plan.maxModstamp)) {
      plan.maxModstamp = modstamp;
    }
    if (!salesforceId) continue;
    const stamp = salesforceStamp(row);
    const stamped = stamp ? { salesforceModstamp: stamp } : {};
    pryzmValuesOf ??= compileToPryzm(ctx.mapping, ctx.toPryzm);
    const mapped = pryzmValuesOf(row);
    const skipped = skippedFields(mapped.fieldResults);

    // The Pryzm record this Salesforce record is (or becomes) linked to.
    let target:
      | {
          recordId: string;
          base: PryzmValues;
          values: PryzmValues;
          version: number;
          newLink: boolean;
          named?: boolean;
          undeleted?: boolean;
        }
      | undefined;
    const link = state.linked.get(salesforceId);
    if (link) {
      if (link.deleted && !link.salesforceDeleted) {
        plan.results.push({
          salesforceId,
          recordId: link.recordId,
          action: 'skipped',
          errorCode: 'deleted_in_pryzm',
          errorMessage: 'The linked Pryzm record is deleted',
        });
        plan.counts.skipped += 1;
        continue;
      }
      const applied = link.salesforceModstamp;
      if (stamp && applied && stamp.getTime() < applied.getTime()) {
        plan.results.push(
          olderThanAppliedResult({ salesforceId, recordId: link.recordId }, stamp, applied),
        );
        plan.counts.unchanged += 1;
        continue;
      }
      target = {
        ...link,
        base: link.baseValues,
        newLink: false,
        undeleted: link.salesforceDeleted,
      };
    } else {
      const namedId = pryzmIdField ? text(readPath(row, pryzmIdField)) : null;
      const named = namedId ? state.named.get(namedId) : undefined;
      if (namedId && named && !named.linked && !claimedOnPage.has(namedId)) {
        ctx.matches.claim(namedId);
        target = {
          recordId: namedId,
          base: {},
          values: named.values,
          version: named.version,
          newLink: true,
          named: true,
        };
      } else {
        const match = ctx.matches.match(row);
        if (match.kind === 'ambiguous') {
          plan.results.push({
            salesforceId,
            recordId: null,
            action: 'skipped',
            errorCode: 'ambiguous_match',
            errorMessage: `${match.recordIds.length} Pryzm records match on ${match.key}; link one by hand`,
            fields: { candidates: match.recordIds },
          });
          plan.counts.skipped += 1;
          continue;
        }
        if (match.kind === 'matched') {
          const found = state.named.get(match.recordId) ?? ctx.unlinked.get(match.recordId);
          if (found) {
            target = {
              recordId: match.recordId,
              base: {},
              values: found.values,
              version: found.version,
              newLink: true,
            };
          }
        }
      }
    }

    if (!target) {
      // Time-ordered: a page's new records append to the indexes that hold their id.
      const recordId = timeOrderedId();
      plan.creates.push(
        stamp
          ? { recordId, salesforceId, values: mapped.values, salesforceModstamp: stamp }
          : { recordId, salesforceId, values: mapped.values },
      );
      plan.results.push({
        salesforceId,
        recordId,
        action: 'created',
        ...(skipped.length > 0 ? { fields: skipped } : {}),
      });
      plan.counts.created += 1;
      continue;
    }
    claimedOnPage.add(target.recordId);

    // A new link has no base: every value both sides hold differently is settled by strategy.
    const comparisons = compareThreeWay(target.base, target.values, mapped.values, pulled);
    const resolution = resolveThreeWay(comparisons, {
      strategy: ctx.mapping.conflictStrategy,
      directions,
      salesforceModifiedAt: text(readPath(row, 'LastModifiedDate')) ?? undefined,
      ...(link ? { pryzmModifiedAt: link.updatedAt } : {}),
    });
    const nextBase: PryzmValues = { ...target.base };
    for (const decision of resolution.decisions) {
      if (decision.winner === 'salesforce' || decision.outcome === 'both_changed_same') {
        nextBase[decision.attribute] = resolution.nextBase[decision.attribute] ?? null;
      }
    }
    const changed = Object.keys(resolution.toPryzm).length > 0;
    const values = changed ? { ...target.values, ...resolution.toPryzm } : undefined;
    plan.updates.push({
      recordId: target.recordId,
      salesforceId,
      expectedVersion: target.version,
      values,
      ...(changed ? { changed: Object.keys(resolution.toPryzm) } : {}),
      baseValues: nextBase,
      newLink: target.newLink,
      ...(target.named ? { pryzmIdInSalesforce: true } : {}),
      ...(target.undeleted ? { undeleted: true } : {}),
      ...(Object.keys(resolution.toSalesforce).length > 0 ? { pendingPush: true } : {}),
      ...stamped,
    });
    const fields = [...skipped, ...conflictFields(resolution.conflicts)];
    // A new link is reported as linked, with any values the two sides disagree on as conflicts.
    const action = target.newLink
      ? 'linked'
      : target.undeleted
        ? 'restored'
        : resolution.conflicts.length > 0
          ? 'conflict'
          : changed
            ? 'updated'
            : 'unchanged';
    if (resolution.conflicts.length > 0) {
      plan.counts.conflicts += 1;
      plan.conflicts.push({
        recordId: target.recordId,
        salesforceId,
        fields: resolution.conflicts.map(({ attribute, base, pryzm, salesforce }) => ({
          attribute,
          base,
          pryzm,
          salesforce,
        })),
      });
    } else if (!target.newLink) {
      plan.settled.push(salesforceId);
    }
    if (action === 'linked') plan.counts.linked += 1;
    else if (action === 'updated' || action === 'restored') plan.counts.updated += 1;
    else if (action === 'unchanged') plan.counts.unchanged += 1;
    // Unchanged records are counted, not listed: a full pull of a million records would
    // otherwise write a million rows that say nothing happened.
    if (action !== 'unchanged' || fields.length > 0) {
      plan.results.push({
        salesforceId,
        recordId: target.recordId,
        action,
        ...(fields.length > 0 ? { fields } : {}),
      });
    }
  }
  return plan;
}
