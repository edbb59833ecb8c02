import { z } from 'zod';

export const loginFilters = {
  userId: z.string().max(18).optional(),
  /** `Success`, `Invalid Password`, … as Salesforce spells it. */
  status: z.string().max(255).optional(),
  /** Only the logins that did not succeed. */
  failed: z.enum(['true', 'false']).optional(),
  since: z.string().datetime({ offset: true }).optional(),
};

export function loginFilter(query: {
  userId?: string;
  status?: string;
  failed?: 'true' | 'false';
  since?: string;
}) {
  return {
    userId: query.userId,
    status: query.status,
    failedOnly: query.failed === 'true',
    since: query.since ? new Date(query.since) : undefined,
  };
}
