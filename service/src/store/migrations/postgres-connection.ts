import pg from 'pg';
import type { SqlConnection } from './sql-connection.ts';

/** The advisory lock key Prisma Migrate itself uses, so our runner and Prisma's exclude each other. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

export async function openPostgresConnection(url: string): Promise<SqlConnection> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    provider: 'postgresql',
    async execute(sql) {
      await client.query(sql);
    },
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const result = await client.query(sql, params);
      return result.rows as T[];
    },
    async exclusive(work) {
      await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
      try {
        await client.query('BEGIN');
        try {
          const result = await work();
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
      }
    },
    async close() {
      await client.end();
    },
  };
}
