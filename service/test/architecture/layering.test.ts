import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { cycles, importGraph } from './import-graph.ts';

const repository = join(import.meta.dirname, '..', '..', '..');

/** Imports the layering forbids, each linted as if it were a file at `file`. */
const VIOLATIONS: { file: string; imports: string; rule: RegExp }[] = [
  {
    file: 'service/src/http/fixture.ts',
    imports: '../store/database.ts',
    rule: /never from the store/,
  },
  {
    file: 'service/src/mapping/fixture.ts',
    imports: '../store/database.ts',
    rule: /mapping is pure/,
  },
  {
    file: 'service/src/mapping/fixture.ts',
    imports: '../outcome/result.ts',
    rule: /mapping is pure/,
  },
  {
    file: 'service/src/salesforce/fixture.ts',
    imports: '../store/database.ts',
    rule: /salesforce knows nothing/,
  },
  {
    file: 'service/src/salesforce/fixture.ts',
    imports: '../connections/connection-service.ts',
    rule: /salesforce knows nothing/,
  },
  {
    file: 'service/src/records/fixture.ts',
    imports: '../http/app.ts',
    rule: /never the other way/,
  },
  {
    file: 'service/src/connections/fixture.ts',
    imports: '../sync/sync-control.ts',
    rule: /never the other way/,
  },
  { file: 'service/src/sync/fixture.ts', imports: '../http/app.ts', rule: /never the other way/ },
  {
    file: 'service/src/store/fixture.ts',
    imports: '../salesforce/client.ts',
    rule: /store is below/,
  },
  {
    file: 'service/src/service-fixture.ts',
    imports: '../localorg/src/index.ts',
    rule: /over HTTP and gRPC only/,
  },
  {
    file: 'service/localorg/src/fixture.ts',
    imports: '../../src/mapping/index.ts',
    rule: /knows nothing of the service/,
  },
];

/** Imports the layering allows, so the rules are not simply refusing everything. */
const ALLOWED: { file: string; imports: string }[] = [
  { file: 'service/src/http/fixture.ts', imports: '../sync/sync-control.ts' },
  { file: 'service/src/sync/fixture.ts', imports: '../connections/connection-service.ts' },
  { file: 'service/src/mappings/fixture.ts', imports: '../store/database.ts' },
  { file: 'service/src/store/fixture.ts', imports: '../mapping/index.ts' },
  { file: 'service/src/salesforce/fixture.ts', imports: '../outcome/result.ts' },
];

async function lintImport(file: string, imports: string) {
  const eslint = new ESLint({ cwd: repository });
  const [result] = await eslint.lintText(`import '${imports}';\n`, {
    filePath: join(repository, file),
  });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'import/no-restricted-paths');
}

describe('layering', () => {
  it.each(VIOLATIONS)('should refuse $imports in $file', async ({ file, imports, rule }) => {
    const messages = await lintImport(file, imports);
    expect(messages, 'lint names the broken rule').toHaveLength(1);
    expect(messages[0]?.message).toMatch(rule);
  });

  it.each(ALLOWED)('should allow $imports in $file', async ({ file, imports }) => {
    expect(await lintImport(file, imports)).toEqual([]);
  });
});

describe.each([
  ['the service', join(repository, 'service', 'src')],
  ['the local org', join(repository, 'service', 'localorg', 'src')],
])('imports of %s', (_name, root) => {
  const graph = importGraph(root);

  it('should form no cycle between folders', () => {
    expect(cycles(graph.folders).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('should form no cycle between files', () => {
    expect(cycles(graph.files).map((cycle) => cycle.join(' → '))).toEqual([]);
  });
});
