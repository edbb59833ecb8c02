/** The part of Flow metadata the local org runs: record-triggered Flows that publish events. */
import type { FormulaNode } from './formula.ts';

export type FlowValue =
  { kind: 'literal'; value: string | number | boolean | null } | { kind: 'reference'; ref: string };

export type ConditionOperator = 'EqualTo' | 'NotEqualTo' | 'IsNull' | 'IsChanged';

export interface FlowCondition {
  left: string;
  operator: ConditionOperator;
  right: FlowValue;
}

/** `and`, `or` or custom logic such as `1 AND (2 OR 3)` over numbered conditions. */
export interface ConditionGroup {
  logic: string;
  conditions: FlowCondition[];
}

export type TriggerType = 'RecordAfterSave' | 'RecordBeforeDelete';
export type RecordTriggerType = 'Create' | 'Update' | 'CreateAndUpdate' | 'Delete';

export interface FlowStart {
  object: string;
  triggerType: TriggerType;
  recordTriggerType: RecordTriggerType;
  filterFormula: FormulaNode | undefined;
  filters: ConditionGroup | undefined;
  connector: string | undefined;
}

export interface FlowRecordCreate {
  kind: 'recordCreate';
  name: string;
  object: string;
  assignments: { field: string; value: FlowValue }[];
  connector: string | undefined;
}

export interface FlowDecision {
  kind: 'decision';
  name: string;
  rules: { name: string; group: ConditionGroup; connector: string | undefined }[];
  defaultConnector: string | undefined;
}

export type FlowElement = FlowRecordCreate | FlowDecision;

export interface FlowDefinition {
  /** The Flow's API name (its file name). */
  name: string;
  label: string;
  start: FlowStart;
  formulas: Map<string, FormulaNode>;
  elements: Map<string, FlowElement>;
}
