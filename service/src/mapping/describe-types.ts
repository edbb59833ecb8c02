import { z } from 'zod';

/**
 * The part of a Salesforce REST `sobjects/<Object>/describe` response the mapping core reads.
 * Real describes carry many more properties; the schemas below keep only these (zod strips the
 * rest), so a raw describe can be passed straight to `parseSObjectDescribe`.
 */

/** Field types Salesforce reports in `fields[].type`. Unknown future types are kept as text. */
export type SalesforceFieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'multipicklist'
  | 'combobox'
  | 'encryptedstring'
  | 'boolean'
  | 'int'
  | 'long'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'time'
  | 'reference'
  | 'address'
  | 'location'
  | 'base64'
  | 'anyType'
  | 'complexvalue';

export const picklistValueDescribeSchema = z.object({
  value: z.string(),
  label: z.string().nullable().optional(),
  active: z.boolean(),
  defaultValue: z.boolean().optional(),
});
export type PicklistValueDescribe = z.infer<typeof picklistValueDescribeSchema>;

export const fieldDescribeSchema = z.object({
  name: z.string().min(1),
  label: z.string().optional(),
  type: z.string().min(1),
  soapType: z.string().optional(),
  /** Maximum characters of text fields (0 for non-text). */
  length: z.number().int().nonnegative().default(0),
  /** Total digits of double/currency/percent fields. */
  precision: z.number().int().nonnegative().default(0),
  /** Digits after the decimal point of double/currency/percent fields. */
  scale: z.number().int().nonnegative().default(0),
  /** Maximum digits of int fields. */
  digits: z.number().int().nonnegative().default(0),
  nillable: z.boolean(),
  createable: z.boolean(),
  updateable: z.boolean(),
  defaultedOnCreate: z.boolean().default(false),
  calculated: z.boolean().default(false),
  autoNumber: z.boolean().default(false),
  unique: z.boolean().default(false),
  externalId: z.boolean().default(false),
  idLookup: z.boolean().optional(),
  filterable: z.boolean().optional(),
  custom: z.boolean().optional(),
  caseSensitive: z.boolean().optional(),
  htmlFormatted: z.boolean().optional(),
  referenceTo: z.array(z.string()).default([]),
  relationshipName: z.string().nullable().default(null),
  restrictedPicklist: z.boolean().optional(),
  picklistValues: z.array(picklistValueDescribeSchema).default([]),
});
/** One entry of a describe's `fields` array. */
export type FieldDescribe = z.input<typeof fieldDescribeSchema>;

export const sObjectDescribeSchema = z.object({
  name: z.string().min(1),
  label: z.string().optional(),
  custom: z.boolean().optional(),
  createable: z.boolean().optional(),
  updateable: z.boolean().optional(),
  queryable: z.boolean().optional(),
  fields: z.array(fieldDescribeSchema),
});
/** A Salesforce object describe, reduced to what mapping needs. */
export type SObjectDescribe = z.input<typeof sObjectDescribeSchema>;

/** Returns the describe of another object (for parent paths such as `Account.Name`). */
export type DescribeLookup = (objectName: string) => SObjectDescribe | undefined;

/** Validates and reduces a raw describe response (throws a ZodError when it is not one). */
export function parseSObjectDescribe(raw: unknown): SObjectDescribe {
  return sObjectDescribeSchema.parse(raw);
}

interface DescribeIndex {
  byName: Map<string, FieldDescribe>;
  byRelationship: Map<string, FieldDescribe>;
}

// Describes are treated as immutable values; the index is built once per describe object.
const indexes = new WeakMap<SObjectDescribe, DescribeIndex>();

function indexOf(describe: SObjectDescribe): DescribeIndex {
  let index = indexes.get(describe);
  if (!index) {
    index = { byName: new Map(), byRelationship: new Map() };
    for (const field of describe.fields) {
      if (!index.byName.has(field.name.toLowerCase()))
        index.byName.set(field.name.toLowerCase(), field);
      const relationship =
        field.type === 'reference' ? field.relationshipName?.toLowerCase() : undefined;
      if (relationship && !index.byRelationship.has(relationship)) {
        index.byRelationship.set(relationship, field);
      }
    }
    indexes.set(describe, index);
  }
  return index;
}

/** Finds a field by API name, case-insensitively as Salesforce does. */
export function findField(describe: SObjectDescribe, name: string): FieldDescribe | undefined {
  return indexOf(describe).byName.get(name.toLowerCase());
}

/** Finds the lookup field whose relationship name is `relationshipName` (`Account`, `Owner`). */
export function findRelationship(
  describe: SObjectDescribe,
  relationshipName: string,
): FieldDescribe | undefined {
  return indexOf(describe).byRelationship.get(relationshipName.toLowerCase());
}

/** Salesforce field types that hold text. */
export const TEXT_FIELD_TYPES: ReadonlySet<string> = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'encryptedstring',
  'id',
  'reference',
]);

/** Salesforce field types that hold numbers. */
export const NUMBER_FIELD_TYPES: ReadonlySet<string> = new Set([
  'int',
  'long',
  'double',
  'currency',
  'percent',
]);

/** Whether Salesforce lets the API write this field on create or on update. */
export function isWritable(field: FieldDescribe): boolean {
  return !field.calculated && !field.autoNumber && (field.createable || field.updateable);
}

/** Whether an insert fails without a value for this field. */
export function isRequiredOnCreate(field: FieldDescribe): boolean {
  return !field.nillable && field.createable && !(field.defaultedOnCreate ?? false);
}
