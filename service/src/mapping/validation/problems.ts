import type { Direction } from '../field-mapping.ts';
import type { DescribeLookup } from '../describe-types.ts';
import type { FilterProblemCode } from '../filter.ts';

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
  | 'auto_push_without_push'
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

/** Whether a mapping direction writes to Salesforce (push) or reads from it (pull). */
export const pushes = (direction: Direction) => direction !== 'pull';
export const pulls = (direction: Direction) => direction !== 'push';

/** The report of a list of problems; valid when none is an error. */
export function report(problems: MappingProblem[]): ValidationReport {
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
