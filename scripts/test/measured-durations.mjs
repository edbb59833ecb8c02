/**
 * Prints `file-durations.ts` from the log of a `vitest run` with the default reporter: every
 * `✓ |project| path (n tests) 1234ms` line of a file that took at least a second, slowest first,
 * rounded to a tenth of a second.
 *
 *   node scripts/test/measured-durations.mjs run.log > scripts/test/file-durations.ts
 */
import { readFileSync } from 'node:fs';

const log = readFileSync(process.argv[2] ?? 0, 'utf8');
const files = [...log.matchAll(/^ [✓×❯] \|(\w+)\| (\S+) \(\d+ tests?[^)]*\) (\d+)ms/gmu)]
  .map(([, project, path, ms]) => ({ key: `${project}:${path}`, ms: Number(ms) }))
  .filter(({ ms }) => ms >= 1_000)
  .sort((a, b) => b.ms - a.ms);

process.stdout.write(`/**
 * How long each test file of at least a second took in a clean CI run (\`bash .ci/run\`, two
 * cores), in milliseconds, keyed \`<project>:<path from the project's root>\`: the order
 * \`SlowestFirstSequencer\` starts files in on a clean clone. Regenerate from a run's log with
 * \`node scripts/test/measured-durations.mjs <log> > scripts/test/file-durations.ts\`; a file
 * missing here still runs, after the measured ones.
 */
export const MEASURED_FILE_MS: Record<string, number> = {
${files.map(({ key, ms }) => `  '${key}': ${Math.round(ms / 100) * 100},`).join('\n')}
};
`);
