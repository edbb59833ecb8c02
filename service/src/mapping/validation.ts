import type { AttributeDefinition } from './attribute-types.ts';
import { compatibleFieldTypes, isCompatible } from './coercion/compatibility.ts';
import { activePicklistValues, pryzmOptionFor, salesforceValueFor } from './coercion/picklists.ts';
import {
  isRequiredOnCreate,
  isWritable,
  type DescribeLookup,
  type FieldDescribe,
  type SObjectDescribe,
} from './describe-types.ts';
import {
  effectiveDirection,
  fieldMappingLabel,
  salesforceFieldsOf,
  type Direction,
  type FieldMapping,
} from './field-mapping.ts';
import { findPryzmIdField, PRYZM_ID_FIELD, resolveFieldPath } from './field-paths.ts';
import { normaliseFilter, type FilterProblemCode } from './filter.ts';
import type { ObjectMapping } from './object-mapping.ts';
import { findAttribute, type RecordTypeDefinition } from './record-types.ts';

export type ValidationCode =
  | 'unknown_object'
  | 'object_not_queryable'
  | 'object_not_writable'
  | 'record_type_mismatch'
  | 'unknown_attribute'
  | 'unknown_field'
  | 'parent_not_checked'
  | 'incompatible_types'
  | 'reference_target_mismatch'
  | 'field_not_writable'
  | 'field_not_updateable'
  | 'parent_path_not_writable'
  | 'required_field_unmapped'
  | 'duplicate_attribute_target'
  | 'duplicate_salesforce_target'
  | 'direction_outside_object'
  | 'read_only_push'
  | 'value_map_unknown_salesforce_value'
  | 'value_map_unknown_option'
  | 'value_map_many_to_one'
  | 'picklist_value_without_option'
  | 'option_not_in_picklist'
  | 'text_longer_than_field'
  | 'decimals_exceed_scale'
  | 'pryzm_id_field_missing'
  | 'pryzm_id_field_not_external_id'
  | 'pryzm_id_field_not_unique'
  | FilterProblemCode;

/** One problem of an object mapping. `error`s block saving; `warning`s are shown. */
export interface MappingProblem {
  code: ValidationCode;
  severity: 'error' | 'warning';
  /** The Salesforce field (or path) concerned. */
  field?: string;
  /** The Pryzm attribute concerned. */
  attribute?: string;
  /** The field mapping concerned (its id, or `Field→attribute`). */
  mapping?: string;
  message: string;
}

export interface ValidationReport {
  /** True when no problem is an error. */
  valid: boolean;
  problems: MappingProblem[];
}

export interface ValidationOptions {
  /** Describes of parent objects, to check parent paths (`Account.Name`) and filters. */
  describeFor?: DescribeLookup;
}

const pushes = (direction: Direction) => direction !== 'pull';
const pulls = (direction: Direction) => direction !== 'push';

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

function report(problems: MappingProblem[]): ValidationReport {
  return {
    valid: problems.every((problem) => problem.severity !== 'error'),
    problems: problems.map(
      (problem) =>
        Object.fromEntries(
          Object.entries(problem).filter(([, value]) => value !== undefined),
        ) as MappingProblem,
    ),
  };
}

/** `Project__c` and `pryzm__Project__c` name the same package object. */
function sameObject(describeName: string, mapped: string): boolean {
  const strip = (name: string) => name.toLowerCase().replace(/^pryzm__/, '');
  return strip(describeName) === strip(mapped);
}

function checkObject(
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
  if (pushes(mapping.direction) && describe.createable === false && describe.updateable === false) {
    problems.push({
      code: 'object_not_writable',
      severity: 'error',
      message: `Salesforce does not let the API create or update ${describe.name}`,
    });
  }
}

