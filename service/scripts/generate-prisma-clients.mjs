// Generates one Prisma client per provider from the shared models file.
// Prisma's CLI insists on locating a schema-engine binary before it does anything, even for
// `generate`, which never uses it; offline machines cannot download one, so we point the CLI at
// an existing file. Migrations never go through the CLI (see src/store/migrations).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const serviceDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');

for (const provider of ['sqlite', 'postgresql']) {
  const schemaDir = join(serviceDir, 'prisma', provider);
  // Each provider folder holds its generator + datasource; the models are shared.
  copyFileSync(join(serviceDir, 'prisma', 'models.prisma'), join(schemaDir, 'models.prisma'));
  if (!existsSync(join(schemaDir, 'schema.prisma'))) continue;
  execFileSync(process.execPath, [prismaCli, 'generate', '--schema', schemaDir], {
    cwd: serviceDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
}
