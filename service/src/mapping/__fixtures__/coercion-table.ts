import { expect, it } from 'vitest';
import type { AttributeDefinition } from '../attribute-types.ts';
import { compatibleFieldTypes, type ValueDirection } from '../coercion/compatibility.ts';
import type { Coerced, CoercionCode } from '../coercion/result.ts';
import type { FieldDescribe } from '../describe-types.ts';
import { attributes } from './attributes.ts';
import { fieldOf, projectDescribe } from './describes.ts';

/**
 * What the pull (to-pryzm.test.ts) and push (to-salesforce.test.ts) coercion tables share: the
 * fields their rows name, and the checks that a table covers the compatibility table
 * (coercion/compatibility.ts) in its direction.
 */

/** The Account a reference attribute's linked record stands for in Salesforce. */
export const ACCOUNT_ID = '001000000000001AAA';

/** A field of the Project__c fixture, whose custom fields span the types the tables use. */
export const projectField = (name: string): FieldDescribe => fieldOf(projectDescribe, name);

/** A nillable, writable custom field of a type the fixture objects lack. */
export const syntheticField = (
  type: string,
  extra: Partial<FieldDescribe> = {},
): FieldDescribe => ({
  name: `Synthetic_${type}__c`,
  type,
  nillable: true,
  createable: true,
  updateable: true,
  ...extra,
});

/** Every attribute of the fixtures against each Salesforce field type the direction allows. */
export function compatiblePairs(direction: ValueDirection): [AttributeDefinition, string][] {
  return Object.values(attributes).flatMap((attribute) =>
    compatibleFieldTypes(attribute.type, direction).map(
      (fieldType): [AttributeDefinition, string] => [attribute, fieldType],
    ),
  );
}

/**
 * The two coverage cases of a coercion table: it has rows for every attribute type, and for
 * every attribute type against every field type the compatibility table allows in `direction`.
 */
export function itCoversEveryCompatiblePair(
  rows: readonly { attribute: AttributeDefinition; field?: FieldDescribe }[],
  direction: ValueDirection,
): void {
  it('covers every attribute type', () => {
    const covered = new Set(rows.map((row) => row.attribute.type));
    expect([...covered].sort()).toEqual(
      Object.values(attributes)
        .map((attribute) => attribute.type)
        .sort(),
    );
  });

  const verb = direction === 'pull' ? 'pulls from' : 'pushes to';
  it(`covers every attribute type against every Salesforce field type it ${verb}`, () => {
    const covered = new Set(rows.map((row) => `${row.attribute.type}:${row.field?.type}`));
    const missing = compatiblePairs(direction)
      .map(([attribute, fieldType]) => `${attribute.type}:${fieldType}`)
      .filter((pair) => !covered.has(pair));
    expect(missing).toEqual([]);
  });
}

/** What a table row expects of one coercion: a refusal with its code, or a value. */
export interface ExpectedCoercion {
  /** The refusal's code; without it the row expects `value`. */
  code?: CoercionCode;
  /** What the refusal's reason says (every refusal gives one). */
  reason?: RegExp;
  value?: unknown;
  /** What the note on a value carried across says. */
  note?: RegExp;
}

/** Checks one coercion's answer against its table row. */
export function expectCoerced(result: Coerced<unknown>, expected: ExpectedCoercion): void {
  if (expected.code) {
    expect(result).toMatchObject({ ok: false, code: expected.code });
    const reason = result.ok ? '' : result.reason;
    expect(reason).not.toBe('');
    if (expected.reason) expect(reason).toMatch(expected.reason);
  } else {
    expect(result).toEqual(expect.objectContaining({ ok: true, value: expected.value }));
    if (expected.note) expect(result.ok && result.note).toMatch(expected.note);
  }
}
