import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../logging/logger.ts';
import { requestIdOf } from '../hardening/request-id.ts';
import { ApiError } from './api-error.ts';
import { loggedPath } from '../request-logger.ts';

export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'not_found', `No route for ${req.method} ${req.path}`));
};

/** Turns anything thrown by a route into the API's error body; never leaks internals. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) {
      logger.error(
        { err: error, requestId: requestIdOf(res), method: req.method, path: loggedPath(req.path) },
        'request failed',
      );
    }
    if (res.headersSent) return;
    // The request's id goes into every error body, so a caller's report points at its log lines.
    const body = apiError.toBody();
    const requestId = requestIdOf(res);
    res.status(apiError.status).json(requestId ? { error: { ...body.error, requestId } } : body);
  };
}

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const status = (error as { status?: unknown; type?: unknown })?.status;
  const type = (error as { type?: unknown })?.type;
  if (type === 'entity.parse.failed') {
    return new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
  }
  if (type === 'entity.too.large') {
    return new ApiError(413, 'payload_too_large', 'The request body is too large');
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError(status, 'bad_request', 'The request could not be processed');
  }
  return new ApiError(500, 'internal_error', 'Internal server error');
}
