import type { Express } from 'express';
import type { AppDependencies } from './app.ts';
import { getHealthz } from './health/healthz.ts';
import { getReadyz } from './health/readyz.ts';

/** Every route of the service, in one place. */
export function registerRoutes(app: Express, { database }: AppDependencies): void {
  app.get('/healthz', getHealthz);
  app.get('/readyz', getReadyz(database));
}
