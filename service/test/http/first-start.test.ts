import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceDir } from '../../src/store/migrations/migration-files.ts';
import { freshDatabaseUrl } from '../support/databases.ts';

const require = createRequire(import.meta.url);
const tsxLoader = require.resolve('tsx');

describe('the first start without any security configuration', () => {
  it('generates a 0600 admin token and key, says where, and protects the API with them', async () => {
    const secretsDir = join(mkdtempSync(join(tmpdir(), 'pryzm-first-')), 'data');
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const child = spawn(process.execPath, ['--import', tsxLoader, 'src/main.ts'], {
      cwd: serviceDir,
      env: {
        PATH: process.env.PATH,
        PORT: port,
        DATABASE_URL: await freshDatabaseUrl('sqlite'),
        PRYZM_SECRETS_DIR: secretsDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await expect.poll(() => stdout, { timeout: 20_000 }).toContain('listening');
      const tokenFile = join(secretsDir, 'admin-token');
      const keyFile = join(secretsDir, 'encryption.key');
      expect(stdout).toContain(`generated ${tokenFile} (mode 0600)`);
      expect(stdout).toContain(`generated ${keyFile} (mode 0600)`);
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const token = readFileSync(tokenFile, 'utf8').trim();
      expect(stdout).not.toContain(token);

      const url = `http://127.0.0.1:${port}/api/workspaces`;
      expect((await fetch(url)).status).toBe(401);
      const listed = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(listed.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
