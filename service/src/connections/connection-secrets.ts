import type { SecretBox } from '../crypto/secret-box.ts';
import type { ClientCredentials, TokenSet } from '../salesforce/oauth.ts';
import type { ConnectionChange, ConnectionRow } from '../store/repositories/connections.ts';

/** The encrypted columns of a connection and the name each is encrypted under. */
const NAMES = {
  clientSecretEncrypted: 'clientSecret',
  credentialEncrypted: 'credential',
  accessTokenEncrypted: 'accessToken',
  refreshTokenEncrypted: 'refreshToken',
} as const;
export type SecretColumn = keyof typeof NAMES;

/**
 * Reads and writes a connection's secrets. Each ciphertext is bound to its connection and
 * column, so one copied to another row or column does not decrypt.
 */
export class ConnectionSecrets {
  constructor(private readonly box: SecretBox) {}

  static context(connectionId: string, column: SecretColumn): string {
    return `connection:${connectionId}:${NAMES[column]}`;
  }

  encrypt(connectionId: string, column: SecretColumn, value: string): string {
    return this.box.encrypt(value, ConnectionSecrets.context(connectionId, column));
  }

  read(connection: ConnectionRow, column: SecretColumn): string | undefined {
    const stored = connection[column];
    return stored
      ? this.box.decrypt(stored, ConnectionSecrets.context(connection.id, column))
      : undefined;
  }

  /** The columns that store a token response; a refresh token only when one was issued. */
  tokenColumns(connectionId: string, tokens: TokenSet): ConnectionChange {
    return {
      accessTokenEncrypted: this.encrypt(connectionId, 'accessTokenEncrypted', tokens.accessToken),
      ...(tokens.refreshToken
        ? {
            refreshTokenEncrypted: this.encrypt(
              connectionId,
              'refreshTokenEncrypted',
              tokens.refreshToken,
            ),
          }
        : {}),
      tokenIssuedAt: tokens.issuedAt,
      instanceUrl: tokens.instanceUrl,
    };
  }

  /** The columns that store replaced sign-in credentials; only those given are written. */
  credentialColumns(
    connectionId: string,
    replacement: { credential?: string; clientSecret?: string },
  ): ConnectionChange {
    const change: ConnectionChange = {};
    if (replacement.credential !== undefined) {
      change.credentialEncrypted = this.encrypt(
        connectionId,
        'credentialEncrypted',
        replacement.credential,
      );
    }
    if (replacement.clientSecret !== undefined) {
      change.clientSecretEncrypted = this.encrypt(
        connectionId,
        'clientSecretEncrypted',
        replacement.clientSecret,
      );
    }
    return change;
  }

  clientCredentials(connection: ConnectionRow): ClientCredentials {
    return {
      loginUrl: connection.loginUrl,
      clientId: connection.clientId,
      clientSecret: this.read(connection, 'clientSecretEncrypted'),
    };
  }
}
