import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config/env.ts';
import { createLogger } from './logging/logger.ts';
import { startService } from './service.ts';
import { serviceDir } from './config/paths.ts';

/** Entry point of `npm start`: configuration, database, HTTP, and a graceful stop on signals. */
async function main(): Promise<void> {
  const envFile = join(serviceDir, '..', '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);

  const config = loadConfig(process.env, { serviceDir });
  const logger = createLogger(config.logLevel);
  const service = await startService(config, logger);
  logger.info(
    { url: service.url, console: `${service.url}/console/`, database: config.database.provider },
    `Pryzm connector listening on ${service.url}; the console: ${service.url}/console/`,
  );

  const shutdown = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down: finishing in-flight work');
    service.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  // One line a person can act on: the variable, the database, or the migration at fault.
  const message =
    error instanceof ConfigError
      ? `configuration error: ${error.message}`
      : `failed to start: ${error instanceof Error ? error.message : String(error)}`;
  console.error(`pryzm: ${message}`);
  process.exit(1);
});
