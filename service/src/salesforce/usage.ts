import type { Transport } from 'jsforce/lib/transport.js';

/**
 * `api`: requests Salesforce counts against the org's daily allowance (REST, SOAP data calls).
 * `auth`: OAuth token, revoke and userinfo requests, which it does not count.
 */
export type CallKind = 'api' | 'auth';

/** Told about every request sent to an org, before it is sent. */
export type UsageRecorder = (kind: CallKind) => void;

/** The org's own API usage today, as Salesforce reports it on each REST answer. */
export interface OrgApiUsage {
  used: number;
  limit: number;
}

/** Told what Salesforce last reported of the org's API usage (`Sforce-Limit-Info`). */
export type OrgUsageObserver = (usage: OrgApiUsage) => void;

/**
 * Routes a jsforce object's HTTP requests through a transport that reports each one, so no call
 * to Salesforce can bypass the count (retries, query pages and refreshes included).
 */
export function countRequests(
  target: { _transport: Transport },
  kind: CallKind,
  record: UsageRecorder,
): void {
  const inner = target._transport;
  const counting = Object.create(inner) as Transport;
  counting.httpRequest = (request, options) => {
    record(kind);
    return inner.httpRequest(request, options);
  };
  target._transport = counting;
}
