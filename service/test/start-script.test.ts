import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTED_APP } from '../localorg/src/org/config.ts';
import { serviceDir } from '../src/store/migrations/migration-files.ts';
// @ts-expect-error: a plain ES module of the repository's scripts, without type declarations
import { configuresRealOrg, serviceEnvForLocalOrg } from '../../scripts/lib/local-org-defaults.mjs';

const startScript = join(serviceDir, '..', 'scripts', 'start.mjs');

type Env = Record<string, string | undefined>;
const serviceEnv = serviceEnvForLocalOrg as (
  env: Env,
  localOrg: { host: string; basePort: number; app: typeof DEFAULT_CONNECTED_APP },
) => Env;
const forLocalOrg = (env: Env, host = '127.0.0.1', basePort = 6100) =>
  serviceEnv(env, { host, basePort, app: DEFAULT_CONNECTED_APP });

describe('npm start (scripts/start.mjs)', () => {
  it('stops with one line when PRYZM_LOCAL_ORG is neither on nor off', () => {
    const result = spawnSync(process.execPath, [startScript], {
      env: { PATH: process.env.PATH, PRYZM_LOCAL_ORG: 'maybe' },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'pryzm: configuration error: PRYZM_LOCAL_ORG must be "on" or "off" (got "maybe")',
    );
  });
});

describe('the service environment beside the local org', () => {
  it('points an unconfigured service at the local org login hosts and connected app', () => {
    expect(forLocalOrg({ PORT: '3000' }, '127.0.0.1', 6100)).toEqual({
      PORT: '3000',
      SALESFORCE_LOGIN_URL: 'http://127.0.0.1:6100',
      SALESFORCE_SANDBOX_LOGIN_URL: 'http://127.0.0.1:6101',
      PRYZM_LOCAL_ORG_URLS:
        'http://127.0.0.1:6110,http://127.0.0.1:6111,http://127.0.0.1:6112,http://127.0.0.1:6113',
      SALESFORCE_CLIENT_ID: '3MVG9PryzmLocalOrgConnectedAppConsumerKey',
      SALESFORCE_CLIENT_SECRET: 'PRYZMLOCALORGCONSUMERSECRET0001',
      SALESFORCE_PUBSUB_ENDPOINT: '127.0.0.1:6102',
    });
  });

  it('treats empty values, as a copied .env.example has them, as unset', () => {
    const env = forLocalOrg(
      { SALESFORCE_CLIENT_ID: '', SALESFORCE_LOGIN_URL: '' },
      'localhost',
      7000,
    );
    expect(env['SALESFORCE_LOGIN_URL']).toBe('http://localhost:7000');
    expect(env['SALESFORCE_SANDBOX_LOGIN_URL']).toBe('http://localhost:7001');
  });

  it.each([
    ['SALESFORCE_LOGIN_URL', 'https://acme.my.salesforce.com'],
    ['SALESFORCE_SANDBOX_LOGIN_URL', 'https://acme--uat.sandbox.my.salesforce.com'],
    ['SALESFORCE_CLIENT_ID', '3MVG9RealOrgApp'],
    ['SALESFORCE_CLIENT_SECRET', 'real-secret'],
  ])(
    'leaves a real org configuration whole, and sets up no demo workspace, when %s is set',
    (name, value) => {
      expect(forLocalOrg({ [name]: value })).toEqual({ [name]: value });
      expect((configuresRealOrg as (env: Env) => boolean)({ [name]: value })).toBe(true);
    },
  );

  it('sets up the demo workspace when no Salesforce variable is set, or only empty ones', () => {
    const realOrg = configuresRealOrg as (env: Env) => boolean;
    expect(realOrg({ PORT: '3000' })).toBe(false);
    expect(realOrg({ SALESFORCE_CLIENT_ID: '', SALESFORCE_LOGIN_URL: '' })).toBe(false);
  });
});
