import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from '../support/databases.ts';
import { spawnServiceScript } from '../support/scripts.ts';
import { freePort } from '../support/service-process.ts';

/** Runs `src/main.ts` as `npm start` would. */
const start = (env: NodeJS.ProcessEnv) => spawnServiceScript('src/main.ts', env);

describe('the start command', () => {
  it.each([
    [{ PORT: 'eighty' }, 'pryzm: configuration error: PORT must be a number (got "eighty")'],
    [
      { DATABASE_URL: 'mysql://db/pryzm' },
      'pryzm: configuration error: DATABASE_URL must start with "file:" (SQLite) or "postgres://" (PostgreSQL)',
    ],
    [
      { LOG_LEVEL: 'chatty' },
      'pryzm: configuration error: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "chatty")',
    ],
  ])('stops with one line naming the bad variable: %o', async (env, line) => {
    const run = start(env);
    const [code] = await once(run.child, 'exit');
    expect(code).toBe(1);
    expect(run.stderr().trim()).toBe(line);
  });

  it('stops with one line when the database cannot be reached', async () => {
    const run = start({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    const [code] = await once(run.child, 'exit');
    expect(code).toBe(1);
    expect(run.stderr().trim().split('\n')).toHaveLength(1);
    expect(run.stderr()).toMatch(/^pryzm: failed to start: /);
  });

  it('serves /readyz and exits cleanly on SIGTERM', async () => {
    // A port the OS just had free, rather than a random one another test's socket may hold.
    const port = String(await freePort());
    const run = start({ DATABASE_URL: await freshDatabaseUrl('sqlite'), PORT: port });
    try {
      // Loading the service through tsx takes seconds of CPU, more while other test files run.
      await expect.poll(() => run.stdout(), { timeout: 50_000 }).toContain('listening');
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(response.status).toBe(200);
    } finally {
      run.child.kill('SIGTERM');
    }
    const [code] = await once(run.child, 'exit');
    expect(code).toBe(0);
    expect(run.stdout()).toContain('"msg":"stopped"');
  });
});
