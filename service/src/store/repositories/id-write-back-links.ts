import type { SqliteConnection } from '../sqlite-adapter.ts';
import { inTransaction, preparedOn } from './sqlite-statements.ts';
import type { TransactionClient } from './transaction.ts';

/**
 * Where the write-back's statements go: a dialect alone (Prisma's own queries), or, on SQLite, the
 * connection Prisma runs on (prepared statements); `InsertTarget` of fast-insert.ts.
 */
type WriteBackTarget = string | { connection: SqliteConnection };

/**
 * Where a link stands in the order links await their `Pryzm_ID__c` write-back: its
 * `PendingIdWriteBack` row's `seq`, which grows in commit order.
 */
export type AwaitingLinkPosition = number;

/** A link awaiting its `Pryzm_ID__c` write-back, with its position for the next read. */
export interface AwaitingLink {
  salesforceId: string;
  recordId: string;
  position: AwaitingLinkPosition;
}

/**
 * A link whose Pryzm id Salesforce took: by its queue position when the reader had it, else by
 * its Salesforce Id (write-back batches stored before the queue had positions).
 */
export interface WrittenLink {
  salesforceId: string;
  position?: AwaitingLinkPosition;
}

/**
 * Positions or Salesforce Ids one Prisma statement takes, far below PostgreSQL's 65,535 bound
 * parameters a statement.
 */
const IN_LIST = 10_000;

/** The links awaiting their write-back after a position, in queue order; `p(n)` is a placeholder. */
function awaitingSql(p: (n: number) => string): string {
  return (
    'SELECT q."seq", l."salesforceId", l."recordId" FROM "PendingIdWriteBack" q ' +
    'JOIN "Link" l ON l."id" = q."linkId" ' +
    `WHERE q."connectionId" = ${p(1)} AND q."salesforceObject" = ${p(2)} AND q."seq" > ${p(3)} ` +
    `ORDER BY q."seq" ASC LIMIT ${p(4)}`
  );
}

/**
 * The `Pryzm_ID__c` write-back's store calls over the `PendingIdWriteBack` queue, on the same
 * targets as the inserts: on SQLite with the connection, prepared statements; elsewhere Prisma's
 * own queries. Marking a link written deletes its queue row (by primary key), instead of
 * rewriting the wide link row and moving its entry in an index as a `Link` column did.
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
   * Links whose Salesforce record does not hold the Pryzm id yet, in queue order, up to `limit`;
   * after `after` (a link answered before) when given, so that a reader that sent those on does
   * not read them again while they are still unwritten.
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
    const parameters = [input.connectionId, input.salesforceObject, input.after ?? 0, input.limit];
    // The queue's index on (connectionId, salesforceObject, seq) answers it in order, each row's
    // link by its primary key: one join in the database (Prisma's relation select read the queue
    // rows, then their links by an IN list of every link id: 28.1 s of a million-link write-back
    // on PostgreSQL).
    const rows = (
      typeof target !== 'string'
        ? preparedOn(
            target.connection,
            awaitingSql(() => '?'),
          ).all(parameters)
        : await tx.$queryRawUnsafe(
            awaitingSql((n) => (target === 'postgresql' ? `$${n}` : '?')),
            ...parameters,
          )
    ) as { seq: number | bigint; salesforceId: string; recordId: string }[];
    // Integers may come as BigInt (Prisma's adapter sets better-sqlite3 to answer them so); a
    // position is a number (it goes into an ingest job's stored JSON).
    return rows.map((row) => ({
      salesforceId: row.salesforceId,
      recordId: row.recordId,
      position: Number(row.seq),
    }));
  },

  /**
   * The links of the connection still queued at `positions`, in queue order (a link written or
   * deleted since is left out): what a resumed write-back reads of a batch it stored.
   */
  async atPositions(
    tx: TransactionClient,
    connectionId: string,
    positions: readonly AwaitingLinkPosition[],
  ): Promise<AwaitingLink[]> {
    const links: AwaitingLink[] = [];
    for (let at = 0; at < positions.length; at += IN_LIST) {
      const rows = await tx.pendingIdWriteBack.findMany({
        where: { connectionId, seq: { in: positions.slice(at, at + IN_LIST) } },
        select: { seq: true, link: { select: { salesforceId: true, recordId: true } } },
        orderBy: { seq: 'asc' },
      });
      for (const row of rows) links.push({ ...row.link, position: row.seq });
    }
    return links;
  },

  /** Marks `links` of the connection written back (deletes their queue rows); answers how many. */
  async mark(
    tx: TransactionClient,
    target: WriteBackTarget,
    connectionId: string,
    links: readonly WrittenLink[],
  ): Promise<number> {
    if (links.length === 0) return 0;
    if (typeof target !== 'string')
      return idWriteBack.markOn(target.connection, connectionId, links);
    const positions = links.flatMap((link) => (link.position === undefined ? [] : [link.position]));
    const salesforceIds = links.flatMap((link) =>
      link.position === undefined ? [link.salesforceId] : [],
    );
    let count = 0;
    for (let at = 0; at < positions.length; at += IN_LIST) {
      // The connection too, so that a position can never reach another connection's row.
      const seq = { in: positions.slice(at, at + IN_LIST) };
      count += (await tx.pendingIdWriteBack.deleteMany({ where: { connectionId, seq } })).count;
    }
    for (let at = 0; at < salesforceIds.length; at += IN_LIST) {
      const salesforceId = { in: salesforceIds.slice(at, at + IN_LIST) };
      count += (
        await tx.pendingIdWriteBack.deleteMany({ where: { connectionId, link: { salesforceId } } })
      ).count;
    }
    return count;
  },

  /**
   * `mark` on a SQLite connection, at once: in the transaction the connection has open (the
   * caller's, who holds its lock), or in one of its own.
   */
  markOn(
    connection: SqliteConnection,
    connectionId: string,
    links: readonly WrittenLink[],
  ): number {
    const byPosition = preparedOn(
      connection,
      'DELETE FROM "PendingIdWriteBack" WHERE "seq" = ? AND "connectionId" = ?',
    );
    const bySalesforceId = preparedOn(
      connection,
      'DELETE FROM "PendingIdWriteBack" WHERE "linkId" = ' +
        '(SELECT "id" FROM "Link" WHERE "connectionId" = ? AND "salesforceId" = ?)',
    );
    return inTransaction(connection, () => {
      let changed = 0;
      for (const link of links) {
        changed +=
          link.position === undefined
            ? bySalesforceId.run([connectionId, link.salesforceId]).changes
            : byPosition.run([link.position, connectionId]).changes;
      }
      return changed;
    });
  },

  /**
   * Takes links off the queue whose Salesforce record now holds the Pryzm id some other way (a
   * push upserted it by `Pryzm_ID__c`).
   */
  async dequeueRecords(
    tx: TransactionClient,
    input: { connectionId: string; salesforceObject: string; recordIds: readonly string[] },
  ): Promise<void> {
    if (input.recordIds.length === 0) return;
    await tx.pendingIdWriteBack.deleteMany({
      where: {
        connectionId: input.connectionId,
        salesforceObject: input.salesforceObject,
        link: { recordId: { in: [...input.recordIds] } },
      },
    });
  },
};
