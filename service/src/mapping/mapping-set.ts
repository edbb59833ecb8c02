import type { ObjectMapping } from './object-mapping.ts';
import { findAttribute, type RecordTypeDefinition } from './record-types.ts';

/**
 * Checks that concern all object mappings of one connection together, and the order a full
 * pull runs in. Per-mapping checks live in `validateObjectMapping`.
 */

export type MappingSetCode =
  | 'duplicate_object_mapping'
  | 'unknown_record_type'
  | 'reference_target_unmapped'
  | 'reference_record_type_mismatch';

export interface MappingSetProblem {
  code: MappingSetCode;
  severity: 'error' | 'warning';
  /** The Salesforce object of the mapping concerned. */
  salesforceObject: string;
  attribute?: string;
  message: string;
}

const objectKey = (name: string) => name.toLowerCase().replace(/^pryzm__/, '');

/**
 * Reports objects mapped twice, mappings to record types that do not exist, and lookups whose
 * target object is not mapped (or is mapped to another record type than the attribute expects).
 */
export function validateMappingSet(
  mappings: readonly ObjectMapping[],
  recordTypes: readonly RecordTypeDefinition[],
): MappingSetProblem[] {
  const problems: MappingSetProblem[] = [];
  const byObject = new Map<string, ObjectMapping>();
  for (const mapping of mappings) {
    const key = objectKey(mapping.salesforceObject);
    if (byObject.has(key)) {
      problems.push({
        code: 'duplicate_object_mapping',
        severity: 'error',
        salesforceObject: mapping.salesforceObject,
        message: `${mapping.salesforceObject} is mapped more than once`,
      });
    } else byObject.set(key, mapping);
  }
  for (const mapping of mappings) {
    const recordType = recordTypes.find((candidate) => candidate.key === mapping.recordType);
    if (!recordType) {
      problems.push({
        code: 'unknown_record_type',
        severity: 'error',
        salesforceObject: mapping.salesforceObject,
        message: `record type ${mapping.recordType} does not exist`,
      });
      continue;
    }
    for (const fieldMapping of mapping.fields) {
      if (fieldMapping.kind !== 'reference') continue;
      const target = byObject.get(objectKey(fieldMapping.targetObject));
      const attribute = findAttribute(recordType, fieldMapping.attribute);
      const at = { salesforceObject: mapping.salesforceObject, attribute: fieldMapping.attribute };
      if (!target) {
        problems.push({
          ...at,
          code: 'reference_target_unmapped',
          severity: 'warning',
          message: `${fieldMapping.salesforceField} looks up ${fieldMapping.targetObject}, which is not mapped: the reference stays empty`,
        });
      } else if (
        attribute?.type === 'reference' &&
        attribute.targetRecordType !== target.recordType
      ) {
        problems.push({
          ...at,
          code: 'reference_record_type_mismatch',
          severity: 'error',
          message: `${attribute.name} points to ${attribute.targetRecordType} but ${fieldMapping.targetObject} is mapped to ${target.recordType}`,
        });
      }
    }
  }
  return problems;
}

/**
 * Orders mappings so that looked-up objects are pulled before the objects pointing to them
 * (Account before Contact and Opportunity), so references resolve on the first pass. Cycles
 * (an object looking itself up, or two objects looking each other up) keep their given order.
 */
export function pullOrder(mappings: readonly ObjectMapping[]): ObjectMapping[] {
  const byObject = new Map(
    mappings.map((mapping) => [objectKey(mapping.salesforceObject), mapping]),
  );
  const ordered: ObjectMapping[] = [];
  const seen = new Set<ObjectMapping>();
  const visit = (mapping: ObjectMapping) => {
    if (seen.has(mapping)) return;
    seen.add(mapping);
    for (const fieldMapping of mapping.fields) {
      if (fieldMapping.kind !== 'reference') continue;
      const parent = byObject.get(objectKey(fieldMapping.targetObject));
      if (parent && parent !== mapping) visit(parent);
    }
    ordered.push(mapping);
  };
  mappings.forEach(visit);
  return ordered;
}
