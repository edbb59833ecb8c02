/**
 * Runs store writes one after the other, in the order they were asked for.
 *
 * A pull commits its pages while its `Pryzm_ID__c` write-backs run beside it, and both write to
 * the store. On SQLite, Prisma's driver adapter runs every query on one connection and only
 * interactive transactions wait for each other (@prisma/adapter-better-sqlite3 7.10: a mutex
 * around `startTransaction`); a plain query sent while a page's transaction is open runs inside
 * that transaction and commits or rolls back with it. Sent through one lane, a write-back's
 * ingest job row is committed before its data goes up, whatever a page commit does meanwhile.
 */
export class StoreLane {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(write: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(write);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
