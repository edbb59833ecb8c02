import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { loadConfig } from '../../src/config/env.ts';
import { resolveSecrets } from '../../src/config/local-secrets.ts';
import { serviceDir } from '../../src/config/paths.ts';
import { keyFingerprint, SecretBox, SecretDecryptionError } from '../../src/crypto/secret-box.ts';
import { createWorkspace } from '../support/api.ts';
import { openConnection } from '../support/connections.ts';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';
import {
  localOrgEnv,
  passwordConnectionRequest,
  startTwoOrgs,
  testConnectedApp,
} from '../support/localorg.ts';
import { spawnServiceScript } from '../support/scripts.ts';
import { bootService } from '../support/service.ts';

const { app } = testConnectedApp();

async function rotateKey(env: Record<string, string>) {
  const run = spawnServiceScript('scripts/rotate-key.ts', env);
  const [code] = await once(run.child, 'exit');
  return { code: code as number, stdout: run.stdout(), stderr: run.stderr() };
}

async function storedKeyIds(databaseUrl: string): Promise<string[]> {
  const db = await openConnection(databaseUrl);
  try {
    const rows = await db.query<Record<string, string | null>>(
      'SELECT "accessTokenEncrypted", "clientSecretEncrypted", "credentialEncrypted" FROM "Connection"',
    );
    return rows.flatMap((row) =>
      Object.values(row)
        .filter((value): value is string => typeof value === 'string')
        .map((value) => value.split('.')[1] ?? ''),
    );
  } finally {
    await db.close();
  }
}

