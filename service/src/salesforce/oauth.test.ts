import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordToken } from './oauth.ts';

/** A login host whose token endpoint answers whatever the current case sets. */
let answer: { status: number; type: string; body: string };
let server: Server;
let loginUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res.writeHead(answer.status, { 'content-type': answer.type }).end(answer.body),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  loginUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));

const signIn = () =>
  passwordToken(
    { loginUrl, clientId: 'id', clientSecret: 'secret', username: 'u@example.com', password: 'p' },
    () => {},
  );

describe('OAuth failures', () => {
  it('should never repeat the body of an answer that is not an OAuth error', async () => {
    answer = { status: 502, type: 'text/html', body: '<h1>internal host 10.0.0.7 says hi</h1>' };
    const result = await signIn();
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('10.0.0.7');
    expect(!result.ok && result.error).toEqual({
      error: 'unexpected_response',
      description: 'the login host answered HTTP 502 without an OAuth error',
    });
  });

  it('should drop unknown error codes and descriptions', async () => {
    answer = {
      status: 400,
      type: 'application/json',
      body: JSON.stringify({ error: '<script>x</script>', error_description: 'internal detail' }),
    };
    const unknownCode = await signIn();
    expect(JSON.stringify(unknownCode)).not.toMatch(/<script>|internal detail/);
    expect(!unknownCode.ok && unknownCode.error.error).toBe('oauth_error');

    answer.body = JSON.stringify({ error: 'invalid_grant', error_description: 'see 10.0.0.7' });
    const unknownDescription = await signIn();
    expect(!unknownDescription.ok && unknownDescription.error).toEqual({
      error: 'invalid_grant',
      description: 'the grant or the credentials were refused',
    });
  });

  it('should keep the codes and descriptions Salesforce documents', async () => {
    answer = {
      status: 400,
      type: 'application/json',
      body: JSON.stringify({ error: 'invalid_grant', error_description: 'authentication failure' }),
    };
    const result = await signIn();
    expect(!result.ok && result.error).toEqual({
      error: 'invalid_grant',
      description: 'authentication failure',
    });
  });
});
