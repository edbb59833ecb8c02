import { z } from 'zod';

/** A text attribute without its own `maxLength` holds at most this many characters. */
export const MAX_TEXT_LENGTH = 10_000;
/** A long text holds what Salesforce's largest Long Text Area field does: 131,072 characters. */
export const MAX_LONG_TEXT_LENGTH = 131_072;
import {
  isEmailShape,
  MAX_EMAIL_LENGTH,
  normalisePhone,
  parseDate,
  parseDateTime,
} from './coercion/values.ts';

/** The attribute types a Pryzm record type can hold. */
export const ATTRIBUTE_TYPES = [
  'text',
  'long_text',
  'number',
  'currency',
  'percent',
  'date',
  'datetime',
  'boolean',
  'select',
  'multi_select',
  'email',
  'phone',
  'url',
  'reference',
] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** Attribute keys are stable identifiers used in values and mappings (`primary_email`). */
export const attributeKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'lower-case letters, digits and underscores, from a letter');

export const selectOptionSchema = z.object({
  value: z.string().min(1).max(255),
  label: z.string().min(1).max(255),
});
/** One choice of a select or multi-select attribute. `value` is what records store. */
export type SelectOption = z.infer<typeof selectOptionSchema>;

const attributeBase = {
  key: attributeKeySchema,
  name: z.string().min(1).max(120),
  required: z.boolean().optional(),
  description: z.string().max(1000).optional(),
  /** Set by an Admin: Viewers and webhooks never receive this attribute's values. */
  sensitive: z.boolean().optional(),
};

const decimals = z.number().int().min(0).max(18).optional();

const uniqueOptions = (options: SelectOption[]) =>
  new Set(options.map((option) => option.value)).size === options.length;

const optionsSchema = z
  .array(selectOptionSchema)
  .refine(uniqueOptions, { message: 'option values must be unique' });

export const attributeDefinitionSchema = z.discriminatedUnion('type', [
  z.object({
    ...attributeBase,
    type: z.literal('text'),
    maxLength: z.number().int().positive().optional(),
  }),
  z.object({ ...attributeBase, type: z.literal('long_text') }),
  z.object({ ...attributeBase, type: z.literal('number'), decimals }),
  z.object({
    ...attributeBase,
    type: z.literal('currency'),
    currencyCode: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'),
    decimals,
  }),
  z.object({ ...attributeBase, type: z.literal('percent'), decimals }),
  z.object({ ...attributeBase, type: z.literal('date') }),
  z.object({ ...attributeBase, type: z.literal('datetime') }),
  z.object({ ...attributeBase, type: z.literal('boolean') }),
  z.object({ ...attributeBase, type: z.literal('select'), options: optionsSchema }),
  z.object({ ...attributeBase, type: z.literal('multi_select'), options: optionsSchema }),
  z.object({ ...attributeBase, type: z.literal('email') }),
  z.object({ ...attributeBase, type: z.literal('phone') }),
  z.object({ ...attributeBase, type: z.literal('url') }),
  z.object({
    ...attributeBase,
    type: z.literal('reference'),
    targetRecordType: attributeKeySchema,
  }),
]);
/** The definition of one typed attribute of a record type. */
export type AttributeDefinition = z.infer<typeof attributeDefinitionSchema>;
export type AttributeDefinitionOf<T extends AttributeType> = Extract<
  AttributeDefinition,
  { type: T }
>;

/**
 * A value as Pryzm stores it. text/long_text/email/phone/url/select: string; number/currency/
 * percent: number (percent in points, 12.5 = 12.5 %); date: `YYYY-MM-DD`; datetime: ISO 8601 in
 * UTC (`2026-01-31T23:30:00.000Z`); boolean; multi_select: string[] (`[]` when empty);
 * reference: a Pryzm record id. `null` is empty.
 */
export type PryzmValue = string | number | boolean | string[] | null;

/** Values of one record keyed by attribute key. A missing key means "not part of this change". */
export type PryzmValues = Record<string, PryzmValue>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A zod schema accepting the stored value of one attribute (null included). */
export function attributeValueSchema(attribute: AttributeDefinition): z.ZodType<PryzmValue> {
  switch (attribute.type) {
    case 'text':
      return z
        .string()
        .max(attribute.maxLength ?? MAX_TEXT_LENGTH)
        .nullable();
    case 'long_text':
      return z.string().max(MAX_LONG_TEXT_LENGTH).nullable();
    case 'phone':
      return z
        .string()
        .refine((value) => normalisePhone(value) !== undefined, 'not a phone number')
        .nullable();
    case 'email':
      // Linear-time shape check with a length cap (zod's email regex is costly on long input).
      return z
        .string()
        .max(MAX_EMAIL_LENGTH)
        .refine(isEmailShape, 'not an email address')
        .nullable();
    case 'url':
      // http(s) only: a `javascript:` or `data:` address is never a website worth storing.
      return z
        .string()
        .url()
        .refine((value) => /^https?:\/\//i.test(value), 'an http(s) address')
        .nullable();
    case 'number':
    case 'currency':
    case 'percent':
      return z.number().finite().nullable();
    case 'date':
      return z
        .string()
        .regex(ISO_DATE)
        .refine((value) => parseDate(value) !== undefined, 'not a calendar date')
        .nullable();
    case 'datetime':
      return z
        .string()
        .regex(ISO_DATETIME_UTC)
        .refine((value) => parseDateTime(value) !== undefined, 'not a real date and time')
        .nullable();
    case 'boolean':
      return z.boolean().nullable();
    case 'select': {
      const values = attribute.options.map((option) => option.value);
      return z
        .string()
        .refine((value) => values.includes(value), 'not one of the options')
        .nullable();
    }
    case 'multi_select': {
      const values = attribute.options.map((option) => option.value);
      return z
        .array(z.string().refine((value) => values.includes(value), 'not one of the options'))
        .nullable();
    }
    case 'reference':
      return z.string().min(1).nullable();
  }
}
