import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/env.ts';
import { createLogger, type Logger } from '../../src/logging/logger.ts';
import { startService, type RunningService } from '../../src/service.ts';
import { serviceDir } from '../../src/store/migrations/migration-files.ts';

/** Log lines a test can read back, instead of printing them. */
export function captureLogs(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger('info', sink);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Boots the real service (database, migrations, HTTP on an ephemeral port). */
export async function bootService(
  databaseUrl: string,
  env: NodeJS.ProcessEnv = {},
): Promise<RunningService & { logs: () => Record<string, unknown>[] }> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, ...env }, { serviceDir });
  const { logger, lines } = captureLogs();
  // Users must name a real port; tests take an ephemeral one.
  const service = await startService({ ...config, port: 0 }, logger);
  return Object.assign(service, { logs: lines });
}
