import express, { type Express } from 'express';
import type { Logger } from '../logging/logger.ts';
import type { Database } from '../store/database.ts';
import type { Services } from '../workspaces/services.ts';
import { errorHandler, notFound } from './errors/error-handler.ts';
import { requestLogger } from './request-logger.ts';
import { registerRoutes } from './routes.ts';

export interface AppDependencies {
  database: Database;
  logger: Logger;
  services: Services;
  /** The operator's bearer token for workspace administration. */
  adminToken: string;
  /** Whether cookies get the Secure flag (the service is reached over https). */
  secureCookies: () => boolean;
}

export function createApp(dependencies: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLogger(dependencies.logger));
  app.use(express.json({ limit: '1mb' }));
  registerRoutes(app, dependencies);
  app.use(notFound);
  app.use(errorHandler(dependencies.logger));
  return app;
}
