/**
 * Runs record-triggered Flows on every committed write (the package's in every org, an admin's in
 * their org): matches the trigger, checks the entry conditions (the integration user's bypass
 * permission, `$Setup` custom settings), follows decisions and assignments, publishes the
 * platform events of `recordCreates`, runs Apex actions through their native stand-ins and
 * queues outbound messages, sent once per message and transaction with every record the
 * transaction's interviews named (at most 100 notifications a message, as Salesforce batches
 * them). An element that fails follows its fault
 * connector when it has one (the interview then ends normally, as in Salesforce: "Flow Builder:
 * Fault Connectors"); without one the interview fails and is recorded in `failures`.
 */
import type {
  EventBusHost,
  FieldValue,
  PlatformEventPublisher,
  RecordChange,
  StoredRecord,
  WriteTransaction,
} from '../core/contracts.ts';
import { isPackageName } from '../events/package-names.ts';
import { evaluateConditionLogic } from './condition-logic.ts';
import type { OutboundMessageDefinition } from './flow-model.ts';
import type {
  ConditionGroup,
  FlowCondition,
  FlowDefinition,
  FlowElement,
  FlowValue,
} from './flow-model.ts';
import { evaluateFormula, isFormulaTrue, type FormulaScope, type FormulaValue } from './formula.ts';
import { InterviewScope, type TransactionContext } from './interview-scope.ts';

export interface FlowRunFailure {
  flow: string;
  recordId: string;
  errors: string[];
}

class FlowFault extends Error {}

/** Sends outbound messages once their transaction committed (and retries until acknowledged). */
export interface OutboundMessageSender {
  /** `records`: the records as the transaction left them, for the fields the message carries. */
  send(
    orgId: string,
    message: OutboundMessageDefinition,
    recordIds: string[],
    records?: ReadonlyMap<string, StoredRecord>,
  ): void;
}

/** Salesforce's limit of notifications in one outbound message. */
const MAX_NOTIFICATIONS = 100;

interface Interview {
  tx: WriteTransaction;
  change: RecordChange;
  scope: FormulaScope;
  variables: Map<string, FormulaValue>;
  /** Record ids per outbound message the transaction's interviews queued. */
  outbound: Map<OutboundMessageDefinition, Set<string>>;
}

/** Whether a change of the Flow's object starts it (the object itself is matched before). */
function triggers(flow: FlowDefinition, change: RecordChange): boolean {
  // Children a parent's delete took along run no triggers and no record-triggered Flows.
  if (change.cascadeDelete) return false;
  switch (flow.start.recordTriggerType) {
    case 'Create':
      return change.changeType === 'CREATE';
    case 'Update':
      return change.changeType === 'UPDATE';
    case 'CreateAndUpdate':
      return change.changeType === 'CREATE' || change.changeType === 'UPDATE';
    case 'Delete':
      return change.changeType === 'DELETE';
  }
}

const MAX_STEPS = 100;

export class FlowRunner {
  /** Flow runs that could not publish, newest last (REST-form error messages). */
  readonly failures: FlowRunFailure[] = [];
  /** Element failures a fault connector handled: the save went through, nothing was published. */
  readonly handledFaults: FlowRunFailure[] = [];
  private stop: (() => void) | undefined;
  /** Flows an admin loaded into one org, by org id and Flow name. */
  private readonly orgFlows = new Map<string, Map<string, FlowDefinition>>();

  constructor(
    private readonly host: EventBusHost,
    private readonly publisher: PlatformEventPublisher,
    private readonly flows: FlowDefinition[],
    private readonly outboundSender?: OutboundMessageSender,
  ) {}

  /** Adds Flows to one org; a Flow of the same name replaces the one loaded before. */
  addOrgFlows(orgId: string, flows: FlowDefinition[]): void {
    const loaded = this.orgFlows.get(orgId) ?? new Map<string, FlowDefinition>();
    for (const flow of flows) loaded.set(flow.name, flow);
    this.orgFlows.set(orgId, loaded);
  }

  /** The Flows that run in an org: the package's, then the org's own. */
  flowsOf(orgId: string): FlowDefinition[] {
    return [...this.flows, ...(this.orgFlows.get(orgId)?.values() ?? [])];
  }

  start(): void {
    this.stop ??= this.host.onCommit((tx) => this.runTransaction(tx));
  }

  close(): void {
    this.stop?.();
    this.stop = undefined;
  }

  runTransaction(tx: WriteTransaction): void {
    const flows = this.flowsOf(tx.orgId);
    const outbound = new Map<OutboundMessageDefinition, Set<string>>();
    const context: TransactionContext = { permissions: new Map() };
    // Which Flows are on each object, worked out once per object the transaction wrote.
    const flowsByObject = new Map<string, FlowDefinition[]>();
    for (const change of tx.changes) {
      let onObject = flowsByObject.get(change.objectName);
      if (!onObject) {
        onObject = flows.filter((flow) => isPackageName(change.objectName, flow.start.object));
        flowsByObject.set(change.objectName, onObject);
      }
      for (const flow of onObject) {
        if (!triggers(flow, change)) continue;
        try {
          this.runFlow(flow, tx, change, outbound, context);
        } catch (error) {
          // An unhandled fault fails the interview (in Salesforce, the user's save).
          // A failing Flow interview must not break the commit that already happened.
          this.failures.push({
            flow: flow.name,
            recordId: change.recordId,
            errors: (error as Error).message.split('; '),
          });
        }
      }
    }
    // Sent after the commit, outside the transaction, as Salesforce queues them, with the
    // records' values as the transaction left them.
    if (outbound.size === 0) return;
    const records = new Map<string, StoredRecord>();
    for (const change of tx.changes) if (change.after) records.set(change.recordId, change.after);
    for (const [message, ids] of outbound) {
      const recordIds = [...ids];
      for (let i = 0; i < recordIds.length; i += MAX_NOTIFICATIONS) {
        this.outboundSender!.send(
          tx.orgId,
          message,
          recordIds.slice(i, i + MAX_NOTIFICATIONS),
          records,
        );
      }
    }
  }

