import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/env.ts';
import { currentRequestId } from './request-context.ts';

export type { Logger } from 'pino';

/**
 * Paths pino censors wherever they appear. Tokens and secrets reach logs through request
 * headers, error objects and connection records; censoring by key keeps them out whatever
 * the caller passes.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  '*.authorization',
  '*.Authorization',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.password',
  '*.securityToken',
  '*.secret',
  '*.token',
  '*.sessionId',
  '*.encryptionKey',
  'accessToken',
  'refreshToken',
  'password',
  'secret',
  'token',
];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'pryzm-connector' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Every line written while a request is served names it (X-Request-Id).
      mixin: (line: object) => {
        const requestId = currentRequestId();
        return requestId && !('requestId' in line) ? { requestId } : {};
      },
    },
    destination,
  );
}
