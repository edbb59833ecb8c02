import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Thrown when a stored secret cannot be decrypted: unknown key, tampering, or wrong context. */
export class SecretDecryptionError extends Error {
  override readonly name = 'SecretDecryptionError';
}

const VERSION = 'enc1';

/** A short, non-secret fingerprint naming the key that encrypted a value. */
export function keyFingerprint(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/**
 * AES-256-GCM for secrets at rest. A stored value is `enc1.<key id>.<iv>.<tag>.<ciphertext>`
 * (base64url parts). The context (e.g. `connection:<id>:accessToken`) is authenticated as
 * additional data, so a ciphertext copied to another row or column does not decrypt.
 * Decryption accepts the current and any previous key, which makes key rotation possible.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string;

  constructor(currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== 32) throw new Error('encryption keys must be 32 bytes');
      this.keys.set(keyFingerprint(key), key);
    }
    this.currentKeyId = keyFingerprint(currentKey);
  }

  encrypt(plaintext: string, context: string): string {
    const key = this.keys.get(this.currentKeyId) as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      this.currentKeyId,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  decrypt(stored: string, context: string): string {
    const [version, keyId, iv, tag, ciphertext, ...rest] = stored.split('.');
    if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined || rest.length) {
      throw new SecretDecryptionError('not an encrypted secret');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new SecretDecryptionError(`encrypted with an unknown key (${keyId})`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretDecryptionError('the secret failed authentication');
    }
  }

  /** Whether a stored value was encrypted with a key other than the current one. */
  needsRotation(stored: string): boolean {
    return stored.split('.')[1] !== this.currentKeyId;
  }
}
