/**
 * The mapping core: pure functions that turn Salesforce records into Pryzm values and back,
 * validate mappings against describes and compare versions for conflicts. No I/O here.
 */
export {
  ATTRIBUTE_TYPES,
  attributeDefinitionSchema,
  attributeKeySchema,
  attributeValueSchema,
  selectOptionSchema,
  type AttributeDefinition,
  type AttributeType,
  type PryzmValue,
  type PryzmValues,
  type SelectOption,
} from './attribute-types.ts';
export {
  BUILT_IN_RECORD_TYPES,
  createPipelineFromSalesforceStages,
  findAttribute,
  ORGANIZATION_RECORD_TYPE,
  PERSON_RECORD_TYPE,
  PipelineStagesError,
  RECORD_TYPE_KINDS,
  recordTypeDefinitionSchema,
  recordValuesSchema,
  type PipelineFromStagesOptions,
  type RecordTypeDefinition,
  type RecordTypeKind,
} from './record-types.ts';
export {
  fieldDescribeSchema,
  findField,
  findRelationship,
  isRequiredOnCreate,
  isWritable,
  parseSObjectDescribe,
  sObjectDescribeSchema,
  type DescribeLookup,
  type FieldDescribe,
  type PicklistValueDescribe,
  type SalesforceFieldType,
  type SObjectDescribe,
} from './describe-types.ts';
export {
  DIRECTIONS,
  directionSchema,
  effectiveDirection,
  fieldMappingLabel,
  fieldMappingSchema,
  picklistValuePairSchema,
  salesforceFieldsOf,
  type Direction,
  type EffectiveDirection,
  type FieldMapping,
} from './field-mapping.ts';
export {
  CONFLICT_STRATEGIES,
  DEFAULT_DELETE_SETTINGS,
  DELETE_BEHAVIOURS,
  deleteSettingsSchema,
  type DeleteSettings,
  objectMappingSchema,
  scheduleSchema,
  type ConflictStrategy,
  type ObjectMapping,
  type Schedule,
} from './object-mapping.ts';
export {
  findPryzmIdField,
  PACKAGE_NAMESPACE,
  PRYZM_ID_FIELD,
  resolveField,
  resolveFieldPath,
  type ResolvedFieldPath,
} from './field-paths.ts';
export { readPath, type SalesforceRecord } from './record-paths.ts';
export {
  combineName,
  compileToPryzm,
  splitName,
  toPryzm,
  toSalesforce,
  type FieldResult,
  type FieldResultCode,
  type PryzmValuesOf,
  type ToPryzmContext,
  type ToPryzmResult,
  type ToSalesforceContext,
  type ToSalesforceResult,
} from './apply.ts';
export { coerceToPryzm, type PullCoercionOptions } from './coercion/to-pryzm.ts';
export {
  coerceToSalesforce,
  type PushCoercionOptions,
  type SalesforceValue,
} from './coercion/to-salesforce.ts';
export type { CoercionCode, Coerced } from './coercion/result.ts';
export type { PicklistValuePair } from './coercion/picklists.ts';
export {
  compatibleFieldTypes,
  isCompatible,
  type ValueDirection,
} from './coercion/compatibility.ts';
export { isValidTimeZone } from './coercion/values.ts';
export {
  FilterError,
  filterWhereClause,
  normaliseFilter,
  type FilterProblem,
  type FilterProblemCode,
  type FilterResult,
} from './filter.ts';
export {
  validateObjectMapping,
  type MappingProblem,
  type ValidationCode,
  type ValidationOptions,
  type ValidationReport,
} from './validation.ts';
export {
  attributeDirections,
  compareThreeWay,
  resolveThreeWay,
  valuesEqual,
  type FieldComparison,
  type FieldOutcome,
  type Resolution,
  type ResolveOptions,
  type Winner,
} from './three-way.ts';
export {
  pullOrder,
  validateMappingSet,
  type MappingSetCode,
  type MappingSetProblem,
} from './mapping-set.ts';
export {
  buildSelectQuery,
  MAX_IDS_PER_QUERY,
  queryFields,
  type SelectQueryOptions,
  type SelectQueryResult,
} from './query.ts';
export {
  defaultMatchRules,
  matchRuleSchema,
  normaliseCompanyName,
  normaliseDomain,
  normaliseEmailKey,
  normaliseMatchValue,
  normalisePhoneKey,
  pryzmMatchKey,
  pryzmMatchKeys,
  salesforceMatchKey,
  salesforceMatchKeys,
  type MatchNormaliser,
  type MatchRule,
} from './matching.ts';
export {
  createDefaultMappings,
  defaultAccountMapping,
  defaultContactMapping,
  defaultOpportunityMapping,
  fitMappingToDescribe,
  type DefaultMappings,
} from './defaults.ts';
