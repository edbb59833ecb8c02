import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFiles, packageFiles, rel, schemaDir } from './package-files.ts';

// Salesforce's Metadata API v63 schema, relaxed: element names, enum values and simple types are
// checked; element order and cardinality are not (Salesforce accepts source files in any order).
const xsd = join(schemaDir, 'metadata-v63-relaxed.xsd');

function xmllint(files: string[]): { status: number | null; output: string } {
  const result = spawnSync('xmllint', ['--noout', '--schema', xsd, ...files], { encoding: 'utf8' });
  if (result.error) {
    throw new Error(
      `xmllint is needed for the schema check (Debian: apt-get install -y libxml2-utils): ${result.error.message}`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Metadata API schema', () => {
  const metaFiles = packageFiles().filter((path) => path.endsWith('-meta.xml'));

  it('finds the package metadata', () => {
    expect(metaFiles.length).toBeGreaterThan(50);
  });

  it('validates every *-meta.xml in force-app', () => {
    const { status, output } = xmllint(metaFiles);
    const failures = output.split('\n').filter((line) => line && !line.endsWith(' validates'));
    expect(failures, failures.join('\n')).toEqual([]);
    expect(status).toBe(0);
  });

  const negatives = listFiles(join(schemaDir, 'negative-samples'));

  it.each(negatives.map((path) => [rel(path), path]))(
    'rejects the negative sample %s',
    (_name, path) => {
      const { status, output } = xmllint([path]);
      expect(status).not.toBe(0);
      expect(output).toMatch(/Schemas validity error/);
    },
  );
});
