import type { SecretBox } from '../crypto/secret-box.ts';
import type { PrismaClient } from '../store/database.ts';
import { ConnectionSecrets, type SecretColumn } from './connection-secrets.ts';

const SECRET_COLUMNS: SecretColumn[] = [
  'clientSecretEncrypted',
  'credentialEncrypted',
  'accessTokenEncrypted',
  'refreshTokenEncrypted',
];

export interface RotationSummary {
  /** Secrets re-encrypted with the current key. */
  reencrypted: number;
  /** Secrets already under the current key. */
  current: number;
}

/**
 * Re-encrypts every stored secret (connection tokens and credentials, pending PKCE verifiers)
 * with the box's current key, in one transaction: either all move to the new key or none do.
 * Decryption failures abort the rotation, so no secret is ever left unreadable.
 */
export async function rotateStoredSecrets(
  prisma: PrismaClient,
  box: SecretBox,
): Promise<RotationSummary> {
  const summary: RotationSummary = { reencrypted: 0, current: 0 };
  await prisma.$transaction(
    async (tx) => {
      const rotate = (stored: string, context: string): string | undefined => {
        if (!box.needsRotation(stored)) {
          summary.current += 1;
          return undefined;
        }
        summary.reencrypted += 1;
        return box.encrypt(box.decrypt(stored, context), context);
      };
      for (const connection of await tx.connection.findMany({ orderBy: { id: 'asc' } })) {
        const change: Record<string, string> = {};
        for (const column of SECRET_COLUMNS) {
          const stored = connection[column];
          if (!stored) continue;
          const rotated = rotate(stored, ConnectionSecrets.context(connection.id, column));
          if (rotated) change[column] = rotated;
        }
        if (Object.keys(change).length > 0) {
          await tx.connection.update({ where: { id: connection.id }, data: change });
        }
      }
      for (const state of await tx.oAuthState.findMany({ orderBy: { id: 'asc' } })) {
        const rotated = rotate(state.codeVerifierEncrypted, `oauth-state:${state.id}`);
        if (rotated) {
          await tx.oAuthState.update({
            where: { id: state.id },
            data: { codeVerifierEncrypted: rotated },
          });
        }
      }
    },
    { timeout: 120_000 },
  );
  return summary;
}
