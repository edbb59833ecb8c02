import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  apexLiterals,
  labelFormats,
  labelReferences,
  looksLikeProse,
  placeholderCount,
  type ApexLiteral,
} from './apex-text.ts';
import { componentNames, read, sourceRoot, tagValue, tagValues } from './package-files.ts';

// Every text the package's Apex shows users comes from a Custom Label, so admins can translate it
// (Setup > Custom Labels, Translation Workbench) like the components' labels.
//
// The rule, per class:
// - Classes that build checklist items (every production class naming PryzmChecklistItem, which
//   includes the steps implementing PryzmSetupStep): a string literal containing a letter may only
//   be a `static final` constant's value that does not read as prose (API names, step keys,
//   protocol values such as job statuses), or an argument of `get`/`containsKey` (a member of the
//   service's JSON answer, a field name). So no literal can reach an item's title, detail or fix,
//   directly or through a variable.
// - Every other production class with @AuraEnabled members: no literal with a letter in what it
//   hands the user: a `reason` it sets, a `...Reason` method's result, or an exception message
//   (toAuraException, new AuraHandledException).
// - Every System.Label an Apex class reads exists; every String.format pattern is a label (or a
//   conditional choosing between labels) that gets at least as many arguments as its placeholders
//   and holds no apostrophe: String.format treats its pattern like apex:outputText (Apex
//   Reference, "String Class", format), whose value follows Java's MessageFormat syntax
//   (Visualforce Developer Guide, "apex:outputText"), where a single quote starts quoted text and
//   is dropped.

const labelsXml = read(join(sourceRoot, 'labels', 'CustomLabels.labels-meta.xml'));
const labelValues = new Map(
  tagValues(labelsXml, 'labels').map((label) => [
    tagValue(label, 'fullName') ?? '',
    (tagValue(label, 'value') ?? '').replace(/&quot;/g, '"').replace(/&apos;/g, "'"),
  ]),
);

const apex = new Map(
  componentNames('classes', '.cls').map((name) => [
    name,
    read(join(sourceRoot, 'classes', `${name}.cls`)),
  ]),
);
const production = [...apex].filter(([, source]) => !/^@IsTest\b/im.test(source));
const checklistClasses = production.filter(([, source]) => /\bPryzmChecklistItem\b/.test(source));
const otherControllers = production.filter(
  ([name, source]) =>
    /@AuraEnabled/.test(source) && !checklistClasses.some(([checklist]) => checklist === name),
);

/** Literals of a checklist class that could reach a user: none may remain. */
export function checklistTextLiterals(source: string): string[] {
  return apexLiterals(source)
    .filter(
      (literal) =>
        literal.allowedAs === undefined ||
        (literal.allowedAs === 'constant' && looksLikeProse(literal.value)),
    )
    .map(describe_);
}

const SINKS = /^(toAuraException|AuraHandledException|\w*Reason)$/;

/** Literals with words in what a controller hands the user: reasons and exception messages. */
export function controllerTextLiterals(source: string): string[] {
  const reasonAssignments = [...source.matchAll(/\.reason\s*=\s*([^;]*);/g)].map((m) => m[1]);
  const fromAssignments = reasonAssignments.flatMap((expression) =>
    [...expression.matchAll(/'((?:[^'\\]|\\.)*)'/g)]
      .map((match) => match[1])
      .filter((value) => /\p{L}/u.test(value)),
  );
  const fromSinks = apexLiterals(source)
    .filter((literal) => literal.allowedAs !== 'no-words')
    .filter((literal) => literal.enclosing.some((name) => SINKS.test(name)))
    .map(describe_);
  return [...fromAssignments, ...fromSinks];
}

function describe_(literal: ApexLiteral): string {
  return `${literal.line}: '${literal.value}'`;
}

