/**
 * Re-encrypts every stored Salesforce token and credential with a new key. Stop the service
 * first; start it again afterwards.
 *
 *   With PRYZM_ENCRYPTION_KEY set: put the new key there and the old one in
 *   PRYZM_PREVIOUS_ENCRYPTION_KEYS, run `npm run rotate-key -w @pryzm/service`, then remove the
 *   old key from the configuration.
 *
 *   With the generated key file (no PRYZM_ENCRYPTION_KEY): the command generates the new key
 *   itself. It writes it to encryption.key.next, re-encrypts everything in one transaction, then
 *   moves the old key to encryption.key.previous and the new one to encryption.key. A rotation
 *   cut short leaves both keys readable, so running the command again finishes it.
 *
 *   Once every secret is under the new key, the old keys are retired: their fingerprints go to
 *   encryption.key.retired and encryption.key.previous is deleted. No start or rotation trusts a
 *   retired key again, even one PRYZM_PREVIOUS_ENCRYPTION_KEYS still names, so a ciphertext
 *   sealed with it (an old backup's row, a planted value) is refused.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../src/config/env.ts';
import { ENCRYPTION_KEY_FILE, resolveSecrets, retireKeys } from '../src/config/local-secrets.ts';
import { keyFingerprint, SecretBox } from '../src/crypto/secret-box.ts';
import { openDatabase } from '../src/store/database.ts';
import { serviceDir } from '../src/config/paths.ts';
import { rotateStoredSecrets } from '../src/connections/key-rotation.ts';

function writeSecretFile(file: string, content: string): void {
  writeFileSync(file, `${content}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

async function main(): Promise<void> {
  const envFile = join(serviceDir, '..', '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const config = loadConfig(process.env, { serviceDir });
  const secrets = resolveSecrets(config.security);
  const fromFile = config.security.encryptionKey === undefined;
  const dir = config.security.secretsDir;
  const nextFile = join(dir, `${ENCRYPTION_KEY_FILE}.next`);

  let newKey = secrets.encryptionKey;
  let previous = secrets.previousEncryptionKeys;
  if (fromFile) {
    // Resume a rotation cut short, otherwise start one with a fresh key.
    newKey = existsSync(nextFile)
      ? Buffer.from(readFileSync(nextFile, 'utf8').trim(), 'base64')
      : randomBytes(32);
    if (!existsSync(nextFile)) writeSecretFile(nextFile, newKey.toString('base64'));
    previous = [secrets.encryptionKey, ...previous].filter((key) => !key.equals(newKey));
  }

  const database = await openDatabase(config.database);
  try {
    const box = new SecretBox(newKey, previous);
    const summary = await rotateStoredSecrets(database.prisma, box);
    if (fromFile) {
      const keyFile = join(dir, ENCRYPTION_KEY_FILE);
      renameSync(keyFile, join(dir, `${ENCRYPTION_KEY_FILE}.previous`));
      renameSync(nextFile, keyFile);
    }
    console.log(
      `rotate-key: ${summary.reencrypted} secret(s) re-encrypted, ${summary.current} already current; key ${keyFingerprint(newKey)} is now in use`,
    );
    // Every stored secret is under the new key now (one transaction): the old keys have nothing
    // left to open but copies, so they stop being trusted here rather than when someone deletes
    // a file by hand. The fingerprint is recorded first, then the key file goes.
    const retired = retireKeys(
      dir,
      previous.filter((key) => !key.equals(newKey)),
    );
    rmSync(join(dir, `${ENCRYPTION_KEY_FILE}.previous`), { force: true });
    if (retired.length > 0) {
      console.log(
        `rotate-key: retired ${retired.join(', ')}: secrets sealed with it are refused from now on (backups taken before this rotation need the old key)`,
      );
    }
    if (!fromFile && config.security.previousEncryptionKeys.length > 0) {
      console.log('rotate-key: PRYZM_PREVIOUS_ENCRYPTION_KEYS is ignored from now on; remove it');
    }
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? `configuration error: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  console.error(`rotate-key: ${message}`);
  process.exit(1);
});
