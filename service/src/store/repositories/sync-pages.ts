import type { PryzmValues } from '../../mapping/index.ts';
import { outsideTransactions, type PrismaClient } from '../database.ts';
import {
  fastInsert,
  insertTarget,
  JsonText,
  ROWS_PER_STATEMENT,
  type PendingIdWriteBackInsert,
} from './fast-insert.ts';
import { timeOrderedId } from '../time-ordered-id.ts';
import {
  idWriteBack,
  type AwaitingLink,
  type AwaitingLinkPosition,
  type WrittenLink,
} from './id-write-back-links.ts';
import { fastUpdate, type LinkBaseUpdate } from './fast-update.ts';
import { overtakenUpdates } from './overtaken-updates.ts';
import {
  readPageStateOn,
  readPageStateThroughPrisma,
  type PageStateQuery,
} from './page-state-reads.ts';
import {
  olderThanAppliedResult,
  resultRow,
  type CommittedPage,
  type PageCommitListener,
  type PageCommitOutcome,
  type PageState,
  type PulledPage,
} from './sync-page-types.ts';
import { advanceJob } from './sync-jobs.ts';

export type {
  CommittedPage,
  PageCommitListener,
  PageCommitOutcome,
  PageState,
  PlannedConflict,
  PlannedCreate,
  PlannedResult,
  PlannedUpdate,
  PulledPage,
} from './sync-page-types.ts';

/** `items` in runs of one multi-row statement's rows (fast-insert.ts), without copying them all. */
function* slices<T>(items: readonly T[]): Generator<readonly T[]> {
  for (let start = 0; start < items.length; start += ROWS_PER_STATEMENT) {
    yield items.slice(start, start + ROWS_PER_STATEMENT);
  }
}

/** What the sync engine reads and writes of records and links, a page at a time. */
export class SyncPageStore {
  private readonly listeners = new Set<PageCommitListener>();

  constructor(private readonly prisma: PrismaClient) {}

