import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger.ts';
import { requestIdOf } from './hardening/request-id.ts';

/** Paths that carry a secret (an Outbound Message endpoint's URL): logged without it. */
const SECRET_IN_PATH = /^(\/outbound-messages\/[^/]+\/)[^/]+/;

/** A request path as log lines show it. */
export function loggedPath(path: string): string {
  return path.replace(SECRET_IN_PATH, '$1[secret]');
}

/** One line per request: method, path (never the query string, which may carry codes), status, time. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          // Named here: 'finish' runs outside the request's context.
          requestId: requestIdOf(res),
          method: req.method,
          path: loggedPath(req.path),
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}
