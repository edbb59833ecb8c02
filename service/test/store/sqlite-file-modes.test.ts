import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkspace, testSecurityEnv } from '../support/api.ts';
import { bootService } from '../support/service.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('a SQLite database outside the default folder', () => {
  it('should be created owner-only, with its new folders, WAL and SHM files', async () => {
    const previous = process.umask(0o022);
    try {
      const root = mkdtempSync(join(tmpdir(), 'pryzm-modes-'));
      const file = join(root, 'elsewhere', 'nested', 'pryzm.db');
      const security = testSecurityEnv();
      const service = await bootService(`file:${file}`, security.env);
      try {
        // A write, so the WAL and its index exist while the service runs.
        await createWorkspace(service.url, security.adminToken, 'Modes');
        expect(mode(file)).toBe(0o600);
        expect(mode(`${file}-wal`)).toBe(0o600);
        expect(mode(`${file}-shm`)).toBe(0o600);
        expect(mode(join(root, 'elsewhere'))).toBe(0o700);
        expect(mode(join(root, 'elsewhere', 'nested'))).toBe(0o700);
      } finally {
        await service.stop();
      }
    } finally {
      process.umask(previous);
    }
  });

  it('should leave the modes of an existing file and folder as they are', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pryzm-modes-'));
    const file = join(root, 'existing.db');
    writeFileSync(file, '', { mode: 0o640 });
    const security = testSecurityEnv();
    const service = await bootService(`file:${file}`, security.env);
    await service.stop();
    expect(mode(file)).toBe(0o640);
    expect(mode(root)).toBe(0o700);
  });
});
