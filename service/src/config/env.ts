import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The service's configuration, read once from the environment at start. Every variable is
 * documented in `.env.example`; a wrong or missing one stops the start with one line naming it.
 */
export interface Config {
  host: string;
  port: number;
  database: DatabaseConfig;
  logLevel: LogLevel;
  /** How long a SIGTERM/SIGINT waits for in-flight requests and jobs before forcing exit. */
  shutdownTimeoutMs: number;
}

export type DatabaseConfig =
  { provider: 'sqlite'; url: string; file: string } | { provider: 'postgresql'; url: string };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

/** Relative SQLite paths resolve against this folder (the service workspace). */
export interface ConfigContext {
  serviceDir: string;
}

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

const schema = z.object({
  HOST: z.string().min(1, 'must not be empty').default('127.0.0.1'),
  PORT: port.default(3000),
  DATABASE_URL: z.string().min(1, 'must not be empty').default('file:./data/pryzm.db'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must not be negative')
    .default(10_000),
});

/**
 * Parses the environment into a Config or throws a ConfigError naming the first bad variable.
 * Empty strings count as unset, as most shells and `.env` files produce them for "no value".
 */
export function loadConfig(env: NodeJS.ProcessEnv, context: ConfigContext): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const given = present[variable];
    const shown = given === undefined ? '' : ` (got "${given}")`;
    throw new ConfigError(variable, `${issue?.message ?? 'is invalid'}${shown}`);
  }
  const values = parsed.data;
  return {
    host: values.HOST,
    port: values.PORT,
    database: parseDatabaseUrl(values.DATABASE_URL, context),
    logLevel: values.LOG_LEVEL,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
  };
}

/** `file:` selects the embedded SQLite database; `postgres://` or `postgresql://` PostgreSQL. */
export function parseDatabaseUrl(url: string, context: ConfigContext): DatabaseConfig {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    if (path === '') throw new ConfigError('DATABASE_URL', 'must name a file after "file:"');
    const file = path === ':memory:' || isAbsolute(path) ? path : resolve(context.serviceDir, path);
    return { provider: 'sqlite', url: `file:${file}`, file };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    return { provider: 'postgresql', url };
  }
  throw new ConfigError(
    'DATABASE_URL',
    'must start with "file:" (SQLite) or "postgres://" (PostgreSQL)',
  );
}
