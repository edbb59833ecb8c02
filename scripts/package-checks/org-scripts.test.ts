import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read, repoRoot } from './package-files.ts';

const SCRIPTS = ['create', 'deploy', 'test', 'open'];
const dataDir = join(repoRoot, 'scripts', 'org', 'data');
const standardFields: Record<string, string[]> = JSON.parse(
  read(join(import.meta.dirname, 'data', 'standard-fields.json')),
).fields;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runScript(name: string, home: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'scripts', 'org', `${name}.sh`)], {
      cwd: repoRoot,
      env: { ...process.env, HOME: home, PRYZM_ORG_ALIAS: 'pryzm-offline-check' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('org scripts without a Dev Hub', () => {
  const home = mkdtempSync(join(tmpdir(), 'pryzm-org-scripts-'));
  // A fresh HOME has no Salesforce auth, like CI; the scripts run side by side to save time.
  const runs = Object.fromEntries(SCRIPTS.map((name) => [name, runScript(name, join(home, name))]));

  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it.each(SCRIPTS)(
    'npm run org:%s exits non-zero with one line saying what to do',
    async (name) => {
      const run = await runs[name];
      expect(run.status).not.toBe(0);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/Dev Hub/);
      expect(lines[0]).toMatch(/sf org login web --set-default-dev-hub/);
    },
  );
});

describe('org scripts where sf was used but no Dev Hub or scratch org is authenticated', () => {
  const home = mkdtempSync(join(tmpdir(), 'pryzm-org-scripts-used-'));
  // An empty ~/.sf (sf ran once) makes the scripts ask the CLI itself, which must still say no.
  // create asks for the Dev Hub; deploy, test and open share the scratch org check, so deploy
  // stands for them (each sf start in a fresh HOME costs seconds).
  const ASKING = ['create', 'deploy'];
  const runs = Object.fromEntries(
    ASKING.map((name) => {
      mkdirSync(join(home, name, '.sf'), { recursive: true });
      return [name, runScript(name, join(home, name))];
    }),
  );

  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it.each(ASKING)(
    'npm run org:%s still exits non-zero with one line naming the Dev Hub',
    async (name) => {
      const run = await runs[name];
      expect(run.status).not.toBe(0);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      expect(lines, run.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/Dev Hub/);
    },
    60_000,
  );
});

describe('sample data', () => {
  const plan = JSON.parse(read(join(dataDir, 'sample-data-plan.json'))) as {
    sobject: string;
    files: string[];
  }[];
  const references = new Set<string>();

  it('imports parents before children with fields Salesforce has', () => {
    expect(plan.map((step) => step.sobject)).toEqual(['Account', 'Contact', 'Opportunity']);
    for (const step of plan) {
      for (const file of step.files) {
        const { records } = JSON.parse(read(join(dataDir, file))) as {
          records: Record<string, unknown>[];
        };
        expect(records.length).toBeGreaterThan(0);
        for (const record of records) {
          const { attributes, ...fields } = record as {
            attributes: { type: string; referenceId: string };
          } & Record<string, unknown>;
          expect(attributes.type).toBe(step.sobject);
          Object.keys(fields).forEach((field) =>
            expect(standardFields[step.sobject], field).toContain(field),
          );
          Object.values(fields)
            .filter((value): value is string => typeof value === 'string' && value.startsWith('@'))
            .forEach((value) => expect(references.has(value.slice(1)), value).toBe(true));
          references.add(attributes.referenceId);
        }
      }
    }
  });
});

describe('org scripts on the shells and CLIs admins have', () => {
  // Comments removed: they may quote the forms they warn about.
  const scripts = SCRIPTS.map((name) => [
    name,
    read(join(repoRoot, 'scripts', 'org', `${name}.sh`)).replace(/^\s*#.*$/gm, ''),
  ]);

  it.each(scripts)(
    '%s expands arrays in a way bash 3.2 (macOS) accepts under set -u',
    (_name, source) => {
      // bash 3.2 treats "${empty[@]}" as an unbound variable; ${empty[@]+"${empty[@]}"} is safe.
      const unguarded = [...source.matchAll(/(\$\{(\w+)\[@\]\+)?"\$\{(\w+)\[@\]\}"/g)].filter(
        (match) => !match[1],
      );
      expect(unguarded.map((match) => match[0])).toEqual([]);
    },
  );

  it.each(scripts)('%s uses current sf command names', (_name, source) => {
    // sf data tree import was renamed sf data import tree (the old name is deprecated).
    expect(source).not.toMatch(/\bdata tree import\b/);
  });

  it('create.sh runs with an empty namespace flag under set -u', async () => {
    const probe = await new Promise<Run>((resolve, reject) => {
      const child = spawn('bash', [
        '-c',
        'set -euo pipefail; namespace_flag=(); printf "[%s]" ${namespace_flag[@]+"${namespace_flag[@]}"} --wait',
      ]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(probe).toMatchObject({ status: 0, stdout: '[--wait]' });
  });
});
