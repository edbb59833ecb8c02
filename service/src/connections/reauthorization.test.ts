import { describe, expect, it } from 'vitest';
import { replacementFor } from './reauthorization.ts';

describe('replacementFor', () => {
  it('should replace nothing when no credentials are sent', () => {
    expect(replacementFor('password', {})).toEqual({ ok: true, value: undefined });
  });

  it('should join a new password and security token into the stored credential', () => {
    expect(replacementFor('password', { password: 'p', securityToken: 't' })).toEqual({
      ok: true,
      value: { credential: 'pt', clientSecret: undefined },
    });
  });

  it('should take a private key for a JWT bearer connection', () => {
    const result = replacementFor('jwt_bearer', { privateKey: 'KEY' });
    expect(result.ok && result.value?.credential).toBe('KEY');
  });

  it('should refuse credentials for a web-server connection', () => {
    const result = replacementFor('web_server', { password: 'p' });
    expect(!result.ok && result.error.code).toBe('credentials_not_applicable');
  });

  it('should refuse credentials of another flow and name them', () => {
    const result = replacementFor('jwt_bearer', { password: 'p', securityToken: 't' });
    expect(!result.ok && result.error.message).toBe(
      'A jwt_bearer connection does not take password, securityToken',
    );
  });

  it('should refuse a security token without its password', () => {
    const result = replacementFor('password', { securityToken: 't' });
    expect(!result.ok && result.error.code).toBe('password_required');
  });
});
