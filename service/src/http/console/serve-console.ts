import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router, type RequestHandler } from 'express';

/**
 * The console's static files (`npm run build` writes them to service/console/dist). The same
 * folder is reached from src/http/console (tsx, tests) and dist/http/console (npm start).
 */
export const consoleDistDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'console',
  'dist',
);

/**
 * Everything the console loads comes from this origin: no CDN, no inline scripts, no frames.
 * Inline styles are allowed for SLDS markup and the chart library's sizing.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  next();
};

/** GET /console/**: the built console; a 503 that says how to build it when it is missing. */
export function serveConsole(distDir: string = consoleDistDir): Router {
  const router = Router();
  router.use(securityHeaders);
  // `/console` → `/console/`, so the page's relative asset URLs resolve under /console/.
  router.use((req, res, next) => {
    const [path, query = ''] = req.originalUrl.split('?');
    if (req.path === '/' && !path!.endsWith('/')) {
      res.redirect(301, `${path}/${query ? `?${query}` : ''}`);
      return;
    }
    next();
  });
  router.use((req, res, next) => {
    if (existsSync(join(distDir, 'index.html'))) return next();
    res
      .status(503)
      .type('text')
      .send('The console is not built yet: run `npm run build` (npm start does it).');
  });
  // The page itself is always revalidated; the bundle and SLDS assets are small and versioned
  // by the build, so a short cache is enough.
  router.use(
    express.static(distDir, {
      index: 'index.html',
      redirect: true,
      fallthrough: true,
      setHeaders: (res, path) => {
        res.setHeader(
          'Cache-Control',
          path.endsWith('.html') || path.endsWith('.js') ? 'no-cache' : 'public, max-age=3600',
        );
      },
    }),
  );
  return router;
}
