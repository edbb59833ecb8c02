import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/env.ts';
import { UsageCounter } from '../../src/connections/usage-counter.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { ConnectionRepository } from '../../src/store/repositories/connections.ts';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';

const RUNS = 20;

describe.each(PROVIDERS)('usage counts on %s', (provider) => {
  let database: Database;
  let connections: ConnectionRepository;
  let connectionId: string;

  beforeAll(async () => {
    database = await openDatabase(
      parseDatabaseUrl(await freshDatabaseUrl(provider), { serviceDir: process.cwd() }),
    );
    await database.migrate();
    const workspace = await database.prisma.workspace.create({ data: { name: 'U', slug: 'u' } });
    connectionId = randomUUID();
    await database.prisma.connection.create({
      data: {
        id: connectionId,
        workspaceId: workspace.id,
        label: 'Production',
        environment: 'production',
        loginUrl: 'https://login.salesforce.com',
        authFlow: 'web_server',
        status: 'active',
        clientId: 'x',
      },
    });
    connections = new ConnectionRepository(database.prisma);
  });
  afterAll(async () => {
    await database?.close();
  });

  it(`should show every counted request to a read right after flush(), ${RUNS} runs in a row`, async () => {
    const counter = new UsageCounter(connections, (error) => {
      throw error;
    });
    const record = counter.recorder(connectionId);
    for (let run = 1; run <= RUNS; run += 1) {
      record('api');
      // Let the scheduled write start: its batch has left the pending counts, its UPDATE has not
      // committed yet. A flush() now must still wait for it.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      await counter.flush();
      const row = await connections.findById(connectionId);
      expect(row?.apiCallCount, `run ${run}: the read sees the count`).toBe(run);
    }
  });
});
