import type { AttributeDefinition } from '../attribute-types.ts';
import { compatibleFieldTypes, isCompatible } from '../coercion/compatibility.ts';
import { activePicklistValues, pryzmOptionFor, salesforceValueFor } from '../coercion/picklists.ts';
import { isWritable, type FieldDescribe, type SObjectDescribe } from '../describe-types.ts';
import {
  effectiveDirection,
  fieldMappingLabel,
  salesforceFieldsOf,
  type FieldMapping,
} from '../field-mapping.ts';
import { resolveFieldPath } from '../field-paths.ts';
import type { ObjectMapping } from '../object-mapping.ts';
import { findAttribute, type RecordTypeDefinition } from '../record-types.ts';
import { type MappingProblem, type ValidationOptions } from './problems.ts';

/*
 * The checks of one field mapping: the field exists (or its parent path does), the write is one
 * Salesforce accepts, the types are compatible both ways, picklist values map, and values fit
 * the field's length and scale.
 */

export function checkFieldMapping(
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
