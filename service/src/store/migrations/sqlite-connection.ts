import Database from 'better-sqlite3';
import type { SqlConnection } from './sql-connection.ts';

/** Positional `$1` parameters become SQLite's `?` so one query text serves both databases. */
function toSqliteParams(sql: string): string {
  return sql.replace(/\$\d+/g, '?');
}

export function openSqliteConnection(file: string): SqlConnection {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return {
    provider: 'sqlite',
    async execute(sql) {
      db.exec(sql);
    },
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      const statement = db.prepare(toSqliteParams(sql));
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [];
    },
    async exclusive(work) {
      // IMMEDIATE takes the write lock up front, so two starting services cannot interleave.
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    async close() {
      db.close();
    },
  };
}
