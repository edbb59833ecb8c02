#!/usr/bin/env node
// Runs every benchmark (`service/**/bench/*.bench.ts`) one after another; each prints its figures
// next to a baseline measured in the same run on the same data, with the ratio between them
// (service/localorg/bench/compare.ts). Benchmarks are scripts, never timed unit tests: run them
// on a quiet machine and compare the ratios, not the absolute numbers, between machines.
//   npm run bench                 all of them
//   npm run bench -- soql bulk    only those whose file name contains one of the words
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = createRequire(import.meta.url).resolve('tsx');
const filters = process.argv.slice(2);

const benchDirs = ['service/bench', 'service/localorg/bench'].map((dir) => join(root, dir));
const benches = benchDirs
  .filter((dir) => existsSync(dir))
  .flatMap((dir) =>
    readdirSync(dir)
      .filter((file) => file.endsWith('.bench.ts'))
      .map((file) => join(dir, file)),
  )
  // The words match the file's own name, not its folders (every path contains "bench").
  .filter((file) => filters.length === 0 || filters.some((word) => basename(file).includes(word)));

if (benches.length === 0) {
  console.error(`bench: no benchmark matches ${filters.join(', ') || 'anything'}`);
  process.exit(1);
}

let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${relative(root, file)}`);
  const result = spawnSync(process.execPath, ['--import', tsx, file], {
    cwd: dirname(file),
    stdio: 'inherit',
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
