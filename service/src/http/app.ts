import express, { type Express } from 'express';
import type { AppDependencies } from './dependencies.ts';
import { errorHandler, notFound } from './errors/error-handler.ts';
import { requestLogger } from './request-logger.ts';
import { registerRoutes } from './routes.ts';
import { refuseUnsafeText } from './text-safety.ts';

export type { AppDependencies } from './dependencies.ts';

export function createApp(dependencies: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLogger(dependencies.logger));
  // Paths and queries are checked for every route; JSON bodies are parsed (and checked) only
  // once a request is authenticated (routes.ts).
  app.use(refuseUnsafeText);
  registerRoutes(app, dependencies);
  app.use(notFound);
  app.use(errorHandler(dependencies.logger));
  return app;
}
