import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSecrets } from '../../src/config/local-secrets.ts';
import { SecretBox, SecretDecryptionError } from '../../src/crypto/secret-box.ts';

describe('SecretBox', () => {
  const key = randomBytes(32);

  it('round-trips and never stores the plaintext', () => {
    const box = new SecretBox(key);
    const stored = box.encrypt('00Dxx!refresh-token', 'connection:1:refreshToken');
    expect(stored).toMatch(/^enc1\.[0-9a-f]{12}\./);
    expect(stored).not.toContain('refresh-token');
    expect(box.decrypt(stored, 'connection:1:refreshToken')).toBe('00Dxx!refresh-token');
    expect(box.encrypt('same', 'c')).not.toBe(box.encrypt('same', 'c'));
  });

  it('refuses another context, a tampered value and an unknown key', () => {
    const box = new SecretBox(key);
    const stored = box.encrypt('secret', 'connection:1:accessToken');
    expect(() => box.decrypt(stored, 'connection:2:accessToken')).toThrow(SecretDecryptionError);
    const parts = stored.split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'), 'connection:1:accessToken')).toThrow(
      SecretDecryptionError,
    );
    expect(() =>
      new SecretBox(randomBytes(32)).decrypt(stored, 'connection:1:accessToken'),
    ).toThrow(/unknown key/);
  });

  it('decrypts with a previous key during a rotation and flags values to re-encrypt', () => {
    const old = new SecretBox(key);
    const stored = old.encrypt('token', 'ctx');
    const rotated = new SecretBox(randomBytes(32), [key]);
    expect(rotated.decrypt(stored, 'ctx')).toBe('token');
    expect(rotated.needsRotation(stored)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('token', 'ctx'))).toBe(false);
  });
});

describe('resolveSecrets', () => {
  it('generates an admin token and a key into 0600 files once, then reuses them', () => {
    const secretsDir = join(mkdtempSync(join(tmpdir(), 'pryzm-secrets-')), 'data');
    const first = resolveSecrets({ secretsDir, previousEncryptionKeys: [] });
    expect(first.generatedFiles).toHaveLength(2);
    for (const file of first.generatedFiles) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(first.encryptionKey).toHaveLength(32);
    expect(readFileSync(join(secretsDir, 'admin-token'), 'utf8').trim()).toBe(first.adminToken);
    const second = resolveSecrets({ secretsDir, previousEncryptionKeys: [] });
    expect(second.generatedFiles).toEqual([]);
    expect(second.adminToken).toBe(first.adminToken);
    expect(second.encryptionKey.equals(first.encryptionKey)).toBe(true);
  });

  it('prefers configured secrets', () => {
    const secretsDir = mkdtempSync(join(tmpdir(), 'pryzm-secrets-'));
    const encryptionKey = randomBytes(32).toString('base64');
    const resolved = resolveSecrets({
      secretsDir,
      adminToken: 'a'.repeat(40),
      encryptionKey,
      previousEncryptionKeys: [],
    });
    expect(resolved).toMatchObject({ adminToken: 'a'.repeat(40), generatedFiles: [] });
    expect(resolved.encryptionKey.toString('base64')).toBe(encryptionKey);
  });
});
