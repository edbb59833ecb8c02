import type { RequestHandler } from 'express';
import { ApiError } from './errors/api-error.ts';

/** A NUL character, or half of a UTF-16 surrogate pair without its other half. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (key or value) in `value` holding unsafe text, or undefined. */
export function unsafeTextAt(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return UNSAFE.test(value) ? path || '(value)' : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = unsafeTextAt(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (UNSAFE.test(key)) return at;
      const found = unsafeTextAt(item, at);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Refuses text no database stores faithfully: PostgreSQL rejects NUL in text and JSON, SQLite
 * keeps it and truncates on the way out, and neither round-trips a lone surrogate. Checked on the
 * path, the query and the JSON body, before any handler sees them: `400 invalid_text`.
 */
export const refuseUnsafeText: RequestHandler = (req, _res, next) => {
  let path: string;
  try {
    path = decodeURIComponent(req.path);
  } catch {
    throw new ApiError(400, 'invalid_request', 'The request path is not valid percent-encoding');
  }
  const where =
    (UNSAFE.test(path) ? 'path' : undefined) ??
    unsafeTextAt(req.query, 'query') ??
    unsafeTextAt(req.body, 'body');
  if (where) {
    throw new ApiError(
      400,
      'invalid_text',
      `Text may not contain NUL characters or unpaired UTF-16 surrogates (at ${where})`,
    );
  }
  next();
};
