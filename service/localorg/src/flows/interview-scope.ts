import type {
  EventBusHost,
  RecordChange,
  StoredRecord,
  WriteTransaction,
} from '../core/contracts.ts';
import { packageFieldValue } from '../events/package-names.ts';
import type { FlowDefinition } from './flow-model.ts';
import { evaluateFormula, type FormulaScope, type FormulaValue } from './formula.ts';

/**
 * What one Flow interview's formulas and conditions read: `$Record` and `$Record__Prior`, the
 * running user's `$Permission`s, `$Setup` custom settings, `$User`, `$Flow`, the interview's
 * variables and the Flow's formulas (each evaluated once per interview).
 */

/**
 * What every interview of one committed transaction shares: the running user's custom
 * permissions, looked up once per permission and transaction instead of once per record and
 * Flow (the transaction has one user, and nothing an interview does assigns permission sets).
 */
export interface TransactionContext {
  permissions: Map<string, boolean>;
}

export function fieldOf(record: StoredRecord | undefined, field: string): FormulaValue {
  if (!record) return null;
  if (field in record) return record[field] ?? null;
  const key = Object.keys(record).find((k) => k.toLowerCase() === field.toLowerCase());
  if (key !== undefined) return record[key] ?? null;
  return packageFieldValue(record, field) ?? null;
}

/** `$Record.Name` as `['$Record', 'Name']`, split once per reference a Flow holds. */
const splitRefs = new Map<string, [string, string]>();

function splitRef(ref: string): [string, string] {
  let split = splitRefs.get(ref);
  if (!split) {
    const [root = '', field = ''] = ref.split(/\.(.*)/s);
    split = [root, field];
    splitRefs.set(ref, split);
  }
  return split;
}

export class InterviewScope implements FormulaScope {
  private readonly record: StoredRecord | undefined;
  private readonly priorRecord: StoredRecord | undefined;
  private formulaValues: Map<string, FormulaValue> | undefined;

  constructor(
    private readonly host: EventBusHost,
    private readonly flow: FlowDefinition,
    private readonly tx: WriteTransaction,
    private readonly change: RecordChange,
    private readonly variables: Map<string, FormulaValue>,
    private readonly context: TransactionContext,
  ) {
    this.record = change.changeType === 'DELETE' ? change.before : change.after;
    this.priorRecord = change.changeType === 'UPDATE' ? change.before : undefined;
  }

  resolve(ref: string): FormulaValue {
    const [root, field] = splitRef(ref);
    const { tx } = this;
    switch (root) {
      case '$Record':
        return fieldOf(this.record, field);
      case '$Record__Prior':
        return fieldOf(this.priorRecord, field);
      case '$Permission': {
        let granted = this.context.permissions.get(field);
        if (granted === undefined) {
          granted = this.host.userHasCustomPermission(tx.orgId, tx.userId, field);
          this.context.permissions.set(field, granted);
        }
        return granted;
      }
      case '$Setup': {
        const [setting = '', settingField = ''] = field.split('.');
        const row = this.host.hierarchySetting?.(tx.orgId, tx.userId, setting);
        return row ? fieldOf(row, settingField) : null;
      }
      case '$User':
        return tx.userId;
      case '$Flow':
        return field === 'FaultMessage'
          ? (this.variables.get('$Flow.FaultMessage') ?? null)
          : new Date(tx.commitTimestamp).toISOString();
      default: {
        if (this.variables.has(ref)) return this.variables.get(ref)!;
        this.formulaValues ??= new Map();
        if (this.formulaValues.has(ref)) return this.formulaValues.get(ref)!;
        const formula = this.flow.formulas.get(ref);
        const value = formula ? evaluateFormula(formula, this) : null;
        this.formulaValues.set(ref, value);
        return value;
      }
    }
  }

  isNew(): boolean {
    return this.change.changeType === 'CREATE';
  }

  isChanged(ref: string): boolean {
    if (!this.priorRecord || !ref.startsWith('$Record.')) return false;
    const field = ref.slice('$Record.'.length);
    return fieldOf(this.priorRecord, field) !== fieldOf(this.record, field);
  }

  prior(ref: string): FormulaValue {
    return ref.startsWith('$Record.')
      ? fieldOf(this.priorRecord, ref.slice('$Record.'.length))
      : null;
  }
}
