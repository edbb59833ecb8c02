import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { RateLimitConfig } from '../../config/env.ts';
import type { ServiceMetrics } from '../../metrics/service-metrics.ts';
import { ApiError } from '../errors/api-error.ts';
import { readCookie } from '../oauth/binding-cookie.ts';

/**
 * Routes that sign someone in or hand out a session: the OAuth legs and the console's session
 * routes (under /api and /api/v1). They are limited per client IP address, before anything else
 * runs, so guessing links, states or codes is slow.
 */
const AUTH_ROUTES = /^\/(oauth|api\/(v1\/)?session)(\/|$)/;

/** The console's session cookie (auth/session-cookies.ts names it too). */
const SESSION_COOKIE = 'pryzm_session';

/** The caller's IP address, IPv6 addresses grouped by /56 as one client. */
function clientAddress(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

/**
 * Who an /api request is counted against: its bearer token or console session (hashed: the
 * limiter's memory never holds a secret), else its IP address. Counting by credential before it
 * is checked means an unknown token is limited too, under its own name.
 */
function apiCaller(req: Request): string {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const session = bearer ? undefined : readCookie(req.headers.cookie, SESSION_COOKIE);
  const credential = bearer ?? session;
  if (!credential) return `ip:${clientAddress(req)}`;
  return `credential:${createHash('sha256').update(credential).digest('base64url')}`;
}

function limiter(
  limit: 'api' | 'auth',
  max: number,
  windowMs: number,
  key: (req: Request) => string,
  metrics: ServiceMetrics | undefined,
): RequestHandler {
  return rateLimit({
    windowMs,
    limit: max,
    // Retry-After (seconds) and the IETF draft's RateLimit / RateLimit-Policy headers.
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: key,
    handler: (_req, _res, next) => {
      metrics?.countRateLimited(limit);
      next(
        new ApiError(
          429,
          'rate_limited',
          limit === 'api'
            ? 'Too many requests with this credential; wait for the time Retry-After gives'
            : 'Too many sign-in requests from this address; wait for the time Retry-After gives',
        ),
      );
    },
  });
}

/**
 * In-memory limits of this process (each process of a shared database counts on its own):
 * per IP address on the sign-in routes, per token on /api. A limit of 0 turns it off.
 */
export function rateLimits(config: RateLimitConfig, metrics?: ServiceMetrics): RequestHandler[] {
  const handlers: RequestHandler[] = [];
  if (config.authPerWindow > 0) {
    const auth = limiter('auth', config.authPerWindow, config.windowMs, clientAddress, metrics);
    handlers.push((req, res, next) => (AUTH_ROUTES.test(req.path) ? auth(req, res, next) : next()));
  }
  if (config.apiPerWindow > 0) {
    const api = limiter('api', config.apiPerWindow, config.windowMs, apiCaller, metrics);
    handlers.push((req, res, next) =>
      req.path.startsWith('/api/') && !AUTH_ROUTES.test(req.path) ? api(req, res, next) : next(),
    );
  }
  return handlers;
}
