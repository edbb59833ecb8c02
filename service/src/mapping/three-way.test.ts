import { describe, expect, it } from 'vitest';
import type { PryzmValue, PryzmValues } from './attribute-types.ts';
import { defaultContactMapping } from './defaults.ts';
import type { ObjectMapping } from './object-mapping.ts';
import {
  attributeDirections,
  compareThreeWay,
  resolveThreeWay,
  valuesEqual,
  type FieldOutcome,
} from './three-way.ts';

describe('compareThreeWay', () => {
  it.each<
    [string, PryzmValue | undefined, PryzmValue | undefined, PryzmValue | undefined, FieldOutcome]
  >([
    ['nothing changed', 'a', 'a', 'a', 'unchanged'],
    ['Pryzm changed', 'a', 'b', 'a', 'pryzm_changed'],
    ['Salesforce changed', 'a', 'a', 'c', 'salesforce_changed'],
    ['both changed alike', 'a', 'b', 'b', 'both_changed_same'],
    ['both changed differently', 'a', 'b', 'c', 'conflict'],
    ['Pryzm cleared it', 'a', null, 'a', 'pryzm_changed'],
    ['blank and null are the same', null, '', null, 'unchanged'],
    ['empty multi-select is null', null, [], null, 'unchanged'],
    ['multi-select order does not count', ['x', 'y'], ['y', 'x'], ['x', 'y'], 'unchanged'],
    ['multi-select gained a value', ['x'], ['x'], ['x', 'z'], 'salesforce_changed'],
    ['float noise is not a change', 0.3, 0.1 + 0.2, 0.3, 'unchanged'],
    ['never synced, both agree', undefined, 'a', 'a', 'both_changed_same'],
    ['never synced, both differ', undefined, 'a', 'b', 'conflict'],
    ['absent on Pryzm side counts as unchanged', 'a', undefined, 'c', 'salesforce_changed'],
    ['absent on Salesforce side counts as unchanged', 'a', 'b', undefined, 'pryzm_changed'],
    ['booleans', false, true, false, 'pryzm_changed'],
  ])('%s', (_name, base, pryzm, salesforce, outcome) => {
    const side = (value: PryzmValue | undefined): PryzmValues =>
      value === undefined ? {} : { field: value };
    const [comparison] = compareThreeWay(side(base), side(pryzm), side(salesforce), ['field']);
    expect(comparison?.outcome).toBe(outcome);
  });

  it('compares the union of attributes by default', () => {
    const result = compareThreeWay({ a: 1 }, { a: 1, b: 'x' }, { c: true });
    expect(result.map((comparison) => [comparison.attribute, comparison.outcome])).toEqual([
      ['a', 'unchanged'],
      ['b', 'pryzm_changed'],
      ['c', 'salesforce_changed'],
    ]);
  });

  it('valuesEqual treats different types as different', () => {
    expect(valuesEqual('1', 1)).toBe(false);
    expect(valuesEqual(['a'], 'a')).toBe(false);
  });
});

describe('resolveThreeWay', () => {
  const base = { title: 'CFO', phone: '1', email: 'a@x.io', city: 'Paris' };
  const pryzm = { title: 'CEO', phone: '2', email: 'a@x.io', city: 'Lyon' };
  const salesforce = { title: 'CTO', phone: '1', email: 'b@x.io', city: 'Lyon' };
  const comparisons = compareThreeWay(base, pryzm, salesforce);

  it('sends one-sided changes across and keeps agreeing changes as the new base', () => {
    const result = resolveThreeWay(comparisons, { strategy: 'manual' });
    expect(result.toSalesforce).toEqual({ phone: '2' });
    expect(result.toPryzm).toEqual({ email: 'b@x.io' });
    expect(result.conflicts.map((conflict) => conflict.attribute)).toEqual(['title']);
    expect(result.nextBase).toEqual({ title: 'CFO', phone: '2', email: 'b@x.io', city: 'Lyon' });
  });

  it.each([
    ['salesforce_wins', { toPryzm: 'CTO' }],
    ['pryzm_wins', { toSalesforce: 'CEO' }],
  ] as const)('%s settles the conflict', (strategy, expected) => {
    const result = resolveThreeWay(comparisons, { strategy });
    expect(result.conflicts).toEqual([]);
    if ('toPryzm' in expected) expect(result.toPryzm.title).toBe(expected.toPryzm);
    else expect(result.toSalesforce.title).toBe(expected.toSalesforce);
    expect(result.nextBase.title).toBe(
      'toPryzm' in expected ? expected.toPryzm : expected.toSalesforce,
    );
  });

  it('most_recent compares modification times, Salesforce offsets included', () => {
    const pryzmLater = resolveThreeWay(comparisons, {
      strategy: 'most_recent',
      pryzmModifiedAt: '2026-01-31T23:31:00.000Z',
      salesforceModifiedAt: '2026-01-31T23:30:00.000+0000',
    });
    expect(pryzmLater.toSalesforce.title).toBe('CEO');
    const salesforceLater = resolveThreeWay(comparisons, {
      strategy: 'most_recent',
      pryzmModifiedAt: new Date('2026-01-31T22:00:00Z'),
      salesforceModifiedAt: '2026-02-01T00:30:00.000+0100',
    });
    expect(salesforceLater.toPryzm.title).toBe('CTO');
    const tie = resolveThreeWay(comparisons, {
      strategy: 'most_recent',
      pryzmModifiedAt: 1_000,
      salesforceModifiedAt: 1_000,
    });
    expect(tie.toPryzm.title).toBe('CTO');
  });

  it('most_recent prefers per-field times and leaves the conflict when times are missing', () => {
    const perField = resolveThreeWay(comparisons, {
      strategy: 'most_recent',
      pryzmModifiedAt: '2026-01-01T00:00:00Z',
      salesforceModifiedAt: '2026-01-02T00:00:00Z',
      pryzmFieldModifiedAt: { title: '2026-01-03T00:00:00Z' },
    });
    expect(perField.toSalesforce.title).toBe('CEO');
    const unknown = resolveThreeWay(comparisons, {
      strategy: 'most_recent',
      pryzmModifiedAt: 'not a date',
    });
    expect(unknown.conflicts.map((conflict) => conflict.attribute)).toEqual(['title']);
    expect(unknown.decisions.find((decision) => decision.attribute === 'title')?.winner).toBe(
      'manual',
    );
  });

  it('honours the mapping direction of each attribute', () => {
    const mapping: ObjectMapping = {
      ...defaultContactMapping(),
      fields: [
        { kind: 'field', salesforceField: 'Title', attribute: 'title', direction: 'pull' },
        { kind: 'field', salesforceField: 'Phone', attribute: 'phone', direction: 'pull' },
        { kind: 'field', salesforceField: 'Email', attribute: 'email', direction: 'push' },
        {
          kind: 'field',
          salesforceField: 'MailingCity',
          attribute: 'city',
          direction: 'bidirectional',
        },
      ],
    };
    const directions = attributeDirections(mapping);
    expect(directions).toMatchObject({
      title: { pull: true, push: false },
      email: { pull: false, push: true },
    });
    const result = resolveThreeWay(comparisons, { strategy: 'pryzm_wins', directions });
    // title: conflict, but only pull is allowed, so Salesforce's value wins.
    expect(result.toPryzm).toEqual({ title: 'CTO' });
    // phone changed in Pryzm only and may not be pushed; email changed in Salesforce and may not be pulled.
    expect(result.toSalesforce).toEqual({});
    expect(result.nextBase).toMatchObject({ phone: '1', email: 'a@x.io' });
  });
});
