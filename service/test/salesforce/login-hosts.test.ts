import { describe, expect, it } from 'vitest';
import {
  isAllowedSalesforceUrl,
  jwtAudience,
  resolveLoginUrl,
} from '../../src/salesforce/login-hosts.ts';
import { resolveApiName } from '../../src/salesforce/namespace.ts';
import { codeChallengeS256, createCodeVerifier } from '../../src/salesforce/pkce.ts';

const salesforce = {
  productionLoginUrl: 'https://login.salesforce.com',
  sandboxLoginUrl: 'https://test.salesforce.com',
};
const local = {
  productionLoginUrl: 'http://127.0.0.1:4100',
  sandboxLoginUrl: 'http://127.0.0.1:4101',
};

describe('login hosts', () => {
  it('sends secrets only to Salesforce domains over https', () => {
    for (const url of [
      'https://acme.my.salesforce.com',
      'https://acme--uat.sandbox.my.salesforce.com',
      'https://acme.lightning.force.com',
    ]) {
      expect(isAllowedSalesforceUrl(url, salesforce)).toBe(true);
    }
    for (const url of [
      'http://acme.my.salesforce.com',
      'https://salesforce.com.evil.example',
      'https://evil.example/acme.my.salesforce.com',
      'https://user:pass@acme.my.salesforce.com',
      'http://127.0.0.1:8080',
      'not a url',
    ]) {
      expect(isAllowedSalesforceUrl(url, salesforce)).toBe(false);
    }
  });

  it('accepts loopback hosts only when the configured login hosts are on loopback', () => {
    const withOrgs = { ...local, localOrgUrls: ['http://127.0.0.1:4200'] };
    expect(isAllowedSalesforceUrl('http://127.0.0.1:4200', withOrgs)).toBe(true);
    expect(isAllowedSalesforceUrl('https://localhost:4200', withOrgs)).toBe(true);
    expect(isAllowedSalesforceUrl('http://127.0.0.1:4101', local)).toBe(true);
    expect(isAllowedSalesforceUrl('http://127.0.0.1:4200', salesforce)).toBe(false);
  });

  it('accepts loopback only on the local org’s own ports and over http(s)', () => {
    const withOrgs = { ...local, localOrgUrls: ['http://127.0.0.1:4200'] };
    for (const url of [
      'http://127.0.0.1:4200',
      'http://127.0.0.1:5432',
      'http://127.0.0.1',
      'gopher://127.0.0.1:4100/_x',
      'ftp://127.0.0.1:4100',
      'ws://127.0.0.1:4100',
    ]) {
      expect(isAllowedSalesforceUrl(url, url.endsWith(':4200') ? local : withOrgs), url).toBe(
        false,
      );
    }
    expect(resolveLoginUrl('custom', 'gopher://127.0.0.1:4100', local).ok).toBe(false);
  });

  it('resolves production, sandbox and My Domain login URLs', () => {
    expect(resolveLoginUrl('production', undefined, salesforce)).toEqual({
      ok: true,
      loginUrl: 'https://login.salesforce.com',
    });
    expect(resolveLoginUrl('sandbox', undefined, salesforce)).toEqual({
      ok: true,
      loginUrl: 'https://test.salesforce.com',
    });
    expect(resolveLoginUrl('custom', 'https://acme.my.salesforce.com/', salesforce)).toEqual({
      ok: true,
      loginUrl: 'https://acme.my.salesforce.com',
    });
    expect(resolveLoginUrl('custom', undefined, salesforce).ok).toBe(false);
    expect(resolveLoginUrl('custom', 'https://evil.example', salesforce).ok).toBe(false);
  });
});

describe('package names', () => {
  it('resolve with or without the pryzm namespace, case-insensitively', () => {
    const managed = ['Account', 'pryzm__Pryzm_ID__c', 'pryzm__Pryzm_Record_Change__e'];
    const plain = ['Account', 'Pryzm_ID__c'];
    expect(resolveApiName('Pryzm_ID__c', managed)).toBe('pryzm__Pryzm_ID__c');
    expect(resolveApiName('pryzm__Pryzm_ID__c', plain)).toBe('Pryzm_ID__c');
    expect(resolveApiName('account', managed)).toBe('Account');
    expect(resolveApiName('Missing__c', managed)).toBeUndefined();
  });
});

describe('PKCE', () => {
  it('makes RFC 7636 verifiers and S256 challenges', () => {
    const verifier = createCodeVerifier();
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    // RFC 7636 appendix B example.
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });
});

describe('JWT bearer audience', () => {
  it.each([
    ['production', 'https://login.salesforce.com', 'https://login.salesforce.com'],
    ['sandbox', 'https://test.salesforce.com', 'https://test.salesforce.com'],
    ['custom', 'https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['custom', 'https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['custom', 'https://acme--uat.my.salesforce.com', 'https://test.salesforce.com'],
    ['custom', 'https://test.salesforce.com', 'https://test.salesforce.com'],
    ['sandbox', 'https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['production', 'http://127.0.0.1:4100', 'http://127.0.0.1:4100'],
    ['custom', 'http://localhost:4110', 'http://localhost:4110'],
  ] as const)('%s at %s signs for %s', (environment, loginUrl, audience) => {
    expect(jwtAudience(environment, loginUrl)).toBe(audience);
  });
});
