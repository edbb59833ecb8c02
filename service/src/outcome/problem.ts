import { err, type Result } from './result.ts';

/** Why an expected failure happened, in terms the HTTP layer maps to a status. */
export type ProblemKind =
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'unprocessable'
  | 'upstream'
  | 'unauthorized'
  | 'forbidden';

/** An expected failure of a domain operation: a stable code and a message for people. */
export interface Problem {
  kind: ProblemKind;
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type Outcome<T> = Result<T, Problem>;

export function problem(
  kind: ProblemKind,
  code: string,
  message: string,
  details?: Record<string, unknown>,
): { ok: false; error: Problem } {
  return err({ kind, code, message, ...(details ? { details } : {}) });
}
