import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../src/store/database.ts';
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

/**
 * Where the bulk writers (src/store/repositories/fast-insert.ts, fast-update.ts) send their SQL:
 * each database through multi-row statements sent by Prisma, and SQLite also through prepared
 * statements on the connection Prisma runs on (what the sync engine uses there).
 */
export const BULK_WRITE_PATHS = [
  ...PROVIDERS.map((provider) => [provider, 'statements'] as const),
  ['sqlite', 'connection'] as const,
];

/**
 * A fresh database of the provider, migrated and opened in this process, for suites that test
 * the store directly. The store's modules are imported here on first use, so the suites that
 * only want a URL for a service they spawn do not load Prisma's clients.
 */
export async function openMigratedDatabase(provider: Provider): Promise<Database> {
  const [{ parseDatabaseUrl }, { openDatabase }] = await Promise.all([
    import('../../src/config/env.ts'),
    import('../../src/store/database.ts'),
  ]);
  const url = await freshDatabaseUrl(provider);
  const database = await openDatabase(parseDatabaseUrl(url, { serviceDir: process.cwd() }));
  await database.migrate();
  return database;
}

/** The rows most store suites start from. */
export interface SeededWorkspace {
  workspaceId: string;
  /** The built-in `organization` record type every new workspace has (the Account mapping's). */
  organizationTypeId: string;
  /** An active production connection of the workspace (no tokens: the store never calls out). */
  connectionId: string;
}

/**
 * A workspace made the way the service makes one (with its built-in record types) and one
 * active connection in it. `name` is also the workspace's slug, lower-cased.
 */
export async function seedWorkspace(database: Database, name: string): Promise<SeededWorkspace> {
  const [{ createRepositories }, { WorkspaceService }] = await Promise.all([
    import('../../src/store/repositories/index.ts'),
    import('../../src/workspaces/workspace-service.ts'),
  ]);
  const created = await new WorkspaceService(createRepositories(database.prisma)).create({
    name,
    slug: name.toLowerCase(),
  });
  if (!created.ok) throw new Error(created.error.message);
  const workspaceId = created.value.workspace.id;
  const { id: organizationTypeId } = await database.prisma.recordType.findFirstOrThrow({
    where: { workspaceId, key: 'organization' },
  });
  const connectionId = randomUUID();
  await database.prisma.connection.create({
    data: {
      id: connectionId,
      workspaceId,
      label: 'Production',
      environment: 'production',
      loginUrl: 'https://login.salesforce.com',
      authFlow: 'web_server',
      status: 'active',
      clientId: 'x',
    },
  });
  return { workspaceId, organizationTypeId, connectionId };
}

/** A running sync job of the connection: what a page, push or write-back commit belongs to. */
export async function runningJob(
  database: Database,
  owner: { workspaceId: string; connectionId: string },
  kind: 'pull' | 'realtime' = 'pull',
  id?: string,
): Promise<string> {
  const row = await database.prisma.syncJob.create({
    data: {
      ...(id ? { id } : {}),
      workspaceId: owner.workspaceId,
      connectionId: owner.connectionId,
      kind,
      mode: kind === 'pull' ? 'full' : 'window',
      status: 'running',
      scope: {},
      progress: [],
      counts: {},
      startedBy: 'test',
    },
  });
  return row.id;
}
