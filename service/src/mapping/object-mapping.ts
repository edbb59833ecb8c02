import { z } from 'zod';
import { attributeKeySchema } from './attribute-types.ts';
import { directionSchema, fieldMappingSchema } from './field-mapping.ts';
import { matchRuleSchema } from './matching.ts';

/** How a field changed on both sides since the last sync is settled. */
export const CONFLICT_STRATEGIES = [
  'salesforce_wins',
  'pryzm_wins',
  'most_recent',
  'manual',
] as const;
export type ConflictStrategy = (typeof CONFLICT_STRATEGIES)[number];

export const scheduleSchema = z.discriminatedUnion('kind', [
  /** Changes flow as Salesforce publishes them (Platform Events / CDC) and as Pryzm saves. */
  z.object({ kind: z.literal('realtime') }),
  /** A pull every `minutes` (5 minutes to a day). */
  z.object({ kind: z.literal('interval'), minutes: z.number().int().min(5).max(1440) }),
  /** Only when someone starts a job. */
  z.object({ kind: z.literal('manual') }),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

/** What a delete on one side does to the linked record on the other. */
export const DELETE_BEHAVIOURS = ['propagate', 'ignore'] as const;
export const deleteSettingsSchema = z
  .object({
    /** A Salesforce delete soft-deletes the Pryzm record (an undelete restores it). */
    fromSalesforce: z.enum(DELETE_BEHAVIOURS).default('propagate'),
    /** A Pryzm delete deletes the Salesforce record (it goes to the org's recycle bin). */
    fromPryzm: z.enum(DELETE_BEHAVIOURS).default('ignore'),
  })
  .strict();
export type DeleteSettings = z.output<typeof deleteSettingsSchema>;
export const DEFAULT_DELETE_SETTINGS: DeleteSettings = {
  fromSalesforce: 'propagate',
  fromPryzm: 'ignore',
};

export const objectMappingSchema = z.object({
  id: z.string().min(1).optional(),
  /** Salesforce object API name: `Account`, `Project__c`, `pryzm__Something__c`. */
  salesforceObject: z
    .string()
    .max(100)
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a Salesforce object API name'),
  /** Key of the Pryzm record type. */
  recordType: attributeKeySchema,
  direction: directionSchema,
  /** A SOQL WHERE expression (without `WHERE`); checked by `normaliseFilter`. */
  filter: z.string().max(4000).nullable().optional(),
  conflictStrategy: z.enum(CONFLICT_STRATEGIES),
  schedule: scheduleSchema,
  /** First-sync matching rules tried in order (`defaultMatchRules` when absent). */
  matchRules: z.array(matchRuleSchema).optional(),
  /** Per direction, whether deletes propagate; Salesforce deletes do and Pryzm ones do not by default. */
  deletes: deleteSettingsSchema.optional(),
  /**
   * Whether a Pryzm change (API, console, CSV import) goes to Salesforce by itself within two
   * seconds, debounced and batched, on a mapping that pushes. Off unless turned on.
   */
  autoPush: z.boolean().optional(),
  fields: z.array(fieldMappingSchema),
});
/** One Salesforce object ↔ one Pryzm record type, with its field mappings. */
export type ObjectMapping = z.input<typeof objectMappingSchema>;
