import { parseDatabaseUrl } from '../../src/config/env.ts';
import { openPostgresConnection } from '../../src/store/migrations/postgres-connection.ts';
import type { SqlConnection } from '../../src/store/migrations/sql-connection.ts';
import { openSqliteConnection } from '../../src/store/migrations/sqlite-connection.ts';

/** A raw driver connection to a `DATABASE_URL`, for tests that inspect the database directly. */
export async function openConnection(databaseUrl: string): Promise<SqlConnection> {
  const database = parseDatabaseUrl(databaseUrl, { serviceDir: process.cwd() });
  return database.provider === 'sqlite'
    ? openSqliteConnection(database.file)
    : openPostgresConnection(database.url);
}
