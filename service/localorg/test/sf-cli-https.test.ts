import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCertificates, startLocalOrg, type LocalOrg } from '../src/index.ts';
import { loginWithAccessToken, sfCli, type SfCli } from './support/sf-cli.ts';

let dir: string;
let caPath: string;
let local: LocalOrg;
let sf: SfCli;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'localorg-sf-tls-'));
  const certs = ensureCertificates(dir);
  caPath = certs.caPath;
  local = await startLocalOrg({
    orgs: [{ myDomain: 'tls-org' }],
    tls: { key: certs.key, cert: certs.cert },
    scheme: 'https',
  });
  sf = sfCli();
});

afterAll(async () => {
  sf.dispose();
  await local.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sf CLI over HTTPS trusting the generated CA', () => {
  it('logs in with an access token and queries', async () => {
    const { accessToken, instanceUrl } = local.issueAccessToken('tls-org');
    expect(instanceUrl).toMatch(/^https:/);
    const env = { SF_ACCESS_TOKEN: accessToken, NODE_EXTRA_CA_CERTS: caPath };
    const login = await loginWithAccessToken(sf, instanceUrl, 'tls', env);
    expect(login.result).toMatchObject({ orgId: local.orgs[0]?.id });
    const out = await sf.run(
      ['data', 'query', '--query', 'SELECT Id, Username FROM User', '--target-org', 'tls'],
      env,
    );
    expect((out.result as { totalSize: number }).totalSize).toBe(2);
  });
});
