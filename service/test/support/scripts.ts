import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { serviceDir } from '../../src/store/migrations/migration-files.ts';

const tsxLoader = createRequire(import.meta.url).resolve('tsx');

/**
 * Runs one of the service's TypeScript entry points (`src/main.ts`, `scripts/*.ts`) as its npm
 * script would, through tsx instead of the build, with nothing from the environment but PATH.
 */
export function spawnServiceScript(script: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', tsxLoader, script], {
    cwd: serviceDir,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stdout: () => stdout, stderr: () => stderr };
}