describe.each(PROVIDERS)('the rotate-key command on %s', (provider) => {
  let local: LocalOrg;
  let databaseUrl: string;
  let connectionId: string;
  let workspaceKey: string;
  let workspaceId: string;
  const secretsDir = mkdtempSync(join(tmpdir(), 'pryzm-rotate-'));
  const adminToken = `rotate-admin-${randomBytes(20).toString('hex')}`;
  const baseEnv = () => ({
    DATABASE_URL: databaseUrl,
    PRYZM_SECRETS_DIR: secretsDir,
    PRYZM_ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'silent',
  });

  beforeAll(async () => {
    local = await startTwoOrgs(app);
    databaseUrl = await freshDatabaseUrl(provider);
    const service = await bootService(databaseUrl, { ...baseEnv(), ...localOrgEnv(local, app) });
    try {
      const ws = await createWorkspace(service.url, adminToken, 'Rotation');
      workspaceKey = ws.key;
      workspaceId = ws.id;
      const connected = await ws.client.post<{ id: string }>(
        `/api/workspaces/${ws.id}/connections`,
        passwordConnectionRequest(app, local.orgs[0]!.users[0]!),
      );
      expect(connected.status).toBe(201);
      connectionId = connected.body.id;
    } finally {
      await service.stop();
    }
  });
  afterAll(async () => {
    await local?.close();
  });

  /** The connection still works after a restart: its stored token decrypts and is accepted. */
  async function connectionStillWorks(env: Record<string, string>) {
    const service = await bootService(databaseUrl, { ...env, ...localOrgEnv(local, app) });
    try {
      const response = await fetch(
        `${service.url}/api/workspaces/${workspaceId}/connections/${connectionId}/describe?refresh=true`,
        { headers: { authorization: `Bearer ${workspaceKey}` } },
      );
      expect(response.status).toBe(200);
    } finally {
      await service.stop();
    }
  }

  it('generates a new key file, re-encrypts every secret and retires the old key', async () => {
    const keyFile = join(secretsDir, 'encryption.key');
    const oldKey = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    expect(new Set(await storedKeyIds(databaseUrl))).toEqual(new Set([keyFingerprint(oldKey)]));

    const run = await rotateKey(baseEnv());
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 secret\(s\) re-encrypted, 0 already current/);

    const newKey = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    expect(newKey.equals(oldKey)).toBe(false);
    for (const key of [oldKey, newKey]) expect(run.stdout).not.toContain(key.toString('base64'));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    // The old key is retired by the command itself: no file keeps it, its fingerprint is listed.
    expect(existsSync(join(secretsDir, 'encryption.key.previous'))).toBe(false);
    expect(existsSync(join(secretsDir, 'encryption.key.next'))).toBe(false);
    expect(readFileSync(join(secretsDir, 'encryption.key.retired'), 'utf8')).toContain(
      keyFingerprint(oldKey),
    );
    expect(run.stdout).toContain(`retired ${keyFingerprint(oldKey)}`);
    expect(new Set(await storedKeyIds(databaseUrl))).toEqual(new Set([keyFingerprint(newKey)]));
    await connectionStillWorks(baseEnv());
  });

  it('refuses a secret sealed with the retired key, even when the configuration names it', async () => {
    // An old key, as an old backup or a stale configuration still holds it: seal with it.
    const oldKey = randomBytes(32);
    const sealed = new SecretBox(oldKey).encrypt('old-refresh-token', 'connection:x:refreshToken');
    const env = { ...baseEnv(), PRYZM_PREVIOUS_ENCRYPTION_KEYS: oldKey.toString('base64') };
    // Before the key is retired the configuration's previous key opens it ...
    const before = resolveSecrets(loadConfig(env, { serviceDir }).security);
    const openBefore = new SecretBox(before.encryptionKey, before.previousEncryptionKeys);
    expect(openBefore.decrypt(sealed, 'connection:x:refreshToken')).toBe('old-refresh-token');
    // ... and the rotation retires it; the file-key rotation before retired its own old key.
    const run = await rotateKey(env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(keyFingerprint(oldKey));
    const after = resolveSecrets(loadConfig(env, { serviceDir }).security);
    expect(after.ignoredRetiredKeys).toContain(keyFingerprint(oldKey));
    const box = new SecretBox(after.encryptionKey, after.previousEncryptionKeys);
    expect(() => box.decrypt(sealed, 'connection:x:refreshToken')).toThrow(SecretDecryptionError);
    expect(() => box.decrypt(sealed, 'connection:x:refreshToken')).toThrow(/unknown key/);
    // A retired key cannot come back as the current key either.
    expect(() =>
      resolveSecrets(
        loadConfig({ ...env, PRYZM_ENCRYPTION_KEY: oldKey.toString('base64') }, { serviceDir })
          .security,
      ),
    ).toThrow(/retired/);
    await connectionStillWorks(env);
  });

  it('moves secrets to a configured key, reading the old one from the previous keys', async () => {
    const fileKey = readFileSync(join(secretsDir, 'encryption.key'), 'utf8').trim();
    const configured = randomBytes(32).toString('base64');
    const env = {
      ...baseEnv(),
      PRYZM_ENCRYPTION_KEY: configured,
      PRYZM_PREVIOUS_ENCRYPTION_KEYS: fileKey,
    };
    const run = await rotateKey(env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 secret\(s\) re-encrypted/);
    expect(new Set(await storedKeyIds(databaseUrl))).toEqual(
      new Set([keyFingerprint(Buffer.from(configured, 'base64'))]),
    );
    await connectionStillWorks({ ...baseEnv(), PRYZM_ENCRYPTION_KEY: configured });

    const again = await rotateKey({ ...baseEnv(), PRYZM_ENCRYPTION_KEY: configured });
    expect(again.stdout).toMatch(/0 secret\(s\) re-encrypted, 3 already current/);
  });

  it('refuses to rotate when a secret cannot be decrypted, changing nothing', async () => {
    const before = await storedKeyIds(databaseUrl);
    const run = await rotateKey({
      ...baseEnv(),
      PRYZM_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^rotate-key: .*unknown key/);
    expect(run.stderr).not.toContain(baseEnv().PRYZM_ADMIN_TOKEN);
    expect(await storedKeyIds(databaseUrl)).toEqual(before);
  });
});
