import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger.ts';
import { requestIdOf } from './hardening/request-id.ts';

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
          path: req.path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    });
    next();
  };
}
