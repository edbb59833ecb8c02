import { describe, expect, it } from 'vitest';
import { loggedPath } from './request-logger.ts';

describe('loggedPath', () => {
  it('leaves the secret of an Outbound Message endpoint out of log lines', () => {
    expect(loggedPath('/outbound-messages/c0ffee/s3cr3t')).toBe(
      '/outbound-messages/c0ffee/[secret]',
    );
    expect(loggedPath('/api/workspaces/w1')).toBe('/api/workspaces/w1');
  });
});
