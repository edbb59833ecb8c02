import type { NextFunction, Request, Response } from 'express';
import type { LocalOrgRuntime } from '../org/runtime.ts';
import type { Org } from '../org/org.ts';
import { enlistment } from '../org/enlistment.ts';
import { COMPOSITE_HEADER, openComposites } from './composite.ts';
import { INVALID_SESSION, NOT_FOUND, sendErrors, type ApiContext } from './respond.ts';
import { parseVersion } from './versions.ts';

/**
 * What every `/services/data/vXX.X/**` request passes through, in Salesforce's order: the
 * version, the session (401 INVALID_SESSION_ID), injected faults, then the daily API
 * allocation (403 REQUEST_LIMIT_EXCEEDED) and the `Sforce-Limit-Info` header.
 */

/**
 * "In each REST call, the maximum length for the combined URI and headers is 16,384 bytes ... If
 * the URI itself exceeds this limit, the request returns a 414 URI Too Long error"
 * (https://help.salesforce.com/s/articleView?id=000386264&type=1). A Composite subrequest's URL
 * is part of its call's body, so it is not held to it.
 */
const MAX_URI_BYTES = 16_384;

export function bearerToken(req: Request): string | undefined {
  const header = req.get('authorization');
  if (!header) return undefined;
  const m = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
  return m?.[1]?.trim();
}

/** Why an org refuses an API call before running it. */
export type ApiCallRefusal = { kind: 'failure'; status: number } | { kind: 'limit_exceeded' };

/**
 * Waits out the org's injected delay, then finds an injected failure or the exhausted daily
 * allocation: REST and SOAP calls meet them in this order, each answering in its own format.
 */
export async function refusalBeforeApiCall(org: Org): Promise<ApiCallRefusal | undefined> {
  const delay = org.faults.takeDelay();
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  const failure = org.faults.takeFailure();
  if (failure !== undefined) return { kind: 'failure', status: failure };
  if (org.limits.apiExhausted()) return { kind: 'limit_exceeded' };
  return undefined;
}

export function apiMiddleware(
  runtime: LocalOrgRuntime,
  hostOrg: (req: Request) => Org | undefined,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (
      req.originalUrl.length > MAX_URI_BYTES &&
      !openComposites.has(req.get(COMPOSITE_HEADER) ?? '')
    ) {
      // The web tier refuses it before the API runs: the article names the status line only
      // ("414 URI Too Long"), no API error code, so the body is that text and not the JSON list.
      res.status(414).type('text/plain').send('URI Too Long');
      return;
    }
    const version = parseVersion(String(req.params['version'] ?? ''));
    if (!version) {
      sendErrors(res, 404, NOT_FOUND);
      return;
    }
    const token = bearerToken(req);
    const session = token ? runtime.sessions.validate(token) : undefined;
    const served = hostOrg(req);
    if (!session || (served && served !== session.org)) {
      sendErrors(res, 401, INVALID_SESSION);
      return;
    }
    const org = session.org;
    // A /composite subrequest: part of its composite call, which was counted and met the org's
    // faults and limits already; written in the call's transaction.
    const composite = openComposites.get(req.get(COMPOSITE_HEADER) ?? '');
    if (composite && composite.orgId === org.id) {
      const context: ApiContext = { org, session, version };
      res.locals['api'] = context;
      res.set('Sforce-Limit-Info', org.limits.header());
      enlistment.run(composite, next);
      return;
    }
    const refusal = await refusalBeforeApiCall(org);
    if (refusal?.kind === 'failure') {
      sendErrors(
        res,
        refusal.status,
        refusal.status === 503
          ? [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }]
          : [
              {
                message:
                  'An unexpected error occurred. Please include this ErrorId if you contact support: 1962834012-48317 (-1206712359)',
                errorCode: 'UNKNOWN_EXCEPTION',
              },
            ],
      );
      return;
    }
    if (refusal?.kind === 'limit_exceeded') {
      res.set('Sforce-Limit-Info', org.limits.header());
      sendErrors(res, 403, [
        { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
      ]);
      return;
    }
    const context: ApiContext = { org, session, version };
    res.locals['api'] = context;
    org.limits.count('DailyApiRequests');
    res.set('Sforce-Limit-Info', org.limits.header());
    next();
  };
}
