import { z } from 'zod';

/** How the pipeline built from Opportunity stages is named (all optional). */
export const pipelineOptions = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/)
      .optional(),
    name: z.string().min(1).max(120).optional(),
    pluralName: z.string().min(1).max(120).optional(),
    includeInactive: z.boolean().optional(),
    currencyCode: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
  })
  .strict();
