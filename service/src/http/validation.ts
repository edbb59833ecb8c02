import type { z } from 'zod';
import { ApiError } from './errors/api-error.ts';

/** Parses a request body or query against a strict schema; 400 `invalid_request` lists every issue. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data as z.output<S>;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : '';
  throw new ApiError(400, 'invalid_request', `Invalid request: ${where}${first?.message ?? ''}`, {
    issues,
  });
}
