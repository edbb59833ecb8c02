import { z } from 'zod';
import { attributeKeySchema } from './attribute-types.ts';

/** Which way values flow: both ways, Salesforce → Pryzm only, or Pryzm → Salesforce only. */
export const DIRECTIONS = ['bidirectional', 'pull', 'push'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const directionSchema = z.enum(DIRECTIONS);

/** A Salesforce API name or a parent path of up to five relationships (`Account.Owner.Email`). */
export const salesforceFieldPathSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*){0,5}$/,
    'a Salesforce API name or a parent path such as Account.Name',
  );
const apiNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a Salesforce API name');

export const picklistValuePairSchema = z.object({
  salesforce: z.string().min(1),
  pryzm: z.string().min(1),
});

const base = {
  /** Stable id of the field mapping, echoed in field results. */
  id: z.string().min(1).optional(),
  attribute: attributeKeySchema,
  direction: directionSchema,
  /**
   * Read-only: Pryzm shows the attribute as owned by Salesforce and never writes it back, whatever
   * the direction says.
   */
  readOnly: z.boolean().default(false),
};

export const fieldMappingSchema = z.discriminatedUnion('kind', [
  /** One Salesforce field (or parent path) ↔ one attribute; `valueMap` for picklists. */
  z.object({
    ...base,
    kind: z.literal('field'),
    salesforceField: salesforceFieldPathSchema,
    valueMap: z.array(picklistValuePairSchema).optional(),
  }),
  /** First + last name fields combined into one attribute on pull, split on push. */
  z.object({
    ...base,
    kind: z.literal('full_name'),
    firstNameField: apiNameSchema,
    lastNameField: apiNameSchema,
  }),
  /** A lookup (AccountId) ↔ a reference attribute, resolved through links to `targetObject`. */
  z.object({
    ...base,
    kind: z.literal('reference'),
    salesforceField: apiNameSchema,
    targetObject: apiNameSchema,
  }),
]);
export type FieldMapping = z.input<typeof fieldMappingSchema>;
export type FieldMappingKind = FieldMapping['kind'];

/** The Salesforce fields (or paths) a field mapping reads or writes. */
export function salesforceFieldsOf(mapping: FieldMapping): string[] {
  return mapping.kind === 'full_name'
    ? [mapping.firstNameField, mapping.lastNameField]
    : [mapping.salesforceField];
}

/** A readable identity for a field mapping in results and messages. */
export function fieldMappingLabel(mapping: FieldMapping): string {
  if (mapping.id !== undefined) return mapping.id;
  let label = labels.get(mapping);
  if (label === undefined) {
    label = `${salesforceFieldsOf(mapping).join('+')}→${mapping.attribute}`;
    labels.set(mapping, label);
  }
  return label;
}

// Labels go into every field result of every record; build each once per mapping object.
const labels = new WeakMap<FieldMapping, string>();

/** Where values of one field mapping may flow once the object's direction is applied. */
export interface EffectiveDirection {
  pull: boolean;
  push: boolean;
}

/**
 * Intersects the object's direction with the field's, then drops push for read-only fields:
 * a pull-only object never pushes, whatever a field says.
 */
export function effectiveDirection(
  objectDirection: Direction,
  field: Pick<FieldMapping, 'direction' | 'readOnly'>,
): EffectiveDirection {
  const allows = (direction: Direction, way: 'pull' | 'push') =>
    direction === 'bidirectional' || direction === way;
  return {
    pull: allows(objectDirection, 'pull') && allows(field.direction, 'pull'),
    push:
      allows(objectDirection, 'push') &&
      allows(field.direction, 'push') &&
      !(field.readOnly ?? false),
  };
}
