import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyFingerprint } from '../crypto/secret-box.ts';
import type { SecurityConfig } from './env.ts';

/** The secrets the service runs with, wherever they came from. */
export interface ResolvedSecrets {
  adminToken: string;
  encryptionKey: Buffer;
  previousEncryptionKeys: Buffer[];
  /** Files created on this start, so the operator is told where they are. */
  generatedFiles: string[];
  /** Where each secret came from: the variable's name or the file's path. */
  sources: { adminToken: string; encryptionKey: string };
  /** Fingerprints of configured previous keys left out because a rotation retired them. */
  ignoredRetiredKeys: string[];
}

export const ADMIN_TOKEN_FILE = 'admin-token';
export const ENCRYPTION_KEY_FILE = 'encryption.key';
/** Written by `rotate-key` around a rotation; their keys stay usable for decryption. */
export const ROTATION_KEY_FILES = ['encryption.key.next', 'encryption.key.previous'];
/**
 * Fingerprints (never the keys) of the keys a finished rotation retired, one a line. A retired
 * key is never used again, even when PRYZM_PREVIOUS_ENCRYPTION_KEYS still names it.
 */
export const RETIRED_KEYS_FILE = 'encryption.key.retired';

/** The fingerprints of retired keys in a secrets folder. */
export function retiredKeyFingerprints(secretsDir: string): Set<string> {
  const file = join(secretsDir, RETIRED_KEYS_FILE);
  if (!existsSync(file)) return new Set();
  return new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
}

/** Records keys as retired (by fingerprint), so no later start or rotation trusts them. */
export function retireKeys(secretsDir: string, keys: readonly Buffer[]): string[] {
  const retired = retiredKeyFingerprints(secretsDir);
  const added = keys.map(keyFingerprint).filter((fingerprint) => !retired.has(fingerprint));
  if (added.length === 0) return [];
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const file = join(secretsDir, RETIRED_KEYS_FILE);
  writeFileSync(file, [...retired, ...added].map((line) => `${line}\n`).join(''), {
    mode: 0o600,
  });
  chmodSync(file, 0o600);
  return added;
}

/**
 * Configuration wins; otherwise each secret is read from, or generated once into, a 0600 file in
 * the secrets folder, so `npm start` on a fresh machine runs securely without any set-up.
 */
export function resolveSecrets(security: SecurityConfig): ResolvedSecrets {
  const generatedFiles: string[] = [];
  const fromFile = (name: string, generate: () => string): string => {
    const file = join(security.secretsDir, name);
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(security.secretsDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${generate()}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
    generatedFiles.push(file);
    return readFileSync(file, 'utf8').trim();
  };
  const adminToken =
    security.adminToken ??
    fromFile(ADMIN_TOKEN_FILE, () => `pryzm_admin_${randomBytes(32).toString('base64url')}`);
  const key =
    security.encryptionKey ??
    fromFile(ENCRYPTION_KEY_FILE, () => randomBytes(32).toString('base64'));
  const encryptionKey = Buffer.from(key, 'base64');
  if (encryptionKey.length !== 32) {
    throw new Error(
      `${join(security.secretsDir, ENCRYPTION_KEY_FILE)} must hold 32 bytes encoded in base64`,
    );
  }
  const retired = retiredKeyFingerprints(security.secretsDir);
  if (retired.has(keyFingerprint(encryptionKey))) {
    throw new Error(
      `the encryption key ${keyFingerprint(encryptionKey)} was retired by a rotation; configure the current key`,
    );
  }
  const rotationKeys = ROTATION_KEY_FILES.map((name) => join(security.secretsDir, name))
    .filter((file) => existsSync(file))
    .map((file) => Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'))
    .filter((key) => key.length === 32);
  const previous = [
    ...security.previousEncryptionKeys.map((k) => Buffer.from(k, 'base64')),
    ...rotationKeys,
  ];
  return {
    adminToken,
    encryptionKey,
    previousEncryptionKeys: previous.filter((k) => !retired.has(keyFingerprint(k))),
    ignoredRetiredKeys: previous
      .map(keyFingerprint)
      .filter((fingerprint) => retired.has(fingerprint)),
    generatedFiles,
    sources: {
      adminToken: security.adminToken
        ? 'PRYZM_ADMIN_TOKEN'
        : join(security.secretsDir, ADMIN_TOKEN_FILE),
      encryptionKey: security.encryptionKey
        ? 'PRYZM_ENCRYPTION_KEY'
        : join(security.secretsDir, ENCRYPTION_KEY_FILE),
    },
  };
}
