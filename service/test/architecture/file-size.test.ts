import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repository = join(import.meta.dirname, '..', '..', '..');

/** Past this many lines of logic a file must say in its header why it stays whole. */
const MAX_LOGIC_LINES = 400;

/** The header comment's mark that a longer file is deliberate, followed by the reason. */
const KEPT_WHOLE = /Kept whole:\s*\S/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', 'generated', 'dist', '__fixtures__'].includes(entry.name)
        ? []
        : sourceFiles(path);
    }
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Lines that are neither blank nor comment-only. */
export function logicLines(text: string): number {
  let inBlock = false;
  let count = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (inBlock) {
      if (line.includes('*/')) inBlock = false;
      continue;
    }
    if (line === '' || line.startsWith('//')) continue;
    if (line.startsWith('/*')) {
      inBlock = !line.includes('*/');
      continue;
    }
    count += 1;
  }
  return count;
}

describe('file size', () => {
  it('should count neither blank lines nor comments as logic', () => {
    expect(
      logicLines('/**\n * doc\n */\nconst a = 1;\n\n// note\nconst b = 2; // trailing\n'),
    ).toBe(2);
  });

  it(`should keep every source file under ${MAX_LOGIC_LINES} lines of logic or say why`, () => {
    const roots = ['service/src', 'service/localorg/src', 'service/scripts', 'scripts'];
    const oversized = roots
      .flatMap((root) => sourceFiles(join(repository, root)))
      .map((file) => ({ file, text: readFileSync(file, 'utf8') }))
      .filter(
        ({ text }) => logicLines(text) > MAX_LOGIC_LINES && !KEPT_WHOLE.test(text.slice(0, 2_000)),
      )
      .map(({ file, text }) => `${relative(repository, file)}: ${logicLines(text)} lines of logic`);
    expect(oversized).toEqual([]);
  });
});

describe('file names', () => {
  it('should be kebab-case for every TypeScript and script file', () => {
    const roots = ['service/src', 'service/test', 'service/scripts', 'service/localorg', 'scripts'];
    const misnamed = roots
      .flatMap((root) => allFiles(join(repository, root)))
      .map((file) => relative(repository, file))
      .filter((file) => /\.(ts|mjs|js)$/.test(file))
      .filter((file) => /[A-Z]/.test(file.split('/').pop()!));
    expect(misnamed).toEqual([]);
  });
});

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', 'generated', 'dist', 'coverage'].includes(entry.name)
        ? []
        : allFiles(path);
    }
    return [path];
  });
}
