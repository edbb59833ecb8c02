import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../../scripts/lib/postgres-cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the throwaway PostgreSQL cluster the suite runs against. */
    postgresUrl: string;
  }
}

/**
 * Every database test runs on SQLite and on PostgreSQL. The PostgreSQL side gets a cluster of
 * its own for the run, started here and removed afterwards; each suite creates its databases in it.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startPostgresCluster();
  const version = await serverVersion(cluster.url);
  console.log(`PostgreSQL ${version} test cluster started at ${cluster.url}`);
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}

async function serverVersion(url: string): Promise<string> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}
