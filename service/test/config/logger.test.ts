import { describe, expect, it } from 'vitest';
import { captureLogs } from '../support/service.ts';

describe('logger', () => {
  it('never writes tokens, secrets or Authorization headers', () => {
    const { logger, lines } = captureLogs();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer 00Dxx!secret-session' } },
        connection: { accessToken: 'at-123', refreshToken: 'rt-456', clientSecret: 'cs-789' },
        password: 'hunter2',
      },
      'connected',
    );
    const [line] = lines();
    const text = JSON.stringify(line);
    for (const secret of ['00Dxx!secret-session', 'at-123', 'rt-456', 'cs-789', 'hunter2']) {
      expect(text, `${secret} must be redacted`).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
  });
});
