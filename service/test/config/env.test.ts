import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.ts';

const context = { serviceDir: '/srv/pryzm/service' };

describe('loadConfig', () => {
  it('uses the embedded defaults when nothing is set', () => {
    const config = loadConfig({}, context);
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      logLevel: 'info',
      database: { provider: 'sqlite', file: '/srv/pryzm/service/data/pryzm.db' },
    });
  });

  it('selects PostgreSQL for a postgres:// URL', () => {
    const url = 'postgres://pryzm:secret@db.internal:5432/pryzm';
    expect(loadConfig({ DATABASE_URL: url }, context).database).toEqual({
      provider: 'postgresql',
      url,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }, context).port).toBe(3000);
  });

  it.each([
    ['PORT', 'abc', 'PORT must be a number (got "abc")'],
    ['PORT', '70000', 'PORT must be between 1 and 65535 (got "70000")'],
    ['PORT', '80.5', 'PORT must be a whole number (got "80.5")'],
    [
      'LOG_LEVEL',
      'loud',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ],
    ['SHUTDOWN_TIMEOUT_MS', '-1', 'SHUTDOWN_TIMEOUT_MS must not be negative (got "-1")'],
    [
      'DATABASE_URL',
      'mysql://x',
      'DATABASE_URL must start with "file:" (SQLite) or "postgres://" (PostgreSQL)',
    ],
    ['DATABASE_URL', 'file:', 'DATABASE_URL must name a file after "file:"'],
  ])('rejects %s=%s with one message naming the variable', (variable, value, message) => {
    const attempt = () => loadConfig({ [variable]: value }, context);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });
});
