import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Provider } from '../../src/store/migrations/migration-files.ts';

/** Both databases the service supports; database suites run once for each. */
export const PROVIDERS: Provider[] = ['sqlite', 'postgresql'];

/** A fresh, empty database of the provider and the `DATABASE_URL` that selects it. */
export async function freshDatabaseUrl(provider: Provider): Promise<string> {
  if (provider === 'sqlite') {
    return `file:${join(mkdtempSync(join(tmpdir(), 'pryzm-sqlite-')), 'test.db')}`;
  }
  const adminUrl = inject('postgresUrl');
  const name = `pryzm_test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
