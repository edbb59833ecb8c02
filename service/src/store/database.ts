import type { DatabaseConfig } from '../config/env.ts';
import { PrismaClient as SqlitePrismaClient } from './generated/sqlite/client.ts';
import {
  applyMigrations,
  migrationStatus,
  type MigrationStatus,
} from './migrations/apply-migrations.ts';
import type { Provider } from './migrations/migration-files.ts';
import type { SqlConnection } from './migrations/sql-connection.ts';
import { openSqliteConnection } from './migrations/sqlite-connection.ts';
import { SqliteAdapterFactory, type SqliteConnection } from './sqlite-adapter.ts';
import { prepareSqliteFile } from './sqlite-file.ts';
import { releasingQueryArgumentsOf } from './query-arguments.ts';

/**
 * Both generated clients come from the same models file, so they expose the same API; the
 * SQLite one names the type the rest of the service uses.
 */
export type PrismaClient = SqlitePrismaClient;

export interface Database {
  readonly provider: Provider;
  readonly prisma: PrismaClient;
  /** Applies committed migrations that the database has not recorded yet. */
  migrate(): Promise<MigrationStatus>;
  /** Reachability and migration state, for `/readyz`. */
  check(): Promise<
    { reachable: true; status: MigrationStatus } | { reachable: false; error: string }
  >;
  close(): Promise<void>;
}

const sqliteAdapters = new WeakMap<PrismaClient, SqliteAdapterFactory>();

/**
 * The better-sqlite3 connection a SQLite client opened by `openDatabase` runs its queries on,
 * once it has connected (sqlite-adapter.ts); null for PostgreSQL and for other clients.
 */
export function sqliteConnectionOf(prisma: PrismaClient): SqliteConnection | null {
  return sqliteAdapters.get(prisma)?.connection ?? null;
}

/**
 * Runs `work` in a turn of a SQLite client's connection lock (sqlite-connection-lock.ts): for
 * prepared statements on that connection (`sqliteConnectionOf`) run outside any transaction, so
 * that they neither join another caller's open transaction nor run in the middle of it. Other
 * clients run `work` at once.
 */
export function outsideTransactions<T>(
  prisma: PrismaClient,
  work: () => T | Promise<T>,
): Promise<T> {
  const adapter = sqliteAdapters.get(prisma);
  return adapter ? adapter.lock.run(work) : Promise.resolve().then(work);
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  let connection: SqlConnection;
  let prisma: PrismaClient;
  if (config.provider === 'sqlite') {
    prepareSqliteFile(config.file);
    connection = openSqliteConnection(config.file);
    const adapter = new SqliteAdapterFactory(config.url);
    prisma = new SqlitePrismaClient({ adapter });
    sqliteAdapters.set(prisma, adapter);
  } else {
    // PostgreSQL's client, adapter and driver load only for PostgreSQL: a SQLite service never
    // needs them (about 10 MB of memory and their load time at every start).
    const [{ openPostgresConnection }, { PrismaPg }, { PrismaClient: PostgresPrismaClient }] =
      await Promise.all([
        import('./migrations/postgres-connection.ts'),
        import('@prisma/adapter-pg'),
        import('./generated/postgresql/client.ts'),
      ]);
    connection = await openPostgresConnection(config.url);
    const client = new PostgresPrismaClient({
      // Prisma's debug history keeps no query's parameters (query-arguments.ts).
      adapter: releasingQueryArgumentsOf(new PrismaPg({ connectionString: config.url })),
    });
    prisma = client as unknown as PrismaClient;
  }
  return {
    provider: config.provider,
    prisma,
    migrate: () => applyMigrations(connection),
    async check() {
      try {
        await connection.query('SELECT 1 AS ok');
        return { reachable: true, status: await migrationStatus(connection) };
      } catch (error) {
        return { reachable: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    async close() {
      await prisma.$disconnect();
      await connection.close();
    },
  };
}
