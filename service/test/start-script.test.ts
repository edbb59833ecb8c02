import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceDir } from '../src/store/migrations/migration-files.ts';

const startScript = join(serviceDir, '..', 'scripts', 'start.mjs');

describe('npm start (scripts/start.mjs)', () => {
  it('stops with one line when PRYZM_LOCAL_ORG is neither on nor off', () => {
    const result = spawnSync(process.execPath, [startScript], {
      env: { PATH: process.env.PATH, PRYZM_LOCAL_ORG: 'maybe' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'pryzm: configuration error: PRYZM_LOCAL_ORG must be "on" or "off" (got "maybe")',
    );
  });
});
