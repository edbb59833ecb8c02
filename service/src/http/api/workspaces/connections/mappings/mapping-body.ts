import { z } from 'zod';
import { objectMappingSchema, type ObjectMapping } from '../../../../../mapping/index.ts';

/** A full object mapping as a request body (the id comes from the URL, never the body). */
export const mappingBody = objectMappingSchema
  .omit({ id: true })
  .extend({ enabled: z.boolean().optional() })
  .strict();

/** A partial edit: top-level properties replace the stored ones; `fields` is replaced whole. */
export const mappingPatchBody = objectMappingSchema
  .omit({ id: true, salesforceObject: true })
  .partial()
  .extend({ enabled: z.boolean().optional() })
  .strict();

export function withoutEnabled<T extends { enabled?: boolean }>(body: T): Omit<T, 'enabled'> {
  const copy = { ...body };
  delete copy.enabled;
  return copy;
}

export type MappingInput = ObjectMapping;
