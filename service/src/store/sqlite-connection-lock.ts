/**
 * Turns on the one SQLite connection of a service process, first come first served.
 *
 * Prisma's better-sqlite3 adapter runs every query on a single connection, and only makes
 * interactive transactions wait for each other (@prisma/adapter-better-sqlite3 7.10.0: a mutex
 * around `startTransaction`, none around plain queries). A plain query sent while another
 * caller's transaction is open would run inside it: an API write answered 200 during a sync
 * page's commit would be undone if that page rolled back, and lost if the process died before
 * the page committed. With this lock held by every transaction from its start to its commit or
 * rollback, and taken by every query outside one, a query waits for the open transaction instead
 * of joining it. SQLite itself runs one statement at a time per connection
 * (https://www.sqlite.org/threadsafe.html), so nothing is lost in throughput.
 */
export class ConnectionLock {
  #tail: Promise<void> = Promise.resolve();

  /** Waits for the turns asked before this one; the function answered ends this turn (once). */
  async acquire(): Promise<() => void> {
    let end!: () => void;
    const turn = new Promise<void>((resolve) => (end = resolve));
    const before = this.#tail;
    this.#tail = before.then(() => turn);
    await before;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      end();
    };
  }

  /** Runs `work` in a turn of its own. */
  async run<T>(work: () => T | Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
