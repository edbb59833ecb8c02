import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, found from this file's location so the checks run from any directory. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const packageRoot = join(repoRoot, 'force-app');
export const sourceRoot = join(packageRoot, 'main', 'default');
export const schemaDir = join(dirname(fileURLToPath(import.meta.url)), 'schema');

/** Every file under a directory, recursively, as absolute paths in a stable order. */
export function listFiles(dir: string): string[] {
  const entries = readdirSync(dir).sort();
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Source files of the package, excluding Jest tests and their fixtures (kept out by .forceignore). */
export function packageFiles(): string[] {
  return listFiles(packageRoot).filter((path) => !path.includes('/__tests__/'));
}

export function read(path: string): string {
  return readFileSync(path, 'utf8');
}

export function rel(path: string): string {
  return relative(repoRoot, path);
}

/** Names of the files in one metadata folder that end with a suffix, without the suffix. */
export function componentNames(folder: string, suffix: string): string[] {
  return listFiles(join(sourceRoot, folder))
    .filter((path) => path.endsWith(suffix))
    .map((path) => path.slice(path.lastIndexOf('/') + 1, -suffix.length));
}

/** Text of every `<tag>` element, trimmed. Metadata files are flat enough for this to be exact. */
export function tagValues(xml: string, tag: string): string[] {
  const pattern = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g');
  return [...xml.matchAll(pattern)].map((match) => match[1].trim());
}

/** First `<tag>` text, or undefined. */
export function tagValue(xml: string, tag: string): string | undefined {
  return tagValues(xml, tag)[0];
}
