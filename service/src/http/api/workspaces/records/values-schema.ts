import { z } from 'zod';

/** Record values as JSON: attribute key → string, number, boolean, string list or null. */
export const valuesSchema = z.record(
  z.string(),
  z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]),
);

/** The version the client read, for optimistic concurrency (`If-Match` also works). */
export const versionSchema = z.number().int().min(1);
