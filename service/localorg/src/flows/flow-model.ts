/**
 * The part of Flow metadata the local org runs: record-triggered Flows that publish events,
 * directly or through the package's Apex actions (run by native stand-ins), with fault paths.
 */
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
  /** Where the interview goes when the element fails; without one the Flow fails. */
  faultConnector: string | undefined;
}

/** What a native stand-in of an invocable Apex action receives for one interview. */
export interface ActionInvocation {
  orgId: string;
  userId: string;
  /** API name of the object that triggered the Flow, as the org names it. */
  objectName: string;
  /** Input parameters by name: field values, or whole records for `$Record`/`$Record__Prior`. */
  inputs: Map<string, unknown>;
  /** The org-level default row of a hierarchy custom setting. */
  orgSetting(settingName: string): Record<string, unknown> | undefined;
  /** Publishes a platform event as the running user; throws a Flow fault on failure. */
  publish(eventName: string, fields: Record<string, unknown>): void;
  /** The interview's time, ISO 8601. */
  now: string;
}

/** An invocable action the local org runs in place of the Apex class of the same name. */
export type NativeAction = (invocation: ActionInvocation) => void;

export interface FlowActionCall {
  kind: 'actionCall';
  name: string;
  actionName: string;
  action: NativeAction;
  inputs: { name: string; value: FlowValue }[];
  connector: string | undefined;
  faultConnector: string | undefined;
}

/** A Workflow outbound message, as `outbound-message-definitions.ts` reads it. */
export interface OutboundMessageDefinition {
  /** The object the message is defined on, as the workflow file names it. */
  object: string;
  /** The unique name within the object. */
  fullName: string;
  label: string;
  endpointUrl: string;
  /** Fields the message carries besides `Id`. */
  fields: string[];
  /** The user the message is sent as (its username). */
  integrationUser: string;
}

/**
 * An outbound message action (`actionType` `outboundMessage`, `actionName` `<Object>.<name>`):
 * queues the triggering record for the message, sent once the transaction committed.
 */
export interface FlowOutboundMessage {
  kind: 'outboundMessage';
  name: string;
  message: OutboundMessageDefinition;
  connector: string | undefined;
  faultConnector: string | undefined;
}

/** Assignment of values to Flow variables (`Assign` only). */
export interface FlowAssignment {
  kind: 'assignment';
  name: string;
  items: { target: string; value: FlowValue }[];
  connector: string | undefined;
}

export interface FlowDecision {
  kind: 'decision';
  name: string;
  rules: { name: string; group: ConditionGroup; connector: string | undefined }[];
  defaultConnector: string | undefined;
}

export type FlowElement =
  FlowRecordCreate | FlowDecision | FlowActionCall | FlowOutboundMessage | FlowAssignment;

export interface FlowDefinition {
  /** The Flow's API name (its file name). */
  name: string;
  label: string;
  start: FlowStart;
  formulas: Map<string, FormulaNode>;
  /** Non-collection variables by name, with their data type. */
  variables: Map<string, string>;
  elements: Map<string, FlowElement>;
}
