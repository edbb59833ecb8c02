import type { Provider } from './migration-files.ts';

/**
 * The little the migration runner needs from a database driver. Migrations run on the raw
 * drivers (better-sqlite3, pg) rather than Prisma Client, because a migration script holds many
 * statements and Prisma's raw queries take one at a time.
 */
export interface SqlConnection {
  readonly provider: Provider;
  /** Runs a script of one or more statements. */
  execute(sql: string): Promise<void>;
  /** Runs one statement with positional parameters ($1, $2, ...) and returns its rows. */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `work` in one transaction holding the database's migration lock. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
