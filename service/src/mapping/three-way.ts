import type { PryzmValue, PryzmValues } from './attribute-types.ts';
import { effectiveDirection, type EffectiveDirection } from './field-mapping.ts';
import type { ConflictStrategy, ObjectMapping } from './object-mapping.ts';

/**
 * Conflict detection compares three versions of a record in Pryzm value space: the base values
 * stored on the link at the last sync, the current Pryzm values, and the current Salesforce
 * record mapped with `toPryzm`.
 */

export type FieldOutcome =
  'unchanged' | 'pryzm_changed' | 'salesforce_changed' | 'both_changed_same' | 'conflict';

export interface FieldComparison {
  attribute: string;
  outcome: FieldOutcome;
  base: PryzmValue;
  pryzm: PryzmValue;
  salesforce: PryzmValue;
}

function normalise(value: PryzmValue | undefined): PryzmValue {
  if (value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.length === 0 ? null : [...value].sort();
  return value;
}

/** Equality of stored values: empty forms are equal, multi-select order does not count. */
export function valuesEqual(a: PryzmValue | undefined, b: PryzmValue | undefined): boolean {
  const left = normalise(a);
  const right = normalise(b);
  if (Array.isArray(left) && Array.isArray(right)) {
    return left.length === right.length && left.every((value, index) => value === right[index]);
  }
  if (typeof left === 'number' && typeof right === 'number') {
    return Math.abs(left - right) <= 1e-9 * Math.max(1, Math.abs(left), Math.abs(right));
  }
  return left === right;
}

/**
 * Compares each attribute across base, Pryzm and Salesforce. An attribute missing from one side
 * counts as unchanged on that side; a missing base counts as empty.
 */
export function compareThreeWay(
  base: PryzmValues,
  pryzm: PryzmValues,
  salesforce: PryzmValues,
  attributes: readonly string[] = [
    ...new Set([...Object.keys(base), ...Object.keys(pryzm), ...Object.keys(salesforce)]),
  ],
): FieldComparison[] {
  return attributes.map((attribute) => {
    const baseValue = normalise(base[attribute]);
    const pryzmValue = Object.hasOwn(pryzm, attribute) ? normalise(pryzm[attribute]) : baseValue;
    const salesforceValue = Object.hasOwn(salesforce, attribute)
      ? normalise(salesforce[attribute])
      : baseValue;
    const pryzmChanged = !valuesEqual(pryzmValue, baseValue);
    const salesforceChanged = !valuesEqual(salesforceValue, baseValue);
    let outcome: FieldOutcome = 'unchanged';
    if (pryzmChanged && salesforceChanged) {
      outcome = valuesEqual(pryzmValue, salesforceValue) ? 'both_changed_same' : 'conflict';
    } else if (pryzmChanged) outcome = 'pryzm_changed';
    else if (salesforceChanged) outcome = 'salesforce_changed';
    return { attribute, outcome, base: baseValue, pryzm: pryzmValue, salesforce: salesforceValue };
  });
}

type Instant = string | number | Date;

export interface ResolveOptions {
  strategy: ConflictStrategy;
  /** Where each attribute may flow (see `attributeDirections`); both ways when absent. */
  directions?: Readonly<Record<string, EffectiveDirection>>;
  /** Last change of the Pryzm record (record level), for `most_recent`. */
  pryzmModifiedAt?: Instant;
  /** Last change of the Salesforce record (`LastModifiedDate`), for `most_recent`. */
  salesforceModifiedAt?: Instant;
  /** Per-attribute change times, preferred over record-level times when present. */
  pryzmFieldModifiedAt?: Readonly<Record<string, Instant>>;
  salesforceFieldModifiedAt?: Readonly<Record<string, Instant>>;
}

export type Winner = 'pryzm' | 'salesforce' | 'none' | 'manual';

export interface Resolution {
  /** Attribute values to write into the Pryzm record (they came from Salesforce). */
  toPryzm: PryzmValues;
  /** Attribute values to push to Salesforce (through `toSalesforce`). */
  toSalesforce: PryzmValues;
  /** Base values to store on the link once the writes succeed. */
  nextBase: PryzmValues;
  /** Conflicts left for a person to decide (strategy `manual`, or no times to compare). */
  conflicts: FieldComparison[];
  decisions: Array<{ attribute: string; outcome: FieldOutcome; winner: Winner }>;
}

function toMillis(instant: Instant | undefined): number | undefined {
  if (instant === undefined) return undefined;
  const millis =
    instant instanceof Date
      ? instant.getTime()
      : typeof instant === 'number'
        ? instant
        : Date.parse(instant.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(millis) ? undefined : millis;
}

function conflictWinner(attribute: string, options: ResolveOptions): Winner {
  switch (options.strategy) {
    case 'salesforce_wins':
      return 'salesforce';
    case 'pryzm_wins':
      return 'pryzm';
    case 'manual':
      return 'manual';
    case 'most_recent': {
      const pryzmAt = toMillis(
        options.pryzmFieldModifiedAt?.[attribute] ?? options.pryzmModifiedAt,
      );
      const salesforceAt = toMillis(
        options.salesforceFieldModifiedAt?.[attribute] ?? options.salesforceModifiedAt,
      );
      if (pryzmAt === undefined || salesforceAt === undefined) return 'manual';
      // A tie goes to Salesforce, the system of record for the objects it owns.
      return pryzmAt > salesforceAt ? 'pryzm' : 'salesforce';
    }
  }
}

/**
 * Settles each compared field: one-sided changes flow to the other side (when the mapping lets
 * them), conflicts follow the strategy. Fields a side may not receive are left as they are.
 */
export function resolveThreeWay(
  comparisons: readonly FieldComparison[],
  options: ResolveOptions,
): Resolution {
  const resolution: Resolution = {
    toPryzm: {},
    toSalesforce: {},
    nextBase: {},
    conflicts: [],
    decisions: [],
  };
  for (const comparison of comparisons) {
    const { attribute, outcome } = comparison;
    const flow = options.directions?.[attribute] ?? { pull: true, push: true };
    let winner: Winner = 'none';
    if (outcome === 'pryzm_changed' && flow.push) winner = 'pryzm';
    else if (outcome === 'salesforce_changed' && flow.pull) winner = 'salesforce';
    else if (outcome === 'conflict') {
      if (flow.pull && flow.push) winner = conflictWinner(attribute, options);
      else if (flow.pull) winner = 'salesforce';
      else if (flow.push) winner = 'pryzm';
    }
    if (winner === 'pryzm') {
      resolution.toSalesforce[attribute] = comparison.pryzm;
      resolution.nextBase[attribute] = comparison.pryzm;
    } else if (winner === 'salesforce') {
      resolution.toPryzm[attribute] = comparison.salesforce;
      resolution.nextBase[attribute] = comparison.salesforce;
    } else if (winner === 'manual') {
      resolution.conflicts.push(comparison);
      resolution.nextBase[attribute] = comparison.base;
    } else {
      resolution.nextBase[attribute] =
        outcome === 'both_changed_same' ? comparison.pryzm : comparison.base;
    }
    resolution.decisions.push({ attribute, outcome, winner });
  }
  return resolution;
}

/** Per attribute, whether an object mapping lets values pull and push (any of its field mappings). */
export function attributeDirections(mapping: ObjectMapping): Record<string, EffectiveDirection> {
  const directions: Record<string, EffectiveDirection> = {};
  for (const fieldMapping of mapping.fields) {
    const flow = effectiveDirection(mapping.direction, fieldMapping);
    const known = directions[fieldMapping.attribute] ?? { pull: false, push: false };
    directions[fieldMapping.attribute] = {
      pull: known.pull || flow.pull,
      push: known.push || flow.push,
    };
  }
  return directions;
}