  /** Adds a listener to every committed page; the function returned removes it. */
  onCommit(listener: PageCommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Writes a pulled page in one transaction: new records and links, updated records (version
   * checked) and link bases, per-record results, the checkpoint and the job's progress. A crash
   * before the commit leaves nothing of the page; the next run reads it again from the checkpoint.
   * Answers the ids of records that changed meanwhile and were left for the next run.
   */
  async commit(page: PulledPage): Promise<PageCommitOutcome> {
    const { stale, olderThanApplied, openedConflicts, committedAt } =
      await this.prisma.$transaction(
        async (tx) => {
          const now = new Date();
          // Raw inserts (fast-insert.ts): createMany spends ~10x the database's time in Prisma
          // itself. Rows are built 500 at a time, so no copy of the page is held; a new record's
          // values and its link's base are the same JSON, built once.
          const target = insertTarget(this.prisma);
          const writesBack = page.writesBackPryzmIds ?? true;
          for (const creates of slices(page.creates)) {
            const json = creates.map((create) => new JsonText(JSON.stringify(create.values)));
            // Ids chosen here (time-ordered, as fast-insert.ts would) name the links' queue rows.
            const linkIds = creates.map(() => timeOrderedId());
            await fastInsert.records(
              tx,
              target,
              creates.map((create, index) => ({
                id: create.recordId,
                workspaceId: page.workspaceId,
                recordTypeId: page.recordTypeId,
                values: json[index],
                createdAt: now,
                updatedAt: now,
              })),
            );
            await fastInsert.links(
              tx,
              target,
              creates.map((create, index) => ({
                id: linkIds[index],
                connectionId: page.connectionId,
                recordId: create.recordId,
                salesforceObject: page.salesforceObject,
                salesforceId: create.salesforceId,
                baseValues: json[index],
                lastSyncedAt: now,
                createdAt: now,
                updatedAt: now,
                salesforceModstamp: create.salesforceModstamp ?? null,
              })),
            );
            if (writesBack) {
              await fastInsert.pendingIdWriteBacks(
                tx,
                target,
                linkIds.map((linkId) => ({
                  linkId,
                  connectionId: page.connectionId,
                  salesforceObject: page.salesforceObject,
                })),
              );
            }
          }
          const stale: string[] = [];
          const olderThanApplied = new Map<string, ReturnType<typeof olderThanAppliedResult>>();
          const openedConflicts: CommittedPage['openedConflicts'] = [];
          const overtaken = await overtakenUpdates(tx, page);
          for (const update of page.updates) {
            if (!update.undeleted || overtaken.has(update)) continue;
            await tx.pryzmRecord.updateMany({
              where: { id: update.recordId, deletedAt: { not: null } },
              data: { deletedAt: null, version: { increment: 1 } },
            });
            await tx.link.updateMany({
              where: { connectionId: page.connectionId, salesforceId: update.salesforceId },
              data: { salesforceDeletedAt: null },
            });
            update.expectedVersion += 1;
          }
          // Version-checked record writes and link bases in bulk (fast-update.ts): updateMany
          // one by one cost two or three Prisma queries per updated record.
          const valued = page.updates.filter(
            (update) => update.values !== undefined && !overtaken.has(update),
          );
          const written = await fastUpdate.records(
            tx,
            target,
            valued.map((update) => ({
              id: update.recordId,
              expectedVersion: update.expectedVersion,
              values: update.values,
            })),
            now,
          );
          const staleUpdates = new Set(valued.filter((_, index) => !written[index]));
          const linkBases: LinkBaseUpdate[] = [];
          // Links made for records matched in Pryzm whose Salesforce record lacks the Pryzm id.
          const queued: PendingIdWriteBackInsert[] = [];
          for (const update of page.updates) {
            const applied = overtaken.get(update);
            if (applied) {
              olderThanApplied.set(
                update.recordId,
                olderThanAppliedResult(update, update.salesforceModstamp!, applied),
              );
            } else if (staleUpdates.has(update)) {
              stale.push(update.recordId);
            } else if (update.newLink) {
              const link = await tx.link.create({
                select: { id: true },
                data: {
                  connectionId: page.connectionId,
                  recordId: update.recordId,
                  salesforceObject: page.salesforceObject,
                  salesforceId: update.salesforceId,
                  baseValues: update.baseValues,
                  lastSyncedAt: update.pendingPush ? new Date(0) : now,
                  salesforceModstamp: update.salesforceModstamp ?? null,
                },
              });
              if (writesBack && !update.pryzmIdInSalesforce) {
                queued.push({
                  linkId: link.id,
                  connectionId: page.connectionId,
                  salesforceObject: page.salesforceObject,
                });
              }
            } else {
              linkBases.push({
                salesforceId: update.salesforceId,
                baseValues: update.baseValues,
                ...(update.pendingPush ? {} : { lastSyncedAt: now }),
                ...(update.salesforceModstamp
                  ? { salesforceModstamp: update.salesforceModstamp }
                  : {}),
              });
            }
          }
          await fastUpdate.links(tx, target, page.connectionId, linkBases, now);
          await fastInsert.pendingIdWriteBacks(tx, target, queued);
          const staleSet = new Set(stale);
          for (const results of slices(page.results)) {
            await fastInsert.recordResults(
              tx,
              target,
              results.map((result) => {
                const older = result.recordId ? olderThanApplied.get(result.recordId) : undefined;
                const changed = !older && result.recordId !== null && staleSet.has(result.recordId);
                return resultRow(
                  page.jobId,
                  page.salesforceObject,
                  older ??
                    (changed
                      ? {
                          salesforceId: result.salesforceId,
                          recordId: result.recordId,
                          action: 'skipped',
                          errorCode: 'changed_during_sync',
                          errorMessage:
                            'The Pryzm record changed while the page was read; the next run syncs it',
                        }
                      : result),
                );
              }),
            );
          }
          for (const conflict of page.conflicts) {
            const open = await tx.syncConflict.findFirst({
              where: {
                connectionId: page.connectionId,
                salesforceId: conflict.salesforceId,
                status: 'open',
              },
              select: { id: true },
            });
            if (open) {
              await tx.syncConflict.update({
                where: { id: open.id },
                data: { fields: conflict.fields, jobId: page.jobId },
              });
            } else {
              const opened = await tx.syncConflict.create({
                select: { id: true },
                data: {
                  workspaceId: page.workspaceId,
                  connectionId: page.connectionId,
                  recordId: conflict.recordId,
                  salesforceObject: page.salesforceObject,
                  salesforceId: conflict.salesforceId,
                  fields: conflict.fields,
                  status: 'open',
                  jobId: page.jobId,
                },
              });
              openedConflicts.push({
                id: opened.id,
                recordId: conflict.recordId,
                salesforceId: conflict.salesforceId,
                attributes: conflict.fields.map((field) => field.attribute),
              });
            }
          }
          if (page.settled.length > 0) {
            await tx.syncConflict.updateMany({
              where: {
                connectionId: page.connectionId,
                salesforceId: { in: page.settled },
                status: 'open',
              },
              data: { status: 'resolved', resolvedAt: now },
            });
          }
          await tx.syncCheckpoint.upsert({
            where: {
              jobId_salesforceObject: {
                jobId: page.jobId,
                salesforceObject: page.salesforceObject,
              },
            },
            create: {
              jobId: page.jobId,
              salesforceObject: page.salesforceObject,
              ...page.checkpoint,
            },
            update: { rowsDone: 0, ...page.checkpoint },
          });
          if (page.cursor !== undefined) {
            await tx.syncCursor.upsert({
              where: {
                connectionId_salesforceObject: {
                  connectionId: page.connectionId,
                  salesforceObject: page.salesforceObject,
                },
              },
              create: {
                connectionId: page.connectionId,
                salesforceObject: page.salesforceObject,
                systemModstamp: page.cursor,
              },
              update: { systemModstamp: page.cursor },
            });
          }
          await page.also?.(tx);
          await advanceJob(tx, page.jobId, page.job);
          return { stale, olderThanApplied, openedConflicts, committedAt: now };
        },
        { timeout: 120_000 },
      );
    if (this.listeners.size > 0) {
      const staleSet = new Set([...stale, ...olderThanApplied.keys()]);
      const committed: CommittedPage = {
        jobId: page.jobId,
        workspaceId: page.workspaceId,
        connectionId: page.connectionId,
        recordTypeId: page.recordTypeId,
        salesforceObject: page.salesforceObject,
        committedAt,
        created: page.creates.map((create) => ({
          recordId: create.recordId,
          values: create.values,
        })),
        updated: page.updates.flatMap((update) =>
          (update.values !== undefined || update.undeleted) && !staleSet.has(update.recordId)
            ? [{ recordId: update.recordId, changed: update.changed ?? [] }]
            : [],
        ),
        openedConflicts,
      };
      for (const listener of this.listeners) await listener(committed);
    }
    return { stale, olderThanApplied: [...olderThanApplied.keys()] };
  }

  /**
   * The page's links with their records, the records `Pryzm_ID__c` names and the parents' links:
   * on SQLite prepared statements on Prisma's connection, elsewhere Prisma's queries
   * (page-state-reads.ts).
   */
  async readState(input: PageStateQuery): Promise<PageState> {
    const target = insertTarget(this.prisma);
    return typeof target === 'string'
      ? readPageStateThroughPrisma(this.prisma, input)
      : outsideTransactions(this.prisma, () => readPageStateOn(target.connection, input));
  }

  /** Unlinked live records of a type, for first-sync matching (one index per object and job). */
  async unlinkedRecords(input: {
    workspaceId: string;
    recordTypeId: string;
    connectionId: string;
    salesforceObject: string;
  }): Promise<{ id: string; values: PryzmValues; version: number }[]> {
    const rows = await this.prisma.pryzmRecord.findMany({
      where: {
        workspaceId: input.workspaceId,
        recordTypeId: input.recordTypeId,
        deletedAt: null,
        links: {
          none: { connectionId: input.connectionId, salesforceObject: input.salesforceObject },
        },
      },
      select: { id: true, values: true, version: true },
    });
    return rows.map((row) => ({ ...row, values: row.values as PryzmValues }));
  }

  /**
   * Links whose Salesforce record does not hold the Pryzm id yet, oldest first, up to `limit`,
   * after `after` when given (prepared statements on SQLite: fast-insert.ts).
   */
  async linksAwaitingIdWriteBack(
    connectionId: string,
    salesforceObject: string,
    limit: number,
    after?: AwaitingLinkPosition | null,
  ): Promise<AwaitingLink[]> {
    const target = insertTarget(this.prisma);
    return onTheirOwn(this.prisma, target, () =>
      idWriteBack.awaitingFrom(this.prisma, target, {
        connectionId,
        salesforceObject,
        limit,
        after,
      }),
    );
  }

  /** The links still queued at `positions` (an interrupted write-back's), in queue order. */
  async queuedLinks(
    connectionId: string,
    positions: readonly AwaitingLinkPosition[],
  ): Promise<AwaitingLink[]> {
    return idWriteBack.atPositions(this.prisma, connectionId, positions);
  }

  /** Marks links written back: takes them off the write-back's queue. */
  async markIdsWrittenBack(connectionId: string, links: readonly WrittenLink[]): Promise<void> {
    const target = insertTarget(this.prisma);
    await onTheirOwn(this.prisma, target, () =>
      idWriteBack.mark(this.prisma, target, connectionId, links),
    );
  }
}

/**
 * Statements on the SQLite connection itself run in a turn of its lock, so that they do not join
 * a transaction another caller has open (database.ts `outsideTransactions`); Prisma's own
 * queries take their turn by themselves.
 */
function onTheirOwn<T>(
  prisma: PrismaClient,
  target: ReturnType<typeof insertTarget>,
  work: () => Promise<T>,
): Promise<T> {
  return typeof target === 'string' ? work() : outsideTransactions(prisma, work);
}
