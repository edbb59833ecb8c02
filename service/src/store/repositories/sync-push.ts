import type { PryzmValues } from '../../mapping/index.ts';
import type { PrismaClient } from '../database.ts';
import { fastInsert, idWriteBack, insertTarget } from './fast-insert.ts';
import { removeIngestJob } from './sync-ingest-jobs.ts';
import { resultRow, type PlannedResult } from './sync-page-types.ts';
import { advanceJob, type JobState } from './sync-jobs.ts';

/** A Pryzm record a push considers, with its link to the object (if any). */
export interface PushCandidate {
  id: string;
  values: PryzmValues;
  updatedAt: Date;
  link: { salesforceId: string; baseValues: PryzmValues; lastSyncedAt: Date } | null;
}

/** What a pushed batch changes in Pryzm, committed together. */
export interface PushedBatch {
  jobId: string;
  connectionId: string;
  salesforceObject: string;
  /** When the records were read: later edits count as changes for the next push. */
  readAt: Date;
  /**
   * `salesforceModstamp`: the record's `SystemModstamp` read right after the push wrote it, so a
   * snapshot read before the push is older and cannot undo it; null keeps the link's stamp.
   */
  links: {
    recordId: string;
    salesforceId: string;
    baseValues: PryzmValues;
    salesforceModstamp?: Date | null;
  }[];
  results: PlannedResult[];
  job: JobState;
  /** The Bulk API 2.0 ingest job the batch went through: forgotten as its results commit. */
  ingestJobId?: string;
}

/** What the push side of the sync engine reads and writes. */
export class SyncPushStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Live records of a type after `afterId` (by id) that are new to the object or changed since
   * their link last synced: the candidates of a batch push.
   */
  async changedRecords(input: {
    workspaceId: string;
    recordTypeId: string;
    connectionId: string;
    salesforceObject: string;
    afterId: string | null;
    limit: number;
  }): Promise<{ candidates: PushCandidate[]; lastId: string | null }> {
    const rows = await this.prisma.pryzmRecord.findMany({
      where: {
        workspaceId: input.workspaceId,
        recordTypeId: input.recordTypeId,
        deletedAt: null,
        ...(input.afterId ? { id: { gt: input.afterId } } : {}),
      },
      orderBy: { id: 'asc' },
      take: input.limit,
      select: {
        id: true,
        values: true,
        updatedAt: true,
        links: {
          where: { connectionId: input.connectionId, salesforceObject: input.salesforceObject },
          select: { salesforceId: true, baseValues: true, lastSyncedAt: true },
        },
      },
    });
    const candidates = rows
      .map((row) => {
        const link = row.links[0];
        return {
          id: row.id,
          values: row.values as PryzmValues,
          updatedAt: row.updatedAt,
          link: link ? { ...link, baseValues: link.baseValues as PryzmValues } : null,
        };
      })
      .filter((row) => !row.link || row.updatedAt > row.link.lastSyncedAt);
    return { candidates, lastId: rows.at(-1)?.id ?? null };
  }

  /**
   * A live record of the workspace with its links on a connection (one per object), for a
   * single-record push: one read answers its record type and, once the mapping is chosen, its
   * link. Null when there is no such record or it was deleted.
   */
  async recordForPush(
    workspaceId: string,
    recordId: string,
    connectionId: string,
  ): Promise<{
    recordTypeId: string;
    /** The record as a push candidate for one object: its link to that object, if any. */
    forObject: (salesforceObject: string) => PushCandidate;
  } | null> {
    const row = await this.prisma.pryzmRecord.findFirst({
      where: { id: recordId, workspaceId, deletedAt: null },
      select: {
        id: true,
        values: true,
        updatedAt: true,
        recordTypeId: true,
        links: {
          where: { connectionId },
          select: {
            salesforceObject: true,
            salesforceId: true,
            baseValues: true,
            lastSyncedAt: true,
          },
        },
      },
    });
    if (!row) return null;
    return {
      recordTypeId: row.recordTypeId,
      forObject: (salesforceObject) => {
        const link = row.links.find((candidate) => candidate.salesforceObject === salesforceObject);
        return {
          id: row.id,
          values: row.values as PryzmValues,
          updatedAt: row.updatedAt,
          link: link
            ? {
                salesforceId: link.salesforceId,
                baseValues: link.baseValues as PryzmValues,
                lastSyncedAt: link.lastSyncedAt,
              }
            : null,
        };
      },
    };
  }

  /** Salesforce Ids of linked records on a connection, for lookups (parents must be linked). */
  async salesforceIdsOf(connectionId: string, recordIds: string[]): Promise<Map<string, string>> {
    if (recordIds.length === 0) return new Map();
    const links = await this.prisma.link.findMany({
      where: { connectionId, recordId: { in: recordIds } },
      select: { recordId: true, salesforceId: true },
    });
    return new Map(links.map((link) => [link.recordId, link.salesforceId]));
  }

  /**
   * Records what Salesforce took: links created or moved forward (base = the values pushed,
   * stamp = the `SystemModstamp` they were written with, `Pryzm_ID__c` known to hold the record
   * id), the results and the job's progress.
   */
  async commit(batch: PushedBatch): Promise<void> {
    await this.prisma.$transaction(
      async (tx) => {
        const target = insertTarget(this.prisma);
        // One multi-row upsert per 500 links instead of one Prisma upsert per link.
        await fastInsert.upsertLinksByRecord(
          tx,
          target,
          batch.links.map((link) => ({
            connectionId: batch.connectionId,
            salesforceObject: batch.salesforceObject,
            recordId: link.recordId,
            salesforceId: link.salesforceId,
            baseValues: link.baseValues,
            lastSyncedAt: batch.readAt,
            salesforceModstamp: link.salesforceModstamp ?? null,
          })),
        );
        // The upsert by Pryzm_ID__c wrote the id: those links await no write-back.
        await idWriteBack.dequeueRecords(tx, {
          connectionId: batch.connectionId,
          salesforceObject: batch.salesforceObject,
          recordIds: batch.links.map((link) => link.recordId),
        });
        await fastInsert.recordResults(
          tx,
          target,
          batch.results.map((result) => resultRow(batch.jobId, batch.salesforceObject, result)),
        );
        if (batch.ingestJobId) await removeIngestJob(tx, batch.ingestJobId);
        await advanceJob(tx, batch.jobId, batch.job);
      },
      { timeout: 120_000 },
    );
  }

  /** Links whose Pryzm record was deleted while the Salesforce record still stands. */
  async deletedInPryzm(
    connectionId: string,
    salesforceObject: string,
    limit: number,
  ): Promise<{ salesforceId: string; recordId: string }[]> {
    return this.prisma.link.findMany({
      where: {
        connectionId,
        salesforceObject,
        salesforceDeletedAt: null,
        record: { deletedAt: { not: null } },
      },
      select: { salesforceId: true, recordId: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /** Records Salesforce deletes that a push propagated (or found done), with their results. */
  async commitDeletes(input: {
    jobId: string;
    connectionId: string;
    salesforceObject: string;
    deleted: string[];
    results: PlannedResult[];
    job: JobState;
  }): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      if (input.deleted.length > 0) {
        await tx.link.updateMany({
          where: { connectionId: input.connectionId, salesforceId: { in: input.deleted } },
          data: { salesforceDeletedAt: new Date() },
        });
      }
      await fastInsert.recordResults(
        tx,
        insertTarget(this.prisma),
        input.results.map((result) => resultRow(input.jobId, input.salesforceObject, result)),
      );
      await advanceJob(tx, input.jobId, input.job);
    });
  }
}
