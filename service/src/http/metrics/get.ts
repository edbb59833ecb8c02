import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { ServiceMetrics } from '../../metrics/service-metrics.ts';
import { asyncHandler } from '../async-handler.ts';
import { ApiError } from '../errors/api-error.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * GET /metrics: the Prometheus text format (version 0.0.4). On the API's port it needs
 * `Authorization: Bearer <PRYZM_METRICS_TOKEN>`; on the metrics listener (PRYZM_METRICS_PORT)
 * it is open, that listener being reachable only where it is bound.
 */
export function getMetrics(metrics: ServiceMetrics, token: string | undefined): RequestHandler {
  return asyncHandler(async (req, res) => {
    if (token !== undefined) {
      const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!given || !sameSecret(given, token)) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="pryzm-metrics"');
        throw new ApiError(
          401,
          'unauthorized',
          'Send the metrics token as "Authorization: Bearer"',
        );
      }
    }
    const body = await metrics.render();
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(body);
  });
}

/** Times every request into the latency histogram, labelled by the route pattern that answered. */
export function timeRequests(metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const stop = metrics.httpRequestDuration.startTimer();
    res.on('finish', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
}
