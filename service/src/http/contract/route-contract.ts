import { z } from 'zod';

/**
 * What one route accepts and answers, as zod schemas. The handler parses its query and body with
 * these, the OpenAPI document is generated from them, and the typed test client checks every
 * answer against them: one source for all three.
 */
export interface RouteContract {
  /** One line for the OpenAPI document. */
  summary: string;
  query?: z.AnyZodObject | z.ZodEffects<z.AnyZodObject>;
  body?: z.ZodTypeAny;
  /** Status → answer body (`null`: no body, e.g. 204). */
  responses: Record<number, z.ZodTypeAny | null>;
  /** The answer's media type when it is not JSON (CSV export, server-sent events). */
  produces?: string;
  /** The body's media type when it is not JSON (CSV import). */
  consumes?: string;
}

/** Keeps a contract's literal types so the typed client knows each route's input and answer. */
export const defineContract = <C extends RouteContract>(contract: C): C => contract;

/** The error body every route answers with (see errors/api-error.ts). */
export const errorAnswer = z.object({
  error: z
    .object({ code: z.string(), message: z.string() })
    .passthrough()
    .describe('A stable machine-readable code, a message for people, optional details'),
});

/** Timestamps travel as ISO 8601 strings. */
export const timestamp = z.string().datetime({ offset: true });
