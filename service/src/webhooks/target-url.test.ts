import { describe, expect, it } from 'vitest';
import { checkTargetUrl, isPrivateAddress } from './target-url.ts';

describe('webhook target URLs', () => {
  it('knows loopback, private, link-local and mapped addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not-an-ip',
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it('refuses loopback and private hosts unless configuration allows them', async () => {
    expect(await checkTargetUrl('http://127.0.0.1:9/hook', false)).toMatchObject({
      code: 'private_target_url',
    });
    expect(await checkTargetUrl('http://localhost/hook', false)).toMatchObject({
      code: 'private_target_url',
    });
    expect(await checkTargetUrl('http://[::1]/hook', false)).toMatchObject({
      code: 'private_target_url',
    });
    expect(await checkTargetUrl('http://127.0.0.1:9/hook', true)).toBeNull();
    expect(await checkTargetUrl('https://93.184.215.14/hook', false)).toBeNull();
  });

  it('refuses other schemes and credentials', async () => {
    expect(await checkTargetUrl('ftp://example.com/', true)).toMatchObject({
      code: 'invalid_target_url',
    });
    expect(await checkTargetUrl('https://user:pw@example.com/', true)).toMatchObject({
      code: 'invalid_target_url',
    });
    expect(await checkTargetUrl('not a url', true)).toMatchObject({ code: 'invalid_target_url' });
  });
});
