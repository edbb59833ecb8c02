import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import Database from 'better-sqlite3';
import { ConnectionLock } from './sqlite-connection-lock.ts';
import { overriding } from './overriding.ts';
import { releasingQueryArguments } from './query-arguments.ts';

type SqliteAdapter = Awaited<ReturnType<PrismaBetterSqlite3['connect']>>;
export type SqliteConnection = Database.Database;

/**
 * Settings of the service's SQLite connection (https://www.sqlite.org/pragma.html), applied
 * each time Prisma opens it:
 * - `synchronous = NORMAL`: in WAL mode a commit no longer waits for an fsync of the WAL; the
 *   database stays consistent whatever happens, and a commit survives the process being killed,
 *   only a power loss or an operating-system crash may undo the last ones
 *   (https://www.sqlite.org/pragma.html#pragma_synchronous, https://www.sqlite.org/wal.html).
 *   What a pull committed and lost that way is read again by the next pull: a `Pryzm_ID__c`
 *   naming a record that is not there links or creates one as on a first pull.
 * - `temp_store = MEMORY`: sorts and temporary indices in memory, not in temporary files.
 * - `cache_size = -16384`: 16 MiB of page cache instead of 2 MiB (negative: KiB), so the upper
 *   levels of the larger indexes (links by Salesforce Id, by record) stay in memory.
 * The journal mode (WAL) is set once on the file when the service migrates it
 * (migrations/sqlite-connection.ts) and persists.
 */
export const SQLITE_PRAGMAS = [
  'synchronous = NORMAL',
  'temp_store = MEMORY',
  'cache_size = -16384',
];

/**
 * Prisma's better-sqlite3 adapter, with the connection settings above, and a handle on the
 * connection it opened: the sync engine's bulk inserts run their prepared statements on that
 * same connection, inside the Prisma transaction it has open (fast-insert.ts).
 *
 * The handle is the adapter's `client`, the better-sqlite3 `Database` it runs every query on
 * (@prisma/adapter-better-sqlite3 7.10.0, pinned exactly). It is checked to be one, so that an
 * adapter that keeps it elsewhere leaves `connection` null and the inserts go through Prisma.
 */
export class SqliteAdapterFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName: string;
  readonly #adapter: PrismaBetterSqlite3;
  #connection: SqliteConnection | null = null;
  /** Whose turn it is on the connection (sqlite-connection-lock.ts). */
  readonly lock = new ConnectionLock();

  constructor(url: string) {
    this.#adapter = new PrismaBetterSqlite3({ url });
    this.adapterName = this.#adapter.adapterName;
  }

  async connect(): Promise<SqliteAdapter> {
    const adapter = await this.#adapter.connect();
    await adapter.executeScript(SQLITE_PRAGMAS.map((pragma) => `PRAGMA ${pragma};`).join('\n'));
    const client = (adapter as unknown as { client?: unknown }).client;
    this.#connection = client instanceof Database && client.open ? client : null;
    // Prisma's debug history keeps no query's parameters (query-arguments.ts).
    return takingTurns(releasingQueryArguments(adapter), this.lock);
  }

  /** The connection Prisma runs its queries on; null until Prisma connects, or if not found. */
  get connection(): SqliteConnection | null {
    return this.#connection?.open ? this.#connection : null;
  }
}

/**
 * The adapter with every query outside a transaction, and every transaction from its start to
 * its commit or rollback, taking a turn of `lock`; queries inside a transaction run in its turn.
 */
function takingTurns(adapter: SqliteAdapter, lock: ConnectionLock): SqliteAdapter {
  type Transaction = Awaited<ReturnType<SqliteAdapter['startTransaction']>>;
  const ending = (transaction: Transaction, release: () => void): Transaction => {
    const releasing = (end: () => Promise<void>) => async () => {
      try {
        await end();
      } finally {
        release();
      }
    };
    return overriding(transaction, {
      commit: releasing(() => transaction.commit()),
      rollback: releasing(() => transaction.rollback()),
    });
  };
  return overriding(adapter, {
    queryRaw: (query: Parameters<SqliteAdapter['queryRaw']>[0]) =>
      lock.run(() => adapter.queryRaw(query)),
    executeRaw: (query: Parameters<SqliteAdapter['executeRaw']>[0]) =>
      lock.run(() => adapter.executeRaw(query)),
    executeScript: (script: string) => lock.run(() => adapter.executeScript(script)),
    startTransaction: async (isolationLevel?: Parameters<SqliteAdapter['startTransaction']>[0]) => {
      const release = await lock.acquire();
      try {
        return ending(await adapter.startTransaction(isolationLevel), release);
      } catch (error) {
        release();
        throw error;
      }
    },
  });
}