  private valueOf(value: FlowValue, scope: FormulaScope): FormulaValue {
    return value.kind === 'literal' ? value.value : scope.resolve(value.ref);
  }

  private conditionHolds(condition: FlowCondition, scope: FormulaScope): boolean {
    const right = this.valueOf(condition.right, scope);
    switch (condition.operator) {
      case 'IsNull': {
        const left = scope.resolve(condition.left);
        const isNull = left === null || left === '';
        return right === false ? !isNull : isNull;
      }
      case 'IsChanged':
        return right === false ? !scope.isChanged(condition.left) : scope.isChanged(condition.left);
      case 'EqualTo':
      case 'NotEqualTo': {
        const left = scope.resolve(condition.left);
        const equal = (left ?? '') === (right ?? '') || String(left ?? '') === String(right ?? '');
        return condition.operator === 'EqualTo' ? equal : !equal;
      }
    }
  }

  private groupHolds(group: ConditionGroup, scope: FormulaScope): boolean {
    return evaluateConditionLogic(
      group.logic,
      group.conditions.map((c) => this.conditionHolds(c, scope)),
    );
  }

  private runFlow(
    flow: FlowDefinition,
    tx: WriteTransaction,
    change: RecordChange,
    outbound: Interview['outbound'],
    context: TransactionContext,
  ): void {
    const variables = new Map<string, FormulaValue>();
    const scope = new InterviewScope(this.host, flow, tx, change, variables, context);
    if (
      flow.start.filterFormula &&
      !isFormulaTrue(evaluateFormula(flow.start.filterFormula, scope))
    )
      return;
    if (flow.start.filters && !this.groupHolds(flow.start.filters, scope)) return;
    // Queued for the transaction only when the interview ends well (a failed one sends nothing).
    const interview: Interview = { tx, change, scope, variables, outbound: new Map() };
    let next = flow.start.connector;
    for (let step = 0; next && step < MAX_STEPS; step++) {
      const element = flow.elements.get(next);
      if (!element) break;
      try {
        next = this.runElement(element, interview);
      } catch (error) {
        const faultConnector =
          element.kind === 'recordCreate' ||
          element.kind === 'actionCall' ||
          element.kind === 'outboundMessage'
            ? element.faultConnector
            : undefined;
        if (!faultConnector) throw error;
        const message = (error as Error).message;
        variables.set('$Flow.FaultMessage', message);
        this.handledFaults.push({ flow: flow.name, recordId: change.recordId, errors: [message] });
        next = faultConnector;
      }
    }
    for (const [message, ids] of interview.outbound) {
      const queued = outbound.get(message) ?? new Set<string>();
      for (const id of ids) queued.add(id);
      outbound.set(message, queued);
    }
  }

  /** Runs one element and names the next; throws a FlowFault when the element fails. */
  private runElement(element: FlowElement, interview: Interview): string | undefined {
    const { scope, tx, change, variables } = interview;
    switch (element.kind) {
      case 'decision': {
        const rule = element.rules.find((r) => this.groupHolds(r.group, scope));
        return rule ? rule.connector : element.defaultConnector;
      }
      case 'assignment':
        for (const item of element.items)
          variables.set(item.target, this.valueOf(item.value, scope));
        return element.connector;
      case 'recordCreate': {
        const fields: Record<string, FieldValue> = {};
        for (const assignment of element.assignments) {
          fields[assignment.field] = this.valueOf(assignment.value, scope);
        }
        this.publishOrFault(tx, element.object, fields);
        return element.connector;
      }
      case 'outboundMessage': {
        if (!this.outboundSender) throw new FlowFault('This org does not send outbound messages');
        const ids = interview.outbound.get(element.message) ?? new Set<string>();
        ids.add(change.recordId);
        interview.outbound.set(element.message, ids);
        return element.connector;
      }
      case 'actionCall': {
        const inputs = new Map<string, unknown>();
        for (const input of element.inputs) {
          inputs.set(input.name, this.actionInput(input.value, interview));
        }
        element.action({
          orgId: tx.orgId,
          userId: tx.userId,
          objectName: change.objectName,
          inputs,
          // The org default row is the one whose owner is the org itself.
          orgSetting: (name) => this.host.hierarchySetting?.(tx.orgId, tx.orgId, name),
          publish: (eventName, fields) =>
            this.publishOrFault(tx, eventName, fields as Record<string, FieldValue>),
          now: new Date(tx.commitTimestamp).toISOString(),
        });
        return element.connector;
      }
    }
  }

  /** `$Record` and `$Record__Prior` pass whole records to actions; anything else a value. */
  private actionInput(value: FlowValue, { change, scope }: Interview): unknown {
    const ref = value.kind === 'reference' ? value.ref : '';
    if (ref === '$Record') return change.changeType === 'DELETE' ? change.before : change.after;
    if (ref === '$Record__Prior') return change.changeType === 'UPDATE' ? change.before : undefined;
    return this.valueOf(value, scope);
  }

  private publishOrFault(
    tx: WriteTransaction,
    eventName: string,
    fields: Record<string, FieldValue>,
  ): void {
    const result = this.publisher.publish(tx.orgId, tx.userId, eventName, fields);
    if (!result.success) {
      throw new FlowFault(result.errors.map((e) => `${e.errorCode}: ${e.message}`).join('; '));
    }
  }
}
