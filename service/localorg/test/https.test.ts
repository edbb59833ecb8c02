import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCertificates,
  startLocalOrg,
  type LocalCertificates,
  type LocalOrg,
} from '../src/index.ts';

let dir: string;
let certs: LocalCertificates;
let local: LocalOrg;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'localorg-certs-'));
  certs = ensureCertificates(dir);
  local = await startLocalOrg({
    orgs: [{ myDomain: 'secure' }],
    tls: { key: certs.key, cert: certs.cert },
    scheme: 'https',
  });
});

afterAll(async () => {
  await local.close();
  rmSync(dir, { recursive: true, force: true });
});

function httpsGet(url: string, ca: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { Accept: 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS with the generated CA', () => {
  it('serves HTTPS trusted through the CA file and plain HTTP on the same port', async () => {
    const instanceUrl = local.orgs[0]?.instanceUrl ?? '';
    expect(instanceUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const secure = await httpsGet(`${instanceUrl}/services/data`, certs.caPem);
    expect(secure.status).toBe(200);
    expect(JSON.parse(secure.body)).toContainEqual({
      label: "Spring '26",
      url: '/services/data/v66.0',
      version: '66.0',
    });
    await expect(httpsGet(`${instanceUrl}/services/data`, undefined)).rejects.toThrow(
      /self-signed|unable to verify|self signed/i,
    );
    const plain = await fetch(`${instanceUrl.replace('https:', 'http:')}/services/data`);
    expect(plain.status).toBe(200);
  });

  it('keeps the CA across starts and reissues nothing still valid', () => {
    const again = ensureCertificates(dir);
    expect(again.caPem).toBe(certs.caPem);
    expect(again.cert).toBe(certs.cert);
  });
});
