import type { Request } from 'express';
import { ApiError } from '../../../errors/api-error.ts';

/** The version a write expects, from the body's `version` or an `If-Match: "<version>"` header. */
export function expectedVersion(req: Request, fromBody: number | undefined): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined) return fromBody;
  const match = /^"?(\d+)"?$/.exec(header.trim());
  if (!match) {
    throw new ApiError(400, 'invalid_request', 'If-Match must be a record version such as "3"');
  }
  return Number(match[1]);
}
