import type { PrismaClient } from '../database.ts';
import { advanceJob, type JobState } from './sync-jobs.ts';

/** Records a committed batch of Salesforce deletes soft-deleted (for record events). */
export interface CommittedDeletes {
  jobId: string;
  workspaceId: string;
  connectionId: string;
  salesforceObject: string;
  recordIds: string[];
}

/** Called after the deletes committed, before `applySalesforceDeletes` answers; never throws. */
export type DeletesCommitListener = (deletes: CommittedDeletes) => Promise<void>;

/** Deletes a pull sees in Salesforce: which links they concern, and applying them. */
export class SyncDeleteStore {
  private readonly listeners = new Set<DeletesCommitListener>();

  constructor(private readonly prisma: PrismaClient) {}

  /** Adds a listener to every committed batch of deletes; the function returned removes it. */
  onCommit(listener: DeletesCommitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Up to when getDeleted was last asked for an object's deletes, or null. */
  async deletedCheckedAt(connectionId: string, salesforceObject: string): Promise<Date | null> {
    const cursor = await this.prisma.syncCursor.findUnique({
      where: { connectionId_salesforceObject: { connectionId, salesforceObject } },
      select: { deletedCheckedAt: true },
    });
    return cursor?.deletedCheckedAt ?? null;
  }

  /** Remembers up to when getDeleted answered (the object's cursor must exist). */
  async markDeletedChecked(
    connectionId: string,
    salesforceObject: string,
    at: Date,
  ): Promise<void> {
    await this.prisma.syncCursor.updateMany({
      where: { connectionId, salesforceObject },
      data: { deletedCheckedAt: at },
    });
  }

  /** Links of the given Salesforce records whose deletes have not been applied yet. */
  async linksToDelete(
    connectionId: string,
    salesforceIds: string[],
  ): Promise<{ salesforceId: string; recordId: string }[]> {
    if (salesforceIds.length === 0) return [];
    return this.prisma.link.findMany({
      where: { connectionId, salesforceId: { in: salesforceIds }, salesforceDeletedAt: null },
      select: { salesforceId: true, recordId: true },
    });
  }

  /**
   * Applies deletes seen in Salesforce, in one transaction: the links remember them (an
   * undelete restores the record), the Pryzm records are soft-deleted when the mapping
   * propagates deletes, and each gets a result. Applying the same delete again changes nothing.
   */
  async applySalesforceDeletes(input: {
    jobId: string;
    connectionId: string;
    salesforceObject: string;
    propagate: boolean;
    /** `salesforceModstamp`: when Salesforce deleted it, where known (the link's new stamp). */
    links: { salesforceId: string; recordId: string; salesforceModstamp?: Date }[];
    job: JobState;
  }): Promise<void> {
    if (input.links.length === 0) return;
    const now = new Date();
    const deleted = await this.prisma.$transaction(async (tx) => {
      const salesforceIds = input.links.map((link) => link.salesforceId);
      await tx.link.updateMany({
        where: { connectionId: input.connectionId, salesforceId: { in: salesforceIds } },
        data: { salesforceDeletedAt: now },
      });
      // The delete is the newest version the link has seen: a pull's snapshot older than it
      // must not restore the record (page-planner.ts). Deletes are few; one statement each.
      for (const link of input.links) {
        if (!link.salesforceModstamp) continue;
        await tx.link.updateMany({
          where: {
            connectionId: input.connectionId,
            salesforceId: link.salesforceId,
            OR: [
              { salesforceModstamp: null },
              { salesforceModstamp: { lt: link.salesforceModstamp } },
            ],
          },
          data: { salesforceModstamp: link.salesforceModstamp },
        });
      }
      let removed: { id: string; workspaceId: string }[] = [];
      if (input.propagate) {
        const live = { id: { in: input.links.map((link) => link.recordId) }, deletedAt: null };
        // Which records this delete removes (not those deleted in Pryzm already), for events.
        removed = await tx.pryzmRecord.findMany({
          where: live,
          select: { id: true, workspaceId: true },
        });
        await tx.pryzmRecord.updateMany({
          where: live,
          data: { deletedAt: now, version: { increment: 1 } },
        });
      }
      await tx.syncRecordResult.createMany({
        data: input.links.map((link) => ({
          jobId: input.jobId,
          salesforceObject: input.salesforceObject,
          salesforceId: link.salesforceId,
          recordId: link.recordId,
          action: input.propagate ? 'deleted' : 'skipped',
          ...(input.propagate
            ? {}
            : {
                errorCode: 'delete_not_propagated',
                errorMessage: 'Deleted in Salesforce; the mapping keeps the Pryzm record',
              }),
        })),
      });
      await advanceJob(tx, input.jobId, input.job);
      return removed;
    });
    if (deleted.length === 0) return;
    const committed = {
      jobId: input.jobId,
      workspaceId: deleted[0]!.workspaceId,
      connectionId: input.connectionId,
      salesforceObject: input.salesforceObject,
      recordIds: deleted.map((record) => record.id),
    };
    for (const listener of this.listeners) await listener(committed);
  }
}
