/**
 * Runs the package's record-triggered Flows on every committed write: matches the trigger,
 * checks the entry conditions (including the integration user's bypass permission), follows
 * decisions and publishes the platform events of `recordCreates` after commit.
 */
import type {
  EventBusHost,
  FieldValue,
  PlatformEventPublisher,
  RecordChange,
  StoredRecord,
  WriteTransaction,
} from '../core/contracts.ts';
import { isPackageName, packageFieldValue } from '../events/package-names.ts';
import { evaluateConditionLogic } from './condition-logic.ts';
import type { ConditionGroup, FlowCondition, FlowDefinition, FlowValue } from './flow-model.ts';
import { evaluateFormula, isFormulaTrue, type FormulaScope, type FormulaValue } from './formula.ts';

export interface FlowRunFailure {
  flow: string;
  recordId: string;
  errors: string[];
}

function triggers(flow: FlowDefinition, change: RecordChange): boolean {
  if (!isPackageName(change.objectName, flow.start.object)) return false;
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

function fieldOf(record: StoredRecord | undefined, field: string): FormulaValue {
  if (!record) return null;
  if (field in record) return record[field] ?? null;
  const key = Object.keys(record).find((k) => k.toLowerCase() === field.toLowerCase());
  if (key !== undefined) return record[key] ?? null;
  return packageFieldValue(record, field) ?? null;
}

const MAX_STEPS = 100;

export class FlowRunner {
  /** Flow runs that could not publish, newest last (REST-form error messages). */
  readonly failures: FlowRunFailure[] = [];
  private stop: (() => void) | undefined;

  constructor(
    private readonly host: EventBusHost,
    private readonly publisher: PlatformEventPublisher,
    private readonly flows: FlowDefinition[],
  ) {}

  start(): void {
    this.stop ??= this.host.onCommit((tx) => this.runTransaction(tx));
  }

  close(): void {
    this.stop?.();
    this.stop = undefined;
  }

  runTransaction(tx: WriteTransaction): void {
    for (const change of tx.changes) {
      for (const flow of this.flows) {
        if (!triggers(flow, change)) continue;
        try {
          this.runFlow(flow, tx, change);
        } catch (error) {
          // A failing Flow interview must not break the commit that already happened.
          this.failures.push({
            flow: flow.name,
            recordId: change.recordId,
            errors: [(error as Error).message],
          });
        }
      }
    }
  }

  private scope(flow: FlowDefinition, tx: WriteTransaction, change: RecordChange): FormulaScope {
    const record = change.changeType === 'DELETE' ? change.before : change.after;
    const prior = change.changeType === 'UPDATE' ? change.before : undefined;
    const now = new Date(tx.commitTimestamp).toISOString();
    const formulaCache = new Map<string, FormulaValue>();
    const scope: FormulaScope = {
      resolve: (ref) => {
        const [root, field = ''] = ref.split(/\.(.*)/s);
        switch (root) {
          case '$Record':
            return fieldOf(record, field);
          case '$Record__Prior':
            return fieldOf(prior, field);
          case '$Permission':
            return this.host.userHasCustomPermission(tx.orgId, tx.userId, field);
          case '$User':
            return tx.userId;
          case '$Flow':
            return now;
          default: {
            if (formulaCache.has(ref)) return formulaCache.get(ref)!;
            const formula = flow.formulas.get(ref);
            const value = formula ? evaluateFormula(formula, scope) : null;
            formulaCache.set(ref, value);
            return value;
          }
        }
      },
      isNew: () => change.changeType === 'CREATE',
      isChanged: (ref) => {
        if (!prior || !ref.startsWith('$Record.')) return false;
        const field = ref.slice('$Record.'.length);
        return fieldOf(prior, field) !== fieldOf(record, field);
      },
      prior: (ref) =>
        ref.startsWith('$Record.') ? fieldOf(prior, ref.slice('$Record.'.length)) : null,
    };
    return scope;
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

  private runFlow(flow: FlowDefinition, tx: WriteTransaction, change: RecordChange): void {
    const scope = this.scope(flow, tx, change);
    if (
      flow.start.filterFormula &&
      !isFormulaTrue(evaluateFormula(flow.start.filterFormula, scope))
    )
      return;
    if (flow.start.filters && !this.groupHolds(flow.start.filters, scope)) return;
    let next = flow.start.connector;
    for (let step = 0; next && step < MAX_STEPS; step++) {
      const element = flow.elements.get(next);
      if (!element) return;
      if (element.kind === 'decision') {
        const rule = element.rules.find((r) => this.groupHolds(r.group, scope));
        next = rule ? rule.connector : element.defaultConnector;
        continue;
      }
      const fields: Record<string, FieldValue> = {};
      for (const assignment of element.assignments) {
        fields[assignment.field] = this.valueOf(assignment.value, scope);
      }
      const result = this.publisher.publish(tx.orgId, tx.userId, element.object, fields);
      if (!result.success) {
        this.failures.push({
          flow: flow.name,
          recordId: change.recordId,
          errors: result.errors.map((e) => `${e.errorCode}: ${e.message}`),
        });
      }
      next = element.connector;
    }
  }
}
