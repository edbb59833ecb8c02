import type { Response } from 'express';
import type { ApiError } from '../core/contracts.ts';
import type { AccessSession } from '../org/sessions.ts';
import type { Org } from '../org/org.ts';
import { DmlError } from '../org/transaction.ts';

/** What the API middleware established for a request: the org, the session, the version. */
export interface ApiContext {
  org: Org;
  session: AccessSession;
  /** `63.0` (no `v`). */
  version: string;
}

export function apiContext(res: Response): ApiContext {
  return res.locals['api'] as ApiContext;
}

/**
 * Sends a body under exactly the Content-Type given: Salesforce writes
 * `application/json;charset=UTF-8`, which Express's `send` would rewrite as
 * `application/json; charset=utf-8`.
 */
export function sendExact(res: Response, status: number, contentType: string, body: string): void {
  res.status(status);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export function sendJson(res: Response, status: number, body: unknown): void {
  sendExact(res, status, 'application/json;charset=UTF-8', JSON.stringify(body));
}

export function sendErrors(res: Response, status: number, errors: ApiError[]): void {
  sendJson(res, status, errors);
}

export const INVALID_SESSION: ApiError[] = [
  { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
];

export const NOT_FOUND: ApiError[] = [
  { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
];

/** Sends a DmlError in the single-record REST form, or rethrows anything else. */
export function sendDmlError(res: Response, e: unknown): void {
  if (e instanceof DmlError) {
    sendErrors(res, e.status, e.errors);
    return;
  }
  throw e;
}

/** `changeOrigin` as CDC reports it for a REST write. */
export function restOrigin(version: string): string {
  return `com/salesforce/api/rest/${version}`;
}
