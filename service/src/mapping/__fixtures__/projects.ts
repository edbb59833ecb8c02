import type { AttributeDefinition } from '../attribute-types.ts';
import type { Direction, FieldMapping } from '../field-mapping.ts';
import type { ObjectMapping } from '../object-mapping.ts';
import type { RecordTypeDefinition } from '../record-types.ts';

/**
 * The custom object the mapping tests use beside the standard ones: Salesforce's `Project__c`
 * (describes.ts, `projectDescribe`) mapped onto a custom Pryzm record type `project`.
 */

/** A custom `project` record type with the attributes a test needs. */
export const projectType = (attributes: AttributeDefinition[]): RecordTypeDefinition => ({
  key: 'project',
  name: 'Project',
  pluralName: 'Projects',
  kind: 'custom',
  attributes,
});

/** A text attribute with no length limit. */
export const textAttribute = (key: string, name: string): AttributeDefinition => ({
  key,
  name,
  type: 'text',
});

/** One Salesforce field (or parent path) mapped to one attribute. */
export const fieldMapping = (
  salesforceField: string,
  attribute: string,
  direction: Direction = 'bidirectional',
  extra: Partial<Extract<FieldMapping, { kind: 'field' }>> = {},
): FieldMapping => ({ kind: 'field', salesforceField, attribute, direction, ...extra });

/** `Project__c` mapped both ways onto `project`, synced by hand, conflicts left to a person. */
export const projectMapping = (
  fields: ObjectMapping['fields'],
  extra: Partial<ObjectMapping> = {},
): ObjectMapping => ({
  salesforceObject: 'Project__c',
  recordType: 'project',
  direction: 'bidirectional',
  conflictStrategy: 'manual',
  schedule: { kind: 'manual' },
  fields,
  ...extra,
});
