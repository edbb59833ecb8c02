import { fieldMappingLabel } from './field-mapping.ts';
import type { SObjectDescribe } from './describe-types.ts';
import { normaliseFilter } from './filter.ts';
import type { ObjectMapping } from './object-mapping.ts';
import { findAttribute, type RecordTypeDefinition } from './record-types.ts';
import { checkFieldMapping } from './validation/field-checks.ts';
import {
  checkDuplicates,
  checkMatchRules,
  checkObject,
  checkPryzmIdField,
  checkRequiredFields,
  sameObject,
} from './validation/object-checks.ts';
import {
  pushes,
  report,
  type MappingProblem,
  type ValidationOptions,
  type ValidationReport,
} from './validation/problems.ts';

export type {
  MappingProblem,
  ValidationCode,
  ValidationOptions,
  ValidationReport,
} from './validation/problems.ts';

/**
 * Checks an object mapping against its record type and the object's describe, reporting every
 * problem (not just the first): unknown objects, fields and attributes, incompatible types,
 * writes Salesforce refuses, required fields left unmapped for push, the `Pryzm_ID__c` field
 * and the filter.
 */
export function validateObjectMapping(
  mapping: ObjectMapping,
  recordType: RecordTypeDefinition,
  describe: SObjectDescribe | undefined,
  options: ValidationOptions = {},
): ValidationReport {
  const problems: MappingProblem[] = [];
  if (mapping.recordType !== recordType.key) {
    problems.push({
      code: 'record_type_mismatch',
      severity: 'error',
      message: `the mapping targets ${mapping.recordType} but was checked against ${recordType.key}`,
    });
  }
  for (const fieldMapping of mapping.fields) {
    if (!findAttribute(recordType, fieldMapping.attribute)) {
      problems.push({
        code: 'unknown_attribute',
        severity: 'error',
        attribute: fieldMapping.attribute,
        mapping: fieldMappingLabel(fieldMapping),
        message: `${recordType.name} has no attribute ${fieldMapping.attribute}`,
      });
    }
  }
  if (!describe || !sameObject(describe.name, mapping.salesforceObject)) {
    problems.push({
      code: 'unknown_object',
      severity: 'error',
      message: `Salesforce object ${mapping.salesforceObject} was not found in the org`,
    });
    return report(problems);
  }
  checkObject(mapping, describe, problems);
  for (const fieldMapping of mapping.fields) {
    checkFieldMapping(mapping, fieldMapping, recordType, describe, options, problems);
  }
  checkDuplicates(mapping, describe, options, problems);
  if (pushes(mapping.direction)) checkRequiredFields(mapping, describe, options, problems);
  checkPryzmIdField(mapping, describe, problems);
  checkMatchRules(mapping, recordType, describe, options, problems);
  if (mapping.filter != null && mapping.filter.trim() !== '') {
    const filter = normaliseFilter(mapping.filter, describe, options.describeFor);
    if (!filter.ok) {
      for (const problem of filter.problems) {
        problems.push({
          code: problem.code,
          severity: 'error',
          field: problem.field,
          message: problem.message,
        });
      }
    }
  }
  return report(problems);
}
