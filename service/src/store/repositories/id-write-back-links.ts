import type { SqliteConnection } from '../sqlite-adapter.ts';
import { inTransaction, preparedOn, sqliteDateTime } from './sqlite-statements.ts';
import type { TransactionClient } from './transaction.ts';

/**
 * Where the write-back's statements go: a dialect alone (Prisma's own queries), or, on SQLite, the
 * connection Prisma runs on (prepared statements); `InsertTarget` of fast-insert.ts.
 */
type WriteBackTarget = string | { connection: SqliteConnection };

/** Where a link stands in the order links await their `Pryzm_ID__c` write-back. */
export interface AwaitingLinkPosition {
  /** As stored: SQLite's text, or the Date Prisma reads. */
  createdAt: string | Date;
  id: string;
}

/** A link awaiting its `Pryzm_ID__c` write-back, with its position for the next read. */
export interface AwaitingLink {
  salesforceId: string;
  recordId: string;
  position: AwaitingLinkPosition;
}

/**
 * The `Pryzm_ID__c` write-back's store calls, on the same targets as the inserts: on SQLite with
 * the connection, prepared statements (one UPDATE per link through the unique index on
 * `(connectionId, salesforceId)`, instead of an `IN` list of up to 10,000 parameters compiled
 * anew for every call); elsewhere Prisma's own queries.
 */
export const idWriteBack = {
  /** Links whose Salesforce record does not hold the Pryzm id yet, oldest first, up to `limit`. */
  async awaiting(
    tx: TransactionClient,
    target: WriteBackTarget,
    input: { connectionId: string; salesforceObject: string; limit: number },
  ): Promise<{ salesforceId: string; recordId: string }[]> {
    const links = await idWriteBack.awaitingFrom(tx, target, input);
    return links.map(({ salesforceId, recordId }) => ({ salesforceId, recordId }));
  },

  /**
   * Links whose Salesforce record does not hold the Pryzm id yet, oldest first (by `createdAt`,
   * then `id`), up to `limit`; after `after` (a link answered before) when given, so that a
   * reader that sent those on does not read them again while they are still unwritten.
   */
  async awaitingFrom(
    tx: TransactionClient,
    target: WriteBackTarget,
    input: {
      connectionId: string;
      salesforceObject: string;
      limit: number;
      after?: AwaitingLinkPosition | null;
    },
  ): Promise<AwaitingLink[]> {
    const { after } = input;
    if (typeof target !== 'string') {
      // The index on (connectionId, salesforceObject, pryzmIdWrittenAt, createdAt) answers it;
      // SQLite keeps the primary key in every index, so `id` orders ties from the index too.
      const select =
        'SELECT "id", "createdAt", "salesforceId", "recordId" FROM "Link" WHERE "connectionId" = ? ' +
        'AND "salesforceObject" = ? AND "pryzmIdWrittenAt" IS NULL';
      const order = ' ORDER BY "createdAt" ASC, "id" ASC LIMIT ?';
      const rows = (
        after
          ? preparedOn(target.connection, `${select} AND ("createdAt", "id") > (?, ?)${order}`).all(
              [
                input.connectionId,
                input.salesforceObject,
                typeof after.createdAt === 'string'
                  ? after.createdAt
                  : sqliteDateTime(after.createdAt),
                after.id,
                input.limit,
              ],
            )
          : preparedOn(target.connection, `${select}${order}`).all([
              input.connectionId,
              input.salesforceObject,
              input.limit,
            ])
      ) as { id: string; createdAt: string; salesforceId: string; recordId: string }[];
      return rows.map((row) => ({
        salesforceId: row.salesforceId,
        recordId: row.recordId,
        position: { createdAt: row.createdAt, id: row.id },
      }));
    }
    const afterDate = after
      ? typeof after.createdAt === 'string'
        ? new Date(after.createdAt)
        : after.createdAt
      : null;
    const rows = await tx.link.findMany({
      where: {
        connectionId: input.connectionId,
        salesforceObject: input.salesforceObject,
        pryzmIdWrittenAt: null,
        ...(after && afterDate
          ? {
              OR: [
                { createdAt: { gt: afterDate } },
                { createdAt: afterDate, id: { gt: after.id } },
              ],
            }
          : {}),
      },
      select: { id: true, createdAt: true, salesforceId: true, recordId: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: input.limit,
    });
    return rows.map((row) => ({
      salesforceId: row.salesforceId,
      recordId: row.recordId,
      position: { createdAt: row.createdAt, id: row.id },
    }));
  },

  /**
   * Marks the links of `salesforceIds` written at `at` (`updatedAt` too, as Prisma's @updatedAt
   * would); answers the rows changed.
   */
  async mark(
    tx: TransactionClient,
    target: WriteBackTarget,
    connectionId: string,
    salesforceIds: readonly string[],
    at: Date,
  ): Promise<number> {
    if (salesforceIds.length === 0) return 0;
    if (typeof target !== 'string') {
      return idWriteBack.markOn(target.connection, connectionId, salesforceIds, at);
    }
    const { count } = await tx.link.updateMany({
      where: { connectionId, salesforceId: { in: [...salesforceIds] } },
      data: { pryzmIdWrittenAt: at },
    });
    return count;
  },

  /**
   * `mark` on a SQLite connection, at once: in the transaction the connection has open (the
   * caller's, who holds its lock), or in one of its own.
   */
  markOn(
    connection: SqliteConnection,
    connectionId: string,
    salesforceIds: readonly string[],
    at: Date,
  ): number {
    const update = preparedOn(
      connection,
      'UPDATE "Link" SET "pryzmIdWrittenAt" = ?, "updatedAt" = ? ' +
        'WHERE "connectionId" = ? AND "salesforceId" = ?',
    );
    const stamp = sqliteDateTime(at);
    return inTransaction(connection, () => {
      let changed = 0;
      for (const salesforceId of salesforceIds) {
        changed += update.run([stamp, stamp, connectionId, salesforceId]).changes;
      }
      return changed;
    });
  },
};
