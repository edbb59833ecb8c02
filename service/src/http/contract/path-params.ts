import type { Router } from 'express';
import { z } from 'zod';
import { ApiError } from '../errors/api-error.ts';

const id = z.string().uuid();

/**
 * Every path parameter the API names, with what it must look like. Checked before any handler
 * (and documented in the OpenAPI document), so a malformed id is a 400, never a database query.
 */
export const PATH_PARAMS = {
  workspaceId: id,
  apiKeyId: id,
  recordTypeKey: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/),
  recordId: id,
  connectionId: id,
  mappingId: id,
  jobId: id,
  conflictId: id,
  memberId: id,
  tokenId: id,
  webhookId: id,
  deliveryId: id,
  objectName: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/),
  pullId: id,
  /** An access list's name (`users`, `permission-set-assignments`). */
  accessList: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
} as const satisfies Record<string, z.ZodTypeAny>;

export type PathParamName = keyof typeof PATH_PARAMS;

/** The names of a route's parameters, in path order. */
export function paramNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]!);
}

/** Registers the checks on a router; they run before any other `param` callback registered later. */
export function validatePathParams(router: Router): void {
  for (const [name, schema] of Object.entries(PATH_PARAMS)) {
    router.param(name, (_req, _res, next, value: unknown) => {
      if (schema.safeParse(value).success) return next();
      next(
        new ApiError(400, 'invalid_path_parameter', `Invalid path parameter ${name}`, {
          parameter: name,
        }),
      );
    });
  }
}
