import { inject } from 'vitest';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/store/migrations/apply-migrations.ts';
import type { SqlConnection } from '../../src/store/migrations/sql-connection.ts';
import { readMigratedModels } from '../../scripts/create-migration.ts';
import { currentModels, diffModels, isEmptyScript } from '../../scripts/lib/schema-engine.ts';
import { schemaSnapshot } from '../support/catalog.ts';
import { openConnection } from '../support/connections.ts';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';

const HOW_TO_FIX =
  'prisma/models.prisma and the committed migrations disagree: run `npm run db:migration -- <name>` and commit the result';

describe.each(PROVIDERS)('committed migrations match prisma/models.prisma on %s', (provider) => {
  const opened: SqlConnection[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((c) => c.close()));
  });

  async function fresh(): Promise<SqlConnection> {
    const connection = await openConnection(await freshDatabaseUrl(provider));
    opened.push(connection);
    return connection;
  }

  it('builds the same schema from the migrations as from the models', async () => {
    const fromMigrations = await fresh();
    await applyMigrations(fromMigrations);

    const fromModels = await fresh();
    const script = await diffModels(provider, 'empty', currentModels(), inject('postgresUrl'));
    await fromModels.execute(script);

    expect(await schemaSnapshot(fromMigrations), HOW_TO_FIX).toEqual(
      await schemaSnapshot(fromModels),
    );
  });

  it('has no model change waiting for a migration', async () => {
    const script = await diffModels(
      provider,
      readMigratedModels(),
      currentModels(),
      inject('postgresUrl'),
    );
    expect(isEmptyScript(script), `${HOW_TO_FIX}\n${script}`).toBe(true);
  });
});