describe('Apex text comes from Custom Labels', () => {
  it('finds the classes that build checklist items, one per step among them', () => {
    const names = checklistClasses.map(([name]) => name);
    expect(names).toContain('PryzmSetupChecks');
    expect(names).toContain('PryzmChecklistItem');
    expect(names.filter((name) => name.startsWith('PryzmSetupStep')).length).toBeGreaterThanOrEqual(
      10,
    );
    expect(otherControllers.map(([name]) => name)).toContain('PryzmPushController');
  });

  it.each(checklistClasses)('%s puts no literal text in a checklist item', (_name, source) => {
    expect(checklistTextLiterals(source)).toEqual([]);
  });

  it.each(otherControllers)('%s gives users reasons and errors from labels', (_name, source) => {
    expect(controllerTextLiterals(source)).toEqual([]);
  });

  it.each(production)('%s reads only Custom Labels that exist', (_name, source) => {
    expect(labelReferences(source).filter((label) => !labelValues.has(label))).toEqual([]);
  });

  it.each(production.filter(([, source]) => labelFormats(source).length > 0))(
    '%s formats labels with their arguments and no apostrophes',
    (_name, source) => {
      for (const format of labelFormats(source)) {
        expect(format.labels, `the pattern at line ${format.line} is a Custom Label`).not.toEqual(
          [],
        );
        for (const label of format.labels) {
          const value = labelValues.get(label) ?? '';
          expect(value, label).not.toContain("'");
          if (format.argumentCount !== undefined) {
            expect(format.argumentCount, `${label} at line ${format.line}`).toBeGreaterThanOrEqual(
              placeholderCount(value),
            );
          }
        }
      }
    },
  );

  it('every step title and message the checklist shows is a Pryzm_Check label', () => {
    const used = new Set(checklistClasses.flatMap(([, source]) => labelReferences(source)));
    const checkLabels = [...labelValues.keys()].filter((name) => name.startsWith('Pryzm_Check_'));
    expect(checkLabels.filter((name) => !used.has(name))).toEqual([]);
    expect([...used].filter((name) => !name.startsWith('Pryzm_Check_'))).toEqual([]);
  });
});

describe('the text rules catch what they are meant to', () => {
  const wrap = (body: string) => `public with sharing class Sample {\n${body}\n}`;

  it('flags a literal handed to a checklist item, directly or through a variable', () => {
    expect(
      checklistTextLiterals(wrap("void a(PryzmChecklistItem item) { item.complete('All set.'); }")),
    ).toEqual(["2: 'All set.'"]);
    expect(
      checklistTextLiterals(
        wrap(
          "void a(List<String> problems, String name) { problems.add(name + ' has no Pryzm ID field'); }",
        ),
      ),
    ).toEqual(["2: ' has no Pryzm ID field'"]);
    expect(
      checklistTextLiterals(
        wrap(
          "static final Map<String, String> LABELS = new Map<String, String>{ 'install' => 'Install the package' };",
        ),
      ),
    ).toEqual(["2: 'Install the package'"]);
  });

  it('allows names in constants, JSON members, separators and labels', () => {
    expect(
      checklistTextLiterals(
        wrap(
          [
            "public static final String STEP_FLOWS = 'flows';",
            "private static final String RECOMMENDED_LICENCE = 'Salesforce Integration';",
            'void a(Map<String, Object> body, List<String> names, PryzmChecklistItem item) {',
            "  Object version = body.get('version');",
            "  item.complete(String.format(System.Label.Pryzm_Check_Mapping_Complete, new List<Object>{ String.join(names, ', ') }));",
            '}',
          ].join('\n'),
        ),
      ),
    ).toEqual([]);
  });

  it('flags a controller reason or error written as a literal', () => {
    expect(
      controllerTextLiterals(
        wrap(
          [
            'static String denialReason(Boolean ok) {',
            "  if (!ok) { return 'You need edit access to this record to push it.'; }",
            '  return null;',
            '}',
            "void a(PushContext context, String objectName) { context.reason = objectName + ' records are not synced with Pryzm.'; }",
            "void b(String error) { throw toAuraException('The push request could not be published: ' + error); }",
            "void c() { throw new AuraHandledException('Something went wrong.'); }",
          ].join('\n'),
        ),
      ).length,
    ).toBe(4);
  });

  it("reads a format call's labels and arguments, and flags a pattern that is no label", () => {
    const formats = labelFormats(
      wrap(
        [
          'void a(String x, Boolean running, List<Object> args, String pattern) {',
          '  String s = String.format(System.Label.Pryzm_Check_Last_Sync_At, new List<Object>{ x });',
          '  String t = String.format(System.Label.Pryzm_Check_Fields_Missing, args);',
          '  String u = String.format(running ? System.Label.Pryzm_Check_First_Pull_Running : System.Label.Pryzm_Check_First_Pull_Queued, args);',
          "  String v = String.format('{0} records are not synced with Pryzm.', args);",
          '  String w = String.format(pattern, args);',
          '}',
        ].join('\n'),
      ),
    );
    expect(formats.map(({ labels, argumentCount }) => [labels, argumentCount])).toEqual([
      [['Pryzm_Check_Last_Sync_At'], 1],
      [['Pryzm_Check_Fields_Missing'], undefined],
      [['Pryzm_Check_First_Pull_Running', 'Pryzm_Check_First_Pull_Queued'], undefined],
      [[], undefined],
      [[], undefined],
    ]);
    expect(placeholderCount(labelValues.get('Pryzm_Check_Last_Sync_At') ?? '')).toBe(2);
    expect(placeholderCount('No placeholder.')).toBe(0);
  });
});
