import type { SqlConnection } from '../../src/store/migrations/sql-connection.ts';

/**
 * The shape of a database's schema (tables, columns, indexes, foreign keys) read from the
 * database's own catalog, ordered so two snapshots compare with `toEqual`.
 */
export async function schemaSnapshot(connection: SqlConnection): Promise<unknown> {
  return connection.provider === 'sqlite'
    ? sqliteSnapshot(connection)
    : postgresSnapshot(connection);
}

async function sqliteSnapshot(connection: SqlConnection) {
  const tables = await connection.query<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != '_prisma_migrations' ORDER BY name`,
  );
  const snapshot: Record<string, unknown> = {};
  for (const { name } of tables) {
    const quoted = `"${name}"`;
    const indexes = await connection.query<{ name: string; unique: number }>(
      `PRAGMA index_list(${quoted})`,
    );
    snapshot[name] = {
      columns: await connection.query(`PRAGMA table_info(${quoted})`),
      indexes: await Promise.all(
        indexes
          .sort((a, b) => a.name.localeCompare(b.name))
          .map(async (index) => ({
            name: index.name,
            unique: index.unique,
            columns: (
              await connection.query<{ name: string }>(`PRAGMA index_info("${index.name}")`)
            ).map((c) => c.name),
          })),
      ),
      foreignKeys: await connection.query(`PRAGMA foreign_key_list(${quoted})`),
    };
  }
  return snapshot;
}

async function postgresSnapshot(connection: SqlConnection) {
  return {
    columns: await connection.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default, character_maximum_length, numeric_precision, numeric_scale
       FROM information_schema.columns WHERE table_schema = current_schema() AND table_name != '_prisma_migrations'
       ORDER BY table_name, column_name`,
    ),
    indexes: await connection.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes
       WHERE schemaname = current_schema() AND tablename != '_prisma_migrations' ORDER BY tablename, indexname`,
    ),
    constraints: await connection.query(
      `SELECT rel.relname AS table_name, con.conname, pg_get_constraintdef(con.oid) AS definition
       FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
       JOIN pg_namespace ns ON ns.oid = rel.relnamespace
       WHERE ns.nspname = current_schema() AND rel.relname != '_prisma_migrations'
       ORDER BY rel.relname, con.conname`,
    ),
    enums: await connection.query(
      `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace ns ON ns.oid = t.typnamespace WHERE ns.nspname = current_schema()
       ORDER BY t.typname, e.enumsortorder`,
    ),
  };
}
