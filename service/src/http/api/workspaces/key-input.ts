import { z } from 'zod';
import { ROLES } from '../../../access/roles.ts';

/** `expiresAt`: an ISO 8601 instant with an offset, at most ten years ahead. */
export const expiresAtSchema = z
  .string()
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() < Date.now() + 10 * 365 * 24 * 3600 * 1000, 'too far ahead')
  .optional();

export const roleSchema = z.enum(ROLES);
