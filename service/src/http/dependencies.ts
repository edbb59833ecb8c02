import type { Logger } from '../logging/logger.ts';
import type { Services } from '../services.ts';
import type { DatabaseProbe } from './health/readyz.ts';

/** What the HTTP layer is built from: the use cases, the database probe and a logger. */
export interface AppDependencies {
  database: DatabaseProbe;
  logger: Logger;
  services: Services;
  /** Whether cookies get the Secure flag (the service is reached over https). */
  secureCookies: () => boolean;
}
