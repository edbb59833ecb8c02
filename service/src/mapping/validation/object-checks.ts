import { isRequiredOnCreate, type SObjectDescribe } from '../describe-types.ts';
import { effectiveDirection, fieldMappingLabel, salesforceFieldsOf } from '../field-mapping.ts';
import { findPryzmIdField, PRYZM_ID_FIELD, resolveFieldPath } from '../field-paths.ts';
import type { ObjectMapping } from '../object-mapping.ts';
import { findAttribute, type RecordTypeDefinition } from '../record-types.ts';
import { pulls, pushes, type MappingProblem, type ValidationOptions } from './problems.ts';

/*
 * The checks of a mapping as a whole: the object can be read and written as the direction needs,
 * no two field mappings write the same target, required fields are mapped for push, the
 * `Pryzm_ID__c` external-ID field is usable and the match rules name real fields.
 */

export /** `Project__c` and `pryzm__Project__c` name the same package object. */
function sameObject(describeName: string, mapped: string): boolean {
  const strip = (name: string) => name.toLowerCase().replace(/^pryzm__/, '');
  return strip(describeName) === strip(mapped);
}

export function checkObject(
  mapping: ObjectMapping,
  describe: SObjectDescribe,
  problems: MappingProblem[],
): void {
  if (pulls(mapping.direction) && describe.queryable === false) {
    problems.push({
      code: 'object_not_queryable',
      severity: 'error',
      message: `Salesforce does not let the API query ${describe.name}`,
    });
  }
  if (mapping.autoPush && !pushes(mapping.direction)) {
    problems.push({
      code: 'auto_push_without_push',
      severity: 'error',
      message: 'Auto push needs a mapping that pushes (direction bidirectional or push)',
    });
  }
  if (pushes(mapping.direction) && describe.createable === false && describe.updateable === false) {
    problems.push({
      code: 'object_not_writable',
      severity: 'error',
      message: `Salesforce does not let the API create or update ${describe.name}`,
    });
  }
}

export function checkDuplicates(
  mapping: ObjectMapping,
  describe: SObjectDescribe,
  options: ValidationOptions,
  problems: MappingProblem[],
): void {
  const pulledAttributes = new Map<string, string>();
  const pushedFields = new Map<string, string>();
  for (const fieldMapping of mapping.fields) {
    const label = fieldMappingLabel(fieldMapping);
    const flow = effectiveDirection(mapping.direction, fieldMapping);
    if (flow.pull) {
      const earlier = pulledAttributes.get(fieldMapping.attribute);
      if (earlier) {
        problems.push({
          code: 'duplicate_attribute_target',
          severity: 'error',
          attribute: fieldMapping.attribute,
          mapping: label,
          message: `${label} and ${earlier} both pull into ${fieldMapping.attribute}`,
        });
      } else pulledAttributes.set(fieldMapping.attribute, label);
    }
    if (flow.push) {
      for (const path of salesforceFieldsOf(fieldMapping)) {
        const resolved = resolveFieldPath(describe, path, options.describeFor);
        const name = resolved.ok ? resolved.apiPath : path;
        const earlier = pushedFields.get(name.toLowerCase());
        if (earlier) {
          problems.push({
            code: 'duplicate_salesforce_target',
            severity: 'error',
            field: name,
            mapping: label,
            message: `${label} and ${earlier} both push into ${name}`,
          });
        } else pushedFields.set(name.toLowerCase(), label);
      }
    }
  }
}

export function checkRequiredFields(
  mapping: ObjectMapping,
  describe: SObjectDescribe,
  options: ValidationOptions,
  problems: MappingProblem[],
): void {
  const pushed = new Set<string>();
  for (const fieldMapping of mapping.fields) {
    if (!effectiveDirection(mapping.direction, fieldMapping).push) continue;
    for (const path of salesforceFieldsOf(fieldMapping)) {
      const resolved = resolveFieldPath(describe, path, options.describeFor);
      if (resolved.ok && !resolved.isParentPath) pushed.add(resolved.field.name);
    }
  }
  const pryzmId = findPryzmIdField(describe);
  if (pryzmId) pushed.add(pryzmId.name);
  for (const field of describe.fields) {
    if (isRequiredOnCreate(field) && !pushed.has(field.name)) {
      problems.push({
        code: 'required_field_unmapped',
        severity: 'error',
        field: field.name,
        message: `${describe.name}.${field.name} is required to create records and no field mapping pushes it`,
      });
    }
  }
}

export function checkPryzmIdField(
  mapping: ObjectMapping,
  describe: SObjectDescribe,
  problems: MappingProblem[],
): void {
  const severity = pushes(mapping.direction) ? 'error' : 'warning';
  const field = findPryzmIdField(describe);
  if (!field) {
    problems.push({
      code: 'pryzm_id_field_missing',
      severity,
      field: PRYZM_ID_FIELD,
      message: `${describe.name} has no ${PRYZM_ID_FIELD} (or pryzm__${PRYZM_ID_FIELD}): deploy the package field to this object`,
    });
    return;
  }
  if (!field.externalId) {
    problems.push({
      code: 'pryzm_id_field_not_external_id',
      severity,
      field: field.name,
      message: `${describe.name}.${field.name} must be an External ID so records can be upserted by it`,
    });
  }
  if (!field.unique) {
    problems.push({
      code: 'pryzm_id_field_not_unique',
      severity,
      field: field.name,
      message: `${describe.name}.${field.name} must be Unique so one Pryzm record maps to one Salesforce record`,
    });
  }
}

export function checkMatchRules(
  mapping: ObjectMapping,
  recordType: RecordTypeDefinition,
  describe: SObjectDescribe,
  options: ValidationOptions,
  problems: MappingProblem[],
): void {
  for (const rule of mapping.matchRules ?? []) {
    for (const part of rule.parts) {
      const resolved = resolveFieldPath(describe, part.salesforceField, options.describeFor);
      if (!resolved.ok && resolved.code !== 'unknown_parent_object') {
        problems.push({
          code: 'unknown_field',
          severity: 'error',
          field: part.salesforceField,
          message: `match rule: ${resolved.message}`,
        });
      }
      if (!findAttribute(recordType, part.attribute)) {
        problems.push({
          code: 'unknown_attribute',
          severity: 'error',
          attribute: part.attribute,
          message: `match rule: ${recordType.name} has no attribute ${part.attribute}`,
        });
      }
    }
  }
}
