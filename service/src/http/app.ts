import express, { type Express } from 'express';
import type { AppDependencies } from './dependencies.ts';
import { serveConsole } from './console/serve-console.ts';
import { errorHandler, notFound } from './errors/error-handler.ts';
import { rateLimits } from './hardening/rate-limits.ts';
import { assignRequestId } from './hardening/request-id.ts';
import { noStore, securityHeaders } from './hardening/security-headers.ts';
import { getMetrics, timeRequests } from './metrics/get.ts';
import { requestLogger } from './request-logger.ts';
import { registerRoutes } from './routes.ts';
import { refuseUnsafeText } from './text-safety.ts';

export type { AppDependencies } from './dependencies.ts';

export function createApp(dependencies: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // First the request's id (every later log line and error body names it), then the headers
  // every answer carries, whatever answers it.
  app.use(assignRequestId);
  app.use(securityHeaders);
  app.use(['/api', '/oauth'], noStore);
  const { metrics } = dependencies;
  if (metrics) app.use(timeRequests(metrics));
  app.use(requestLogger(dependencies.logger));
  // Limits come before authentication and body parsing: a flood costs a counter, nothing more.
  for (const limit of dependencies.rateLimits ? rateLimits(dependencies.rateLimits, metrics) : []) {
    app.use(limit);
  }
  // Paths and queries are checked for every route; JSON bodies are parsed (and checked) only
  // once a request is authenticated (routes.ts).
  app.use(refuseUnsafeText);
  if (metrics && dependencies.metricsToken) {
    app.get('/metrics', getMetrics(metrics, dependencies.metricsToken));
  }
  registerRoutes(app, dependencies);
  // The console (service/console): static pages that call /api like any other client.
  app.use('/console', serveConsole());
  app.get('/', (_req, res) => res.redirect(302, '/console/'));
  app.use(notFound);
  app.use(errorHandler(dependencies.logger));
  return app;
}

/** The metrics listener's app (PRYZM_METRICS_PORT): `/metrics` and nothing else. */
export function createMetricsApp(dependencies: Pick<AppDependencies, 'logger' | 'metrics'>) {
  const app = express();
  app.disable('x-powered-by');
  app.use(assignRequestId);
  app.use(securityHeaders);
  if (dependencies.metrics) app.get('/metrics', getMetrics(dependencies.metrics, undefined));
  app.use(notFound);
  app.use(errorHandler(dependencies.logger));
  return app;
}
