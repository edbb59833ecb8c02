import { z } from 'zod';
import { objectMappingSchema, type ObjectMapping } from '../../../../../mapping/index.ts';

/** A full object mapping as a request body (the id comes from the URL, never the body). */
export const mappingBody = objectMappingSchema
  .omit({ id: true })
  .extend({ enabled: z.boolean().optional() })
  .strict();

/**
 * A partial edit: top-level properties replace the stored ones; `fields` is replaced whole.
 * `"matchRules": null` goes back to the default match rules (no stored rules: a first sync
 * matches with `defaultMatchRules` of the object).
 */
export const mappingPatchBody = objectMappingSchema
  .omit({ id: true, salesforceObject: true })
  .partial()
  .extend({
    enabled: z.boolean().optional(),
    matchRules: objectMappingSchema.shape.matchRules
      .unwrap()
      .nullable()
      .optional()
      .describe('The first-sync match rules; null goes back to the defaults'),
  })
  .strict();

/** The stored mapping with a patch applied (`matchRules: null` removes the stored rules). */
export function patched(
  current: ObjectMapping,
  change: Omit<z.output<typeof mappingPatchBody>, 'enabled'>,
): ObjectMapping {
  const { matchRules, ...rest } = change;
  const next: ObjectMapping = { ...current, ...rest };
  if (matchRules === null) delete next.matchRules;
  else if (matchRules !== undefined) next.matchRules = matchRules;
  return next;
}

export function withoutEnabled<T extends { enabled?: boolean }>(body: T): Omit<T, 'enabled'> {
  const copy = { ...body };
  delete copy.enabled;
  return copy;
}

export type MappingInput = ObjectMapping;
