import type { Org } from '../org/org.ts';
import type { SessionRegistry } from '../org/sessions.ts';
import type { FaultSnapshot } from '../org/org-faults.ts';

/** Faults of one org, for tests in-process and for the admin endpoint. */
export interface OrgFaultControls {
  /** Every access token of the org expires now (refresh tokens keep working). */
  expireTokens(): void;
  /** Every access and refresh token of the org is revoked. */
  revokeTokens(): void;
  /** Sets today's API request count (at or above the allocation: REQUEST_LIMIT_EXCEEDED). */
  setApiUsage(used: number): void;
  /** UNABLE_TO_LOCK_ROW on the next `count` record writes. */
  lockRows(count: number): void;
  /** The next `count` API requests answer `status` (503 SERVER_UNAVAILABLE by default). */
  failRequests(count: number, status?: number): void;
  /** The next `count` API requests are held `ms` milliseconds first. */
  delayRequests(count: number, ms: number): void;
  /** Moves the org's clock (token expiry, system timestamps, date literals). */
  setClockOffset(ms: number): void;
  /** Clears every fault of the org and the API usage count. */
  reset(): void;
  snapshot(): FaultSnapshot & { apiUsage: number; apiLimit: number };
}

export function faultControls(org: Org, sessions: SessionRegistry): OrgFaultControls {
  return {
    expireTokens: () => sessions.expireAll(org),
    revokeTokens: () => sessions.revokeAll(org),
    setApiUsage: (used) => org.limits.setApiUsage(used),
    lockRows: (count) => org.faults.lockRows(count),
    failRequests: (count, status = 503) => {
      if (status < 500 || status > 599) throw new Error('status must be a 5xx');
      org.faults.failRequests(count, status);
    },
    delayRequests: (count, ms) => org.faults.delayRequests(count, ms),
    setClockOffset: (ms) => org.faults.setClockOffset(ms),
    reset: () => {
      org.faults.reset();
      org.limits.setApiUsage(0);
    },
    snapshot: () => ({
      ...org.faults.snapshot(),
      apiUsage: org.limits.apiUsed,
      apiLimit: org.limits.apiMax,
    }),
  };
}
