import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { serviceDir, type Provider } from '../../src/store/migrations/migration-files.ts';

/**
 * Prisma's schema engine compiled to WebAssembly, driven directly. Prisma's CLI would download a
 * native schema-engine binary first, which registry-only and air-gapped machines cannot do; the
 * WebAssembly build ships inside an npm package and talks to the database through the same
 * driver adapters as the service. Used to author migrations and to check them for drift.
 */
export interface SchemaFile {
  path: string;
  content: string;
}

interface WasmSchemaEngine {
  diff(params: Record<string, unknown>): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

const require = createRequire(import.meta.url);
/** Node's global WebAssembly object; its types live in the DOM library, which the service omits. */
const wasmRuntime = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(
        bytes: Uint8Array,
        imports: Record<string, unknown>,
      ): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;
let bindings: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<WasmSchemaEngine> } }>;

async function loadBindings() {
  bindings ??= (async () => {
    const dir = dirname(require.resolve('@prisma/schema-engine-wasm'));
    const glue = await import(join(dir, 'schema_engine_bg.js'));
    const wasmBytes = readFileSync(join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await wasmRuntime.instantiate(wasmBytes, {
      './schema_engine_bg.js': glue,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as (() => void) | undefined)?.();
    return glue;
  })();
  return bindings;
}

/** The provider's schema: its generator + datasource header and the given models text. */
export function schemaFiles(provider: Provider, models: string): SchemaFile[] {
  const header = readFileSync(join(serviceDir, 'prisma', provider, 'schema.prisma'), 'utf8');
  return [
    { path: 'schema.prisma', content: header },
    { path: 'models.prisma', content: models },
  ];
}

export function currentModels(): string {
  return readFileSync(join(serviceDir, 'prisma', 'models.prisma'), 'utf8');
}

/**
 * The SQL that takes a database from `from` (a models text, or an empty database) to `to`.
 * PostgreSQL needs a reachable server even for a pure diff (the engine connects on start);
 * SQLite uses an in-memory database.
 */
export async function diffModels(
  provider: Provider,
  from: string | 'empty',
  to: string,
  postgresUrl?: string,
): Promise<string> {
  const { SchemaEngine } = await loadBindings();
  const toFiles = schemaFiles(provider, to);
  let adapter;
  if (provider === 'sqlite') {
    adapter = new PrismaBetterSqlite3({ url: 'file::memory:' });
  } else {
    if (!postgresUrl) throw new Error('A PostgreSQL URL is needed to diff PostgreSQL models');
    adapter = new PrismaPg({ connectionString: postgresUrl });
  }
  const engine = await SchemaEngine.new(
    { datamodels: toFiles.map((file) => [file.path, file.content]) },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
  try {
    const result = await engine.diff({
      from:
        from === 'empty'
          ? { tag: 'empty' }
          : { tag: 'schemaDatamodel', files: schemaFiles(provider, from) },
      to: { tag: 'schemaDatamodel', files: toFiles },
      script: true,
      shadowDatabaseUrl: null,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.stdout ?? '';
  } finally {
    engine.free();
  }
}

/** True when a diff script holds no statement (the engine then prints only a comment). */
export function isEmptyScript(sql: string): boolean {
  return sql
    .split('\n')
    .map((line) => line.trim())
    .every((line) => line === '' || line.startsWith('--'));
}
