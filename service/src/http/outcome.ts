import type { Outcome, ProblemKind } from '../outcome/problem.ts';
import { ApiError } from './errors/api-error.ts';

const STATUS: Record<ProblemKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  upstream: 502,
};

/** The value of a successful outcome, or the API error its problem maps to. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  const { kind, code, message, details } = outcome.error;
  throw new ApiError(STATUS[kind], code, message, details);
}