function checkFieldMapping(
  mapping: ObjectMapping,
  fieldMapping: FieldMapping,
  recordType: RecordTypeDefinition,
  describe: SObjectDescribe,
  options: ValidationOptions,
  problems: MappingProblem[],
): void {
  const label = fieldMappingLabel(fieldMapping);
  const flow = effectiveDirection(mapping.direction, fieldMapping);
  const attribute = findAttribute(recordType, fieldMapping.attribute);
  const at = { attribute: fieldMapping.attribute, mapping: label };
  if (!flow.pull && !flow.push) {
    const readOnlyPush = fieldMapping.readOnly === true && fieldMapping.direction === 'push';
    problems.push({
      ...at,
      code: readOnlyPush ? 'read_only_push' : 'direction_outside_object',
      severity: 'warning',
      message: readOnlyPush
        ? `${label} is read-only and push-only, so it never syncs`
        : `${label} is ${fieldMapping.direction} but ${describe.name} syncs ${mapping.direction}: it never syncs`,
    });
  }
  for (const path of salesforceFieldsOf(fieldMapping)) {
    const resolved = resolveFieldPath(describe, path, options.describeFor);
    if (!resolved.ok) {
      const unchecked = resolved.code === 'unknown_parent_object';
      problems.push({
        ...at,
        code: unchecked ? 'parent_not_checked' : 'unknown_field',
        severity: unchecked ? 'warning' : 'error',
        field: path,
        message: resolved.message,
      });
      continue;
    }
    const field = resolved.field;
    const where = { ...at, field: resolved.apiPath };
    if (flow.push && resolved.isParentPath) {
      problems.push({
        ...where,
        code: 'parent_path_not_writable',
        severity: 'error',
        message: `${resolved.apiPath} belongs to a parent record and can only be pulled`,
      });
    } else if (flow.push) {
      checkWritable(field, describe, where, problems);
    }
    // Limits only matter for values that can actually be written.
    const writable = flow.push && !resolved.isParentPath && isWritable(field);
    if (attribute)
      checkTypes(fieldMapping, attribute, field, { ...flow, writable }, where, problems);
  }
}

function checkWritable(
  field: FieldDescribe,
  describe: SObjectDescribe,
  where: { attribute: string; mapping: string; field: string },
  problems: MappingProblem[],
): void {
  if (!isWritable(field)) {
    const why = field.calculated
      ? 'a formula (calculated) field'
      : field.autoNumber
        ? 'an auto-number field'
        : 'neither createable nor updateable';
    problems.push({
      ...where,
      code: 'field_not_writable',
      severity: 'error',
      message: `${describe.name}.${field.name} is ${why}: Salesforce does not let us write it`,
    });
  } else if (!field.updateable) {
    problems.push({
      ...where,
      code: 'field_not_updateable',
      severity: 'warning',
      message: `${describe.name}.${field.name} can be set on create only; later changes are not pushed`,
    });
  }
}

function checkTypes(
  fieldMapping: FieldMapping,
  attribute: AttributeDefinition,
  field: FieldDescribe,
  flow: { pull: boolean; push: boolean; writable: boolean },
  where: { attribute: string; mapping: string; field: string },
  problems: MappingProblem[],
): void {
  if (fieldMapping.kind === 'full_name') {
    const textual = ['text', 'long_text'].includes(attribute.type) && field.type === 'string';
    if (!textual) {
      problems.push({
        ...where,
        code: 'incompatible_types',
        severity: 'error',
        message: `a name combines text fields into a text attribute; ${field.name} is ${field.type}, ${attribute.key} is ${attribute.type}`,
      });
    }
    return;
  }
  if (fieldMapping.kind === 'reference' || attribute.type === 'reference') {
    if (
      fieldMapping.kind !== 'reference' ||
      attribute.type !== 'reference' ||
      field.type !== 'reference'
    ) {
      problems.push({
        ...where,
        code: 'incompatible_types',
        severity: 'error',
        message: `a lookup maps to a reference attribute through a reference mapping; ${field.name} is ${field.type}, ${attribute.key} is ${attribute.type}`,
      });
      return;
    }
    const targets = (field.referenceTo ?? []).map((target) =>
      target.toLowerCase().replace(/^pryzm__/, ''),
    );
    if (!targets.includes(fieldMapping.targetObject.toLowerCase().replace(/^pryzm__/, ''))) {
      problems.push({
        ...where,
        code: 'reference_target_mismatch',
        severity: 'error',
        message: `${field.name} looks up ${(field.referenceTo ?? []).join(' or ')}, not ${fieldMapping.targetObject}`,
      });
    }
    return;
  }
  for (const way of ['pull', 'push'] as const) {
    if (flow[way] && !isCompatible(attribute.type, field.type, way)) {
      problems.push({
        ...where,
        code: 'incompatible_types',
        severity: 'error',
        message: `${way === 'pull' ? 'pulling' : 'pushing'} a ${attribute.type} attribute ${way === 'pull' ? 'from' : 'to'} ${field.type} field ${field.name} is not possible (${attribute.type} ${way}s with: ${compatibleFieldTypes(attribute.type, way).join(', ')})`,
      });
      return;
    }
  }
  checkPicklists(fieldMapping, attribute, field, flow, where, problems);
  if (flow.writable) checkLimits(attribute, field, where, problems);
}

