import { parseDatabaseUrl } from '../../src/config/env.ts';
import { SecretBox } from '../../src/crypto/secret-box.ts';
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

/** A `Connection` row as stored, with its tokens decrypted the way the service decrypts them. */
export interface StoredTokens {
  row: Record<string, string | null>;
  accessToken: string | null;
  refreshToken: string | null;
}

/** Every stored connection's tokens, read straight from the database. */
export async function readStoredTokens(
  databaseUrl: string,
  encryptionKey: string,
): Promise<StoredTokens[]> {
  const db = await openConnection(databaseUrl);
  try {
    const rows = await db.query<Record<string, string | null>>('SELECT * FROM "Connection"');
    const box = new SecretBox(Buffer.from(encryptionKey, 'base64'));
    return rows.map((row) => {
      const open = (name: 'accessToken' | 'refreshToken') => {
        const stored = row[`${name}Encrypted`];
        return stored ? box.decrypt(stored, `connection:${row.id}:${name}`) : null;
      };
      return { row, accessToken: open('accessToken'), refreshToken: open('refreshToken') };
    });
  } finally {
    await db.close();
  }
}
