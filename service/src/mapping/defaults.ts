import { isWritable, type DescribeLookup, type SObjectDescribe } from './describe-types.ts';
import type { FieldMapping } from './field-mapping.ts';
import { resolveFieldPath } from './field-paths.ts';
import { defaultMatchRules } from './matching.ts';
import type { ObjectMapping } from './object-mapping.ts';
import {
  createPipelineFromSalesforceStages,
  ORGANIZATION_RECORD_TYPE,
  PERSON_RECORD_TYPE,
  type PipelineFromStagesOptions,
  type RecordTypeDefinition,
} from './record-types.ts';

const both = (salesforceField: string, attribute: string): FieldMapping => ({
  kind: 'field',
  salesforceField,
  attribute,
  direction: 'bidirectional',
  readOnly: false,
});

const readFromParent = (salesforceField: string, attribute: string): FieldMapping => ({
  kind: 'field',
  salesforceField,
  attribute,
  direction: 'pull',
  readOnly: true,
});

const lookup = (
  salesforceField: string,
  targetObject: string,
  attribute: string,
): FieldMapping => ({
  kind: 'reference',
  salesforceField,
  targetObject,
  attribute,
  direction: 'bidirectional',
  readOnly: false,
});

const common = {
  direction: 'bidirectional',
  conflictStrategy: 'most_recent',
  schedule: { kind: 'realtime' },
  filter: null,
} as const;

/** Account ↔ Organization. */
export function defaultAccountMapping(): ObjectMapping {
  return {
    ...common,
    salesforceObject: 'Account',
    recordType: ORGANIZATION_RECORD_TYPE.key,
    matchRules: defaultMatchRules('Account'),
    fields: [
      both('Name', 'name'),
      both('Website', 'website'),
      both('Industry', 'industry'),
      both('Phone', 'phone'),
      both('Description', 'description'),
      both('AnnualRevenue', 'annual_revenue'),
      both('NumberOfEmployees', 'employee_count'),
      readFromParent('Owner.Email', 'owner_email'),
    ],
  };
}

/** Contact ↔ Person: FirstName + LastName ↔ Full name, AccountId ↔ the linked Organization. */
export function defaultContactMapping(): ObjectMapping {
  return {
    ...common,
    salesforceObject: 'Contact',
    recordType: PERSON_RECORD_TYPE.key,
    matchRules: defaultMatchRules('Contact'),
    fields: [
      {
        kind: 'full_name',
        firstNameField: 'FirstName',
        lastNameField: 'LastName',
        attribute: 'full_name',
        direction: 'bidirectional',
        readOnly: false,
      },
      both('Email', 'primary_email'),
      both('Phone', 'phone'),
      both('MobilePhone', 'mobile_phone'),
      both('Title', 'job_title'),
      lookup('AccountId', 'Account', 'organization'),
      readFromParent('Account.Name', 'organization_name'),
      both('Description', 'description'),
      both('Birthdate', 'birthdate'),
      both('HasOptedOutOfEmail', 'email_opt_out'),
    ],
  };
}

/** Opportunity ↔ a pipeline record type (StageName ↔ stage). */
export function defaultOpportunityMapping(pipeline: RecordTypeDefinition): ObjectMapping {
  return {
    ...common,
    salesforceObject: 'Opportunity',
    recordType: pipeline.key,
    fields: [
      both('Name', 'name'),
      both('StageName', 'stage'),
      both('Amount', 'amount'),
      both('CloseDate', 'close_date'),
      both('Probability', 'probability'),
      lookup('AccountId', 'Account', 'organization'),
      both('NextStep', 'next_step'),
      both('Description', 'description'),
      readFromParent('Owner.Email', 'owner_email'),
    ],
  };
}

export interface DefaultMappings {
  recordTypes: RecordTypeDefinition[];
  objectMappings: ObjectMapping[];
}

/**
 * What a new connection starts with: Account → Organization, Contact → Person and, given the
 * Opportunity describe, Opportunity → a pipeline built from its stages.
 */
export function createDefaultMappings(
  opportunityDescribe?: SObjectDescribe,
  pipelineOptions?: PipelineFromStagesOptions,
): DefaultMappings {
  const recordTypes = [ORGANIZATION_RECORD_TYPE, PERSON_RECORD_TYPE];
  const objectMappings = [defaultAccountMapping(), defaultContactMapping()];
  if (opportunityDescribe) {
    const pipeline = createPipelineFromSalesforceStages(opportunityDescribe, pipelineOptions);
    recordTypes.push(pipeline);
    objectMappings.push(defaultOpportunityMapping(pipeline));
  }
  return { recordTypes, objectMappings };
}

/**
 * Fits a mapping to one org: drops field mappings whose fields the org lacks (or hides from the
 * connected user) and turns those Salesforce will not let us write into read-only pulls.
 */
export function fitMappingToDescribe(
  mapping: ObjectMapping,
  describe: SObjectDescribe,
  describeFor?: DescribeLookup,
): ObjectMapping {
  const fields: FieldMapping[] = [];
  for (const fieldMapping of mapping.fields) {
    const paths =
      fieldMapping.kind === 'full_name'
        ? [fieldMapping.firstNameField, fieldMapping.lastNameField]
        : [fieldMapping.salesforceField];
    const resolved = paths.map((path) => resolveFieldPath(describe, path, describeFor));
    if (resolved.some((result) => !result.ok && result.code !== 'unknown_parent_object')) continue;
    const writable = resolved.every(
      (result) => result.ok && !result.isParentPath && isWritable(result.field),
    );
    fields.push(writable ? fieldMapping : { ...fieldMapping, direction: 'pull', readOnly: true });
  }
  return { ...mapping, fields };
}
