import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers on every answer: a strict Content-Security-Policy (the console loads only
 * its own files), `X-Content-Type-Options: nosniff`, `X-Frame-Options: SAMEORIGIN`,
 * `Referrer-Policy: no-referrer` (an OAuth callback URL carries a code), cross-origin isolation
 * headers, and HSTS, which browsers only honour over https.
 */
export const securityHeaders: RequestHandler = helmet({
  contentSecurityPolicy: {
    // The service is often reached over plain http (npm start, a private network): upgrading
    // its own script and style requests to https would break the console there.
    directives: { upgradeInsecureRequests: null },
  },
});

/**
 * Nothing the API or the OAuth legs answer may be kept by a browser or a proxy: keys and tokens
 * are shown once, and every other answer is a workspace's private data.
 */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
