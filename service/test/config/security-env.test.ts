import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.ts';

const context = { serviceDir: '/srv/pryzm/service' };

describe('security and Salesforce configuration', () => {
  it('defaults to Salesforce’s login hosts and a secrets folder in the service', () => {
    const config = loadConfig({}, context);
    expect(config.salesforce).toMatchObject({
      productionLoginUrl: 'https://login.salesforce.com',
      sandboxLoginUrl: 'https://test.salesforce.com',
      apiVersion: '63.0',
    });
    expect(config.security).toEqual({
      adminToken: undefined,
      encryptionKey: undefined,
      previousEncryptionKeys: [],
      secretsDir: '/srv/pryzm/service/data',
    });
  });

  it('reads keys and strips a trailing slash from URLs', () => {
    const key = randomBytes(32).toString('base64');
    const old = randomBytes(32).toString('base64');
    const config = loadConfig(
      {
        PRYZM_ENCRYPTION_KEY: key,
        PRYZM_PREVIOUS_ENCRYPTION_KEYS: ` ${old} `,
        PUBLIC_URL: 'https://pryzm.example.com/',
      },
      context,
    );
    expect(config.security.encryptionKey).toBe(key);
    expect(config.security.previousEncryptionKeys).toEqual([old]);
    expect(config.salesforce.publicUrl).toBe('https://pryzm.example.com');
  });

  it.each([
    ['PRYZM_ENCRYPTION_KEY', 'c2hvcnQ=', 'PRYZM_ENCRYPTION_KEY must be 32 bytes encoded in base64'],
    ['PRYZM_ADMIN_TOKEN', 'short-secret', 'PRYZM_ADMIN_TOKEN must be at least 32 characters'],
    ['SALESFORCE_LOGIN_URL', 'login.salesforce.com', 'SALESFORCE_LOGIN_URL must be an http(s) URL'],
  ])('names %s in one line and never echoes a secret', (variable, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value }, context);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message.startsWith(message)).toBe(true);
    if (variable.startsWith('PRYZM_')) expect((error as Error).message).not.toContain(value);
  });
});
