import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Provider = 'sqlite' | 'postgresql';

/** One committed migration: `prisma/<provider>/migrations/<name>/migration.sql`. */
export interface MigrationFile {
  name: string;
  sql: string;
  /** Prisma's checksum: the SHA-256 of the script, hex; `prisma migrate status` compares it. */
  checksum: string;
}

/** The service workspace folder, found from this file whether run from src/ or dist/. */
export const serviceDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export function migrationsDir(provider: Provider): string {
  return join(serviceDir, 'prisma', provider, 'migrations');
}

/** Migrations in the order Prisma applies them: by folder name, which starts with a timestamp. */
export function readMigrations(provider: Provider): MigrationFile[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}
