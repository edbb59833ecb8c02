import { randomUUID } from 'node:crypto';
import { outsideTransactions, type PrismaClient } from '../database.ts';
import { idWriteBack, insertTarget } from './fast-insert.ts';
import type { WrittenLink } from './id-write-back-links.ts';
import { inTransaction, preparedOn, sqliteDateTime } from './sqlite-statements.ts';
import type { TransactionClient } from './transaction.ts';

/** Links a SQLite transaction marks written back at a time (commitIdWriteBack). */
const MARK_SLICE = 5_000;

/** What a Bulk API 2.0 ingest job of a sync job is for. */
export type IngestPurpose = 'push' | 'id_write_back';

export interface IngestJobRow<Batch> {
  id: string;
  jobId: string;
  salesforceObject: string;
  purpose: IngestPurpose;
  bulkJobId: string;
  batch: Batch;
}

/**
 * Bulk API 2.0 ingest jobs a sync job started and has not committed the results of yet. A row is
 * written once Salesforce created the job and before any data goes up, and removed in the
 * transaction that commits the job's results: a run resumed after a crash finds it and reads
 * the results instead of uploading the records again.
 */
export class SyncIngestJobStore {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * On SQLite a prepared INSERT on Prisma's connection (fast-insert.ts): through Prisma's create
   * an ingest job's batch (10,000 links as JSON) went through its query interpreter first. The
   * row is as Prisma writes it: a random UUID (`@default(uuid())`), the JSON text, `createdAt`
   * in the adapter's format.
   */
  async save<Batch>(row: Omit<IngestJobRow<Batch>, 'id'>): Promise<string> {
    const target = insertTarget(this.prisma);
    if (typeof target !== 'string') {
      const id = randomUUID();
      await outsideTransactions(this.prisma, () =>
        preparedOn(
          target.connection,
          'INSERT INTO "SyncIngestJob" ("id", "jobId", "salesforceObject", "purpose", ' +
            '"bulkJobId", "batch", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run([
          id,
          row.jobId,
          row.salesforceObject,
          row.purpose,
          row.bulkJobId,
          JSON.stringify(row.batch),
          sqliteDateTime(new Date()),
        ]),
      );
      return id;
    }
    const created = await this.prisma.syncIngestJob.create({
      data: { ...row, batch: row.batch as object },
      select: { id: true },
    });
    return created.id;
  }

  /** The job's ingest jobs of an object and purpose whose results are not committed, oldest first. */
  async pending<Batch>(
    jobId: string,
    salesforceObject: string,
    purpose: IngestPurpose,
  ): Promise<IngestJobRow<Batch>[]> {
    const rows = await this.prisma.syncIngestJob.findMany({
      where: { jobId, salesforceObject, purpose },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map((row) => ({
      ...row,
      purpose: row.purpose as IngestPurpose,
      batch: row.batch as Batch,
    }));
  }

  /**
   * Marks the links whose `Pryzm_ID__c` a write-back ingest job wrote, and forgets the job, in
   * one transaction.
   */
  async commitIdWriteBack(
    connectionId: string,
    links: readonly WrittenLink[],
    id: string,
  ): Promise<void> {
    const target = insertTarget(this.prisma);
    if (typeof target !== 'string') {
      // Prepared statements on SQLite, each slice in a transaction of the connection's own, in a
      // turn of its lock (nobody else's transaction is open meanwhile). better-sqlite3 runs
      // synchronously: a job of 50,000 links marked at once held the event loop for seconds at
      // a million links, so the slices let requests in between. The job's row goes with the last
      // slice: a crash before it leaves the row, and the resumed run marks every link again
      // (marking is idempotent).
      const { connection } = target;
      for (let from = 0; from === 0 || from < links.length; from += MARK_SLICE) {
        if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const slice = links.slice(from, from + MARK_SLICE);
        const last = from + MARK_SLICE >= links.length;
        await outsideTransactions(this.prisma, () =>
          inTransaction(connection, () => {
            idWriteBack.markOn(connection, connectionId, slice);
            if (last) {
              preparedOn(connection, 'DELETE FROM "SyncIngestJob" WHERE "id" = ?').run([id]);
            }
          }),
        );
      }
      return;
    }
    await this.prisma.$transaction(async (tx) => {
      await idWriteBack.mark(tx, insertTarget(this.prisma), connectionId, links);
      await removeIngestJob(tx, id);
    });
  }

  /** Forgets an ingest job whose records will be sent again (Salesforce processed none). */
  async remove(id: string): Promise<void> {
    await this.prisma.syncIngestJob.deleteMany({ where: { id } });
  }
}

/** Removes an ingest job's row in the transaction that commits its results. */
export async function removeIngestJob(tx: TransactionClient, id: string): Promise<void> {
  await tx.syncIngestJob.deleteMany({ where: { id } });
}
