import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { runInRequest } from '../../logging/request-context.ts';

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** An id a caller or a proxy may choose: short, printable, nothing a log or a header chokes on. */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Gives every request an id: the caller's `X-Request-Id` when it is sane, a new UUID otherwise.
 * It is echoed in the answer's header, carried by every log line of the request and put in every
 * error body (`error.requestId`), so a caller's report and the logs meet.
 */
export const assignRequestId: RequestHandler = (req, res, next) => {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
  res.locals['requestId'] = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  runInRequest(requestId, next);
};

/**
 * Re-enters the request's context. Stream callbacks (a body being read) run outside it, so a
 * middleware that reads the body is followed by this one.
 */
export const resumeRequestContext: RequestHandler = (_req, res, next) => {
  const requestId = requestIdOf(res);
  if (requestId) runInRequest(requestId, next);
  else next();
};

export function requestIdOf(res: Response): string | undefined {
  const id: unknown = res.locals['requestId'];
  return typeof id === 'string' ? id : undefined;
}