function checkPicklists(
  fieldMapping: Extract<FieldMapping, { kind: 'field' }>,
  attribute: AttributeDefinition,
  field: FieldDescribe,
  flow: { pull: boolean; push: boolean },
  where: { attribute: string; mapping: string; field: string },
  problems: MappingProblem[],
): void {
  if (attribute.type !== 'select' && attribute.type !== 'multi_select') return;
  const options = attribute.options;
  const picklist = ['picklist', 'multipicklist'].includes(field.type)
    ? activePicklistValues(field)
    : undefined;
  for (const pair of fieldMapping.valueMap ?? []) {
    if (picklist && !picklist.includes(pair.salesforce)) {
      problems.push({
        ...where,
        code: 'value_map_unknown_salesforce_value',
        severity: 'warning',
        message: `value map entry ${JSON.stringify(pair.salesforce)} is not an active value of ${field.name}`,
      });
    }
    if (!options.some((option) => option.value === pair.pryzm)) {
      problems.push({
        ...where,
        code: 'value_map_unknown_option',
        severity: 'error',
        message: `value map entry ${JSON.stringify(pair.pryzm)} is not an option of ${attribute.name}`,
      });
    }
  }
  if (flow.push) {
    const sources = new Map<string, string[]>();
    for (const pair of fieldMapping.valueMap ?? []) {
      sources.set(pair.pryzm, [...(sources.get(pair.pryzm) ?? []), pair.salesforce]);
    }
    for (const [option, values] of sources) {
      if (values.length < 2) continue;
      problems.push({
        ...where,
        code: 'value_map_many_to_one',
        severity: 'warning',
        message: `${values.map((value) => JSON.stringify(value)).join(', ')} all become ${JSON.stringify(option)}; pushing ${JSON.stringify(option)} sends ${JSON.stringify(values[0])}`,
      });
    }
  }
  if (!picklist) return;
  if (flow.pull) {
    const missing = picklist.filter(
      (value) => !pryzmOptionFor(value, options, fieldMapping.valueMap),
    );
    if (missing.length > 0) {
      problems.push({
        ...where,
        code: 'picklist_value_without_option',
        severity: 'warning',
        message: `${field.name} values ${missing.map((value) => JSON.stringify(value)).join(', ')} have no option in ${attribute.name}; records holding them keep ${attribute.key} unsynced`,
      });
    }
  }
  if (flow.push && field.restrictedPicklist) {
    const refused = options
      .map((option) => salesforceValueFor(option.value, fieldMapping.valueMap))
      .filter((value) => !picklist.includes(value));
    if (refused.length > 0) {
      problems.push({
        ...where,
        code: 'option_not_in_picklist',
        severity: 'warning',
        message: `options ${refused.map((value) => JSON.stringify(value)).join(', ')} are not values of restricted picklist ${field.name}; such values are not pushed`,
      });
    }
  }
}

function checkLimits(
  attribute: AttributeDefinition,
  field: FieldDescribe,
  where: { attribute: string; mapping: string; field: string },
  problems: MappingProblem[],
): void {
  const length = field.length ?? 0;
  const textual = ['string', 'textarea', 'email', 'phone', 'url', 'encryptedstring', 'combobox'];
  if (length > 0 && textual.includes(field.type)) {
    const attributeMax =
      attribute.type === 'text'
        ? attribute.maxLength
        : attribute.type === 'long_text'
          ? Infinity
          : undefined;
    if (attributeMax === undefined || attributeMax > length) {
      problems.push({
        ...where,
        code: 'text_longer_than_field',
        severity: 'warning',
        message: `${field.name} holds ${length} characters; longer ${attribute.name} values are reported and not pushed`,
      });
    }
  }
  const decimals =
    attribute.type === 'number' || attribute.type === 'currency' || attribute.type === 'percent'
      ? attribute.decimals
      : undefined;
  if (
    decimals !== undefined &&
    ['double', 'currency', 'percent'].includes(field.type) &&
    decimals > (field.scale ?? 0)
  ) {
    problems.push({
      ...where,
      code: 'decimals_exceed_scale',
      severity: 'warning',
      message: `${field.name} keeps ${field.scale ?? 0} decimals; ${attribute.name} values are rounded when pushed`,
    });
  }
}

function checkDuplicates(
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

function checkRequiredFields(
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

function checkPryzmIdField(
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

function checkMatchRules(
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
