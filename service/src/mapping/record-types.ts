import { z } from 'zod';
import {
  attributeDefinitionSchema,
  attributeKeySchema,
  attributeValueSchema,
  type AttributeDefinition,
  type PryzmValue,
  type SelectOption,
} from './attribute-types.ts';
import { findField, type SObjectDescribe } from './describe-types.ts';

/** organization and person are built in; a workspace creates pipelines and custom types. */
export const RECORD_TYPE_KINDS = ['organization', 'person', 'pipeline', 'custom'] as const;
export type RecordTypeKind = (typeof RECORD_TYPE_KINDS)[number];

export const recordTypeDefinitionSchema = z
  .object({
    key: attributeKeySchema,
    name: z.string().min(1).max(120),
    pluralName: z.string().min(1).max(120),
    kind: z.enum(RECORD_TYPE_KINDS),
    attributes: z.array(attributeDefinitionSchema).min(1),
  })
  // A misspelt property is refused, not silently dropped.
  .strict()
  .superRefine((recordType, ctx) => {
    const seen = new Set<string>();
    recordType.attributes.forEach((attribute, index) => {
      if (seen.has(attribute.key)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['attributes', index, 'key'],
          message: `duplicate attribute key "${attribute.key}"`,
        });
      }
      seen.add(attribute.key);
    });
    if (recordType.kind === 'pipeline') {
      const stage = recordType.attributes.find((attribute) => attribute.key === 'stage');
      if (stage?.type !== 'select' || stage.options.length === 0) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['attributes'],
          message: 'a pipeline needs a "stage" select attribute with at least one option',
        });
      }
    }
  });
/** A Pryzm record type: a named list of typed attributes. */
export type RecordTypeDefinition = z.infer<typeof recordTypeDefinitionSchema>;

/** Finds an attribute of a record type by key. */
export function findAttribute(
  recordType: RecordTypeDefinition,
  key: string,
): AttributeDefinition | undefined {
  return recordType.attributes.find((attribute) => attribute.key === key);
}

/** The built-in Organization record type. */
export const ORGANIZATION_RECORD_TYPE: RecordTypeDefinition = {
  key: 'organization',
  name: 'Organization',
  pluralName: 'Organizations',
  kind: 'organization',
  attributes: [
    { key: 'name', name: 'Name', type: 'text', required: true, maxLength: 255 },
    { key: 'website', name: 'Website', type: 'url' },
    { key: 'industry', name: 'Industry', type: 'text', maxLength: 255 },
    { key: 'phone', name: 'Phone', type: 'phone' },
    { key: 'description', name: 'Description', type: 'long_text' },
    { key: 'annual_revenue', name: 'Annual revenue', type: 'currency', currencyCode: 'USD' },
    { key: 'employee_count', name: 'Employees', type: 'number', decimals: 0 },
    { key: 'owner_email', name: 'Owner email', type: 'email' },
  ],
};

/** The built-in Person record type. */
export const PERSON_RECORD_TYPE: RecordTypeDefinition = {
  key: 'person',
  name: 'Person',
  pluralName: 'People',
  kind: 'person',
  attributes: [
    { key: 'full_name', name: 'Full name', type: 'text', required: true, maxLength: 255 },
    { key: 'primary_email', name: 'Primary email', type: 'email' },
    { key: 'phone', name: 'Phone', type: 'phone' },
    { key: 'mobile_phone', name: 'Mobile phone', type: 'phone' },
    { key: 'job_title', name: 'Job title', type: 'text', maxLength: 255 },
    {
      key: 'organization',
      name: 'Organization',
      type: 'reference',
      targetRecordType: 'organization',
    },
    { key: 'organization_name', name: 'Organization name', type: 'text', maxLength: 255 },
    { key: 'description', name: 'Description', type: 'long_text' },
    { key: 'birthdate', name: 'Birthdate', type: 'date' },
    { key: 'email_opt_out', name: 'Email opt-out', type: 'boolean' },
  ],
};

/** The record types every workspace has. */
export const BUILT_IN_RECORD_TYPES: readonly RecordTypeDefinition[] = [
  ORGANIZATION_RECORD_TYPE,
  PERSON_RECORD_TYPE,
];

export interface PipelineFromStagesOptions {
  /** Record type key, `deal` unless given. */
  key?: string;
  /** Singular name, `Deal` unless given. */
  name?: string;
  /** Plural name, `Deals` unless given. */
  pluralName?: string;
  /** Keep inactive stages as options (off: only active picklist values). */
  includeInactive?: boolean;
  /** Currency of the amount attribute, `USD` unless given. */
  currencyCode?: string;
}

/** Thrown when a describe has no usable `StageName` picklist. */
export class PipelineStagesError extends Error {
  override readonly name = 'PipelineStagesError';
}

/**
 * Builds a pipeline record type from an Opportunity describe: a `stage` select whose options are
 * the `StageName` picklist values in picklist order, plus the usual deal attributes.
 */
export function createPipelineFromSalesforceStages(
  opportunityDescribe: SObjectDescribe,
  options: PipelineFromStagesOptions = {},
): RecordTypeDefinition {
  const stageField = findField(opportunityDescribe, 'StageName');
  if (!stageField || stageField.type !== 'picklist') {
    throw new PipelineStagesError(`${opportunityDescribe.name} has no StageName picklist`);
  }
  const stageOptions: SelectOption[] = [];
  const seen = new Set<string>();
  for (const picklistValue of stageField.picklistValues ?? []) {
    if (!picklistValue.active && !options.includeInactive) continue;
    if (seen.has(picklistValue.value)) continue;
    seen.add(picklistValue.value);
    stageOptions.push({
      value: picklistValue.value,
      label: picklistValue.label || picklistValue.value,
    });
  }
  if (stageOptions.length === 0) {
    throw new PipelineStagesError('StageName has no active picklist values');
  }
  return recordTypeDefinitionSchema.parse({
    key: options.key ?? 'deal',
    name: options.name ?? 'Deal',
    pluralName: options.pluralName ?? 'Deals',
    kind: 'pipeline',
    attributes: [
      { key: 'name', name: 'Name', type: 'text', required: true, maxLength: 255 },
      { key: 'stage', name: 'Stage', type: 'select', required: true, options: stageOptions },
      {
        key: 'amount',
        name: 'Amount',
        type: 'currency',
        currencyCode: options.currencyCode ?? 'USD',
        decimals: 2,
      },
      { key: 'close_date', name: 'Close date', type: 'date' },
      { key: 'probability', name: 'Probability', type: 'percent' },
      {
        key: 'organization',
        name: 'Organization',
        type: 'reference',
        targetRecordType: 'organization',
      },
      { key: 'next_step', name: 'Next step', type: 'text', maxLength: 255 },
      { key: 'description', name: 'Description', type: 'long_text' },
      { key: 'owner_email', name: 'Owner email', type: 'email' },
    ],
  });
}

/**
 * A zod schema for the values of one record of this type: known attribute keys only, each
 * optional (a missing key is "not part of this change"), required attributes not null.
 */
export function recordValuesSchema(recordType: RecordTypeDefinition) {
  const shape: Record<string, z.ZodType<PryzmValue | undefined>> = {};
  for (const attribute of recordType.attributes) {
    const value = attributeValueSchema(attribute);
    shape[attribute.key] = (
      attribute.required
        ? value.refine((v) => v !== null && !(Array.isArray(v) && v.length === 0), 'required')
        : value
    ).optional();
  }
  return z.object(shape).strict();
}
