import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../crypto/secret-box.ts';
import type { Logger } from '../logging/logger.ts';
import { ReauthorizationRequiredError } from '../salesforce/client.ts';
import type {
  ConnectionChange,
  ConnectionRepository,
  ConnectionRow,
} from '../store/repositories/connections.ts';
import { ConnectionSecrets } from './connection-secrets.ts';
import { ConnectionSessions } from './connection-sessions.ts';
import { UsageCounter } from './usage-counter.ts';

const quiet = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Logger;

/** A login host whose token endpoint renews sessions on whatever instance the test says. */
let server: Server;
let loginUrl: string;
let renewedInstanceUrl = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          access_token: 'renewed-access-token',
          instance_url: renewedInstanceUrl,
          id: `${loginUrl}/id/00D000000000001AAA/005000000000001AAA`,
          issued_at: String(Date.now()),
          token_type: 'Bearer',
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  loginUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sessionsOver(row: ConnectionRow) {
  const secrets = new ConnectionSecrets(new SecretBox(randomBytes(32)));
  let stored: ConnectionRow = {
    ...row,
    accessTokenEncrypted: secrets.encrypt(row.id, 'accessTokenEncrypted', 'expired-token'),
    refreshTokenEncrypted: secrets.encrypt(row.id, 'refreshTokenEncrypted', 'refresh-token'),
  };
  const repository = {
    findById: async () => stored,
    update: async (_id: string, change: ConnectionChange) => (stored = { ...stored, ...change }),
    updateIfSessionUnchanged: async (
      _id: string,
      _token: string | null,
      change: ConnectionChange,
    ) => {
      stored = { ...stored, ...change };
      return true;
    },
  } as unknown as ConnectionRepository;
  const usage = new UsageCounter({ addUsage: async () => {} }, () => {});
  const sessions = new ConnectionSessions(repository, secrets, usage, '63.0', quiet, {
    productionLoginUrl: loginUrl,
    sandboxLoginUrl: loginUrl,
  });
  return { sessions, stored: () => stored };
}

const row = (): ConnectionRow =>
  ({
    id: 'c1',
    workspaceId: 'w1',
    label: 'Production',
    environment: 'production',
    loginUrl,
    authFlow: 'web_server',
    status: 'active',
    statusMessage: null,
    instanceUrl: loginUrl,
    clientId: 'client',
    clientSecretEncrypted: null,
    credentialEncrypted: null,
  }) as unknown as ConnectionRow;

describe('ConnectionSessions.refresh', () => {
  it('should store a renewed session on an allowed instance', async () => {
    renewedInstanceUrl = loginUrl;
    const { sessions, stored } = sessionsOver(row());
    const session = await sessions.refresh('c1', {
      accessToken: 'expired-token',
      instanceUrl: loginUrl,
    });
    expect(session).toEqual({ accessToken: 'renewed-access-token', instanceUrl: loginUrl });
    expect(stored().status).toBe('active');
  });

  it('should refuse a renewed session on an unexpected instance and ask for re-authorisation', async () => {
    renewedInstanceUrl = 'https://evil.example.com';
    const { sessions, stored } = sessionsOver(row());
    await expect(
      sessions.refresh('c1', { accessToken: 'expired-token', instanceUrl: loginUrl }),
    ).rejects.toBeInstanceOf(ReauthorizationRequiredError);
    expect(stored()).toMatchObject({
      status: 'needs_reauthorization',
      accessTokenEncrypted: null,
      instanceUrl: loginUrl,
    });
  });
});
