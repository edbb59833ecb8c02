import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultForceAppDir } from '../../src/index.ts';
import { SETUP_STEPS } from '../../src/lightning/apex/setup-steps.ts';

/**
 * The local org's checklist table (src/lightning/apex/setup-steps.ts) follows the package's Apex:
 * the steps PryzmSetupChecks.steps() composes, in PryzmSetupChecks.STEP_ORDER, each with the key
 * its key() returns and the Custom Label its title() returns. Read from the classes' source, so
 * a step changed in the package fails here until the table follows.
 */
const classes = join(defaultForceAppDir() ?? 'force-app', 'main', 'default', 'classes');
const apex = (className: string) => readFileSync(join(classes, `${className}.cls`), 'utf8');

/** The single match of `pattern` in `text`, or a failure naming what was looked for. */
function only(text: string, pattern: RegExp, what: string): string {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`${what} not found`);
  return match[1];
}

/** The names listed between `opening` and the next `}` (a List<...>{ ... } literal). */
function listAfter(text: string, opening: string, item: RegExp): string[] {
  const start = text.indexOf(opening);
  if (start < 0) throw new Error(`${opening} not found`);
  const body = text.slice(start + opening.length, text.indexOf('}', start + opening.length));
  return [...body.matchAll(item)].map((match) => match[1]!);
}

describe('the local org setup checklist against the package Apex', () => {
  const checks = apex('PryzmSetupChecks');
  const keyOf = new Map(
    [...checks.matchAll(/public static final String (STEP_\w+) = '(\w+)';/g)].map((match) => [
      match[1]!,
      match[2]!,
    ]),
  );

  it('should have the steps of PryzmSetupChecks.steps(), in STEP_ORDER', () => {
    const stepOrder = listAfter(checks, 'STEP_ORDER = new List<String>{', /(STEP_\w+)/g);
    const classesInOrder = listAfter(checks, 'new List<PryzmSetupStep>{', /new (\w+)\(\)/g);
    expect(stepOrder.map((constant) => keyOf.get(constant))).toEqual(
      SETUP_STEPS.map((step) => step.key),
    );
    expect(classesInOrder).toEqual(SETUP_STEPS.map((step) => step.apexClass));
  });

  it.each(SETUP_STEPS.map((step) => [step.apexClass, step] as const))(
    'should take the key and title of %s',
    (className, step) => {
      const source = apex(className);
      const keyConstant = only(
        source,
        /String key\(\)\s*\{\s*return PryzmSetupChecks\.(STEP_\w+);/,
        `${className}.key()`,
      );
      expect(keyOf.get(keyConstant)).toBe(step.key);
      expect(
        only(
          source,
          /String title\(\)\s*\{\s*return System\.Label\.(\w+);/,
          `${className}.title()`,
        ),
      ).toBe(step.titleLabel);
    },
  );
});
