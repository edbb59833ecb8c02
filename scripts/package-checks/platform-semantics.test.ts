import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  componentNames,
  listFiles,
  packageFiles,
  read,
  rel,
  repoRoot,
  sourceRoot,
  tagValue,
  tagValues,
} from './package-files.ts';

// Platform behaviour that a source deploy accepts but a real org, a packaging run or a security
// review rejects, checked on the source as far as it can be without an org. Each check names the
// documented behaviour it stands for; `npm run org:test` in a namespaced scratch org is the proof.

const objectsDir = join(sourceRoot, 'objects');
const objectNames = [
  ...new Set(listFiles(objectsDir).map((path) => path.slice(objectsDir.length + 1).split('/')[0])),
];
const packageFields = new Set(
  objectNames.flatMap((name) =>
    existsSync(join(objectsDir, name, 'fields'))
      ? componentNames(join('objects', name, 'fields'), '.field-meta.xml')
      : [],
  ),
);
const events = objectNames.filter((name) => name.endsWith('__e'));
const flows = new Map(
  componentNames('flows', '.flow-meta.xml').map((name) => [
    name,
    read(join(sourceRoot, 'flows', `${name}.flow-meta.xml`)),
  ]),
);
const recordTriggered = [...flows].filter(([, xml]) =>
  /<triggerType>Record(AfterSave|BeforeSave|BeforeDelete)<\/triggerType>/.test(xml),
);
const apex = new Map(
  componentNames('classes', '.cls').map((name) => [
    name,
    read(join(sourceRoot, 'classes', `${name}.cls`)),
  ]),
);
const isTest = (source: string) => /^@IsTest\b/im.test(source);
const productionApex = [...apex].filter(([, source]) => !isTest(source));
const testApex = [...apex].filter(([, source]) => isTest(source));
const permissionSets = new Map(
  componentNames('permissionsets', '.permissionset-meta.xml').map((name) => [
    name,
    read(join(sourceRoot, 'permissionsets', `${name}.permissionset-meta.xml`)),
  ]),
);

/** Apex source without comments, so documentation that quotes code is not read as code. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
}

/** Every string literal of Apex code with the code just before it. */
function literalsWithContext(source: string): { literal: string; before: string }[] {
  const text = code(source);
  return [...text.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((match) => ({
    literal: match[1],
    before: text.slice(Math.max(0, (match.index ?? 0) - 80), match.index),
  }));
}

/** Events the package publishes itself: Apex `new X__e(` and Flow record creates. */
function eventsThePackagePublishes(): string[] {
  const fromApex = productionApex.flatMap(([, source]) =>
    [...code(source).matchAll(/new (\w+__e)\s*\(/g)].map((match) => match[1]),
  );
  const fromFlows = [...flows.values()].flatMap((xml) =>
    tagValues(xml, 'recordCreates')
      .map((create) =>
        tagValue(create.replace(/<inputAssignments>[\s\S]*?<\/inputAssignments>/g, ''), 'object'),
      )
      .filter((name): name is string => !!name && name.endsWith('__e')),
  );
  return [...new Set([...fromApex, ...fromFlows])].sort();
}

describe('package Flows in a subscriber org (FlowDefinitionView)', () => {
  // Object Reference, FlowDefinitionView: ApiName carries the namespace in an installed org,
  // IsActive only says whether the latest version is the active one, ActiveVersionId is set when
  // any version is active.
  const queries = productionApex.flatMap(([name, source]) =>
    [...code(source).matchAll(/\[\s*SELECT[^[\]]*?FROM\s+FlowDefinitionView[^[\]]*\]/gi)].map(
      (match) => [name, match[0]] as const,
    ),
  );

  it('the setup checks read FlowDefinitionView', () => {
    expect(queries.length).toBeGreaterThan(0);
  });

  it.each(queries)(
    '%s finds package Flows by NamespacePrefix and reads ActiveVersionId',
    (_name, query) => {
      expect(query).toMatch(/\bNamespacePrefix\s*=/);
      expect(query).toMatch(/\bActiveVersionId\b/);
      expect(query).not.toMatch(/\bIsActive\b/);
      expect(query).not.toMatch(/\bApiName\s+(IN|=|LIKE)\b/i);
    },
  );
});

describe('record-triggered Flows never block a save', () => {
  // Flow Builder, "Fault connectors": an element without a fault path fails the interview, and a
  // record-triggered Flow's failure rolls back the user's save or delete.
  it('there are record-triggered Flows', () => {
    expect(recordTriggered.length).toBeGreaterThan(0);
  });

  it.each(recordTriggered)(
    '%s has a fault path on every element that publishes or calls Apex',
    (_name, xml) => {
      const elements = [...tagValues(xml, 'recordCreates'), ...tagValues(xml, 'actionCalls')];
      expect(elements.length).toBeGreaterThan(0);
      for (const element of elements) {
        expect(tagValue(tagValue(element, 'faultConnector') ?? '', 'targetReference')).toBeTruthy();
      }
    },
  );

  it.each(recordTriggered)(
    '%s runs only while the Pryzm Settings change source is flows, and never for the integration user',
    (_name, xml) => {
      const entry = tagValue(tagValue(xml, 'start') ?? '', 'filterFormula') ?? '';
      expect(entry).toContain('{!$Setup.Pryzm_Settings__c.Change_Source__c}');
      expect(entry).toMatch(/NOT\(\{!\$Permission\.Pryzm_Integration\}\)/);
    },
  );

  it('the change source is a public hierarchy custom setting with a Text Change_Source__c', () => {
    // A protected setting is invisible to the API in subscriber orgs, and the service reads and
    // writes the org default row through REST as the integration user.
    const setting = read(
      join(objectsDir, 'Pryzm_Settings__c', 'Pryzm_Settings__c.object-meta.xml'),
    );
    expect(tagValue(setting, 'customSettingsType')).toBe('Hierarchy');
    expect(tagValue(setting, 'visibility')).toBe('Public');
    const field = read(
      join(objectsDir, 'Pryzm_Settings__c', 'fields', 'Change_Source__c.field-meta.xml'),
    );
    expect(tagValue(field, 'type')).toBe('Text');
  });
});

describe('push requests cannot be forged', () => {
  const published = eventsThePackagePublishes();

  it('the package publishes push requests and record changes itself', () => {
    expect(published).toEqual(
      expect.arrayContaining(['Pryzm_Push_Request__e', 'Pryzm_Record_Change__e']),
    );
  });

  it.each([...permissionSets])(
    '%s grants no Create on an event only the package publishes',
    (_name, xml) => {
      // With Create, any API-enabled user could publish the event directly and skip the checks
      // the Apex makes before publishing (AppExchange security review: authorization bypass).
      const creatable = tagValues(xml, 'objectPermissions')
        .filter((access) => tagValue(access, 'allowCreate') === 'true')
        .map((access) => tagValue(access, 'object'));
      expect(creatable.filter((name) => published.includes(name ?? ''))).toEqual([]);
    },
  );

  it('the push controller publishes only after checking the Pryzm_Push custom permission', () => {
    const source = code(apex.get('PryzmPushController') ?? '');
    expect(source).toMatch(/FeatureManagement\.checkPermission\(PUSH_PERMISSION\)/);
    expect(source).toMatch(/PUSH_PERMISSION = 'Pryzm_Push'/);
    expect(source).not.toMatch(/Pryzm_Push_Request__e\.isCreateable\(\)/);
  });

  it('result messages carry ids and a status only, no record data', () => {
    // Every user with Read on Pryzm_Sync_Result__e receives every result on empApi.
    expect(
      componentNames(join('objects', 'Pryzm_Sync_Result__e', 'fields'), '.field-meta.xml').sort(),
    ).toEqual(['Correlation_Id__c', 'Message__c', 'Pryzm_Id__c', 'Record_Id__c', 'Status__c']);
    expect(events).toContain('Pryzm_Sync_Result__e');
  });
});

describe('dynamic SOQL and field access name the package namespace', () => {
  // ISVforce Guide, "Namespace Prefix": the namespace is implied in static SOQL and typed field
  // references only; dynamic SOQL and SObject.get/put by name must carry the prefix, or they hit a
  // subscriber's own field of the same name.
  const fieldName = /\b([A-Za-z]\w*__c)\b/g;

  it.each(productionApex)('%s qualifies every package field in dynamic SOQL', (_name, source) => {
    const unqualified = literalsWithContext(source)
      .filter(({ literal }) => /\b(SELECT|FROM|WHERE|ORDER BY)\b/i.test(literal))
      .flatMap(({ literal }) => [...literal.matchAll(fieldName)].map((match) => match[1]))
      .filter((name) => packageFields.has(name));
    expect(unqualified).toEqual([]);
  });

  it.each(productionApex)(
    '%s reads and writes package fields by name only with the prefix',
    (_name, source) => {
      const text = code(source);
      const bare = [...text.matchAll(/\.(get|put)\(\s*'(\w+__c)'/g)]
        .map((match) => match[2])
        .filter((name) => packageFields.has(name));
      expect(bare).toEqual([]);
      for (const { literal, before } of literalsWithContext(source)) {
        if (packageFields.has(literal) && /\.(get|put)\(\s*[\w.()]*\s*\+\s*$/.test(before)) {
          expect(before).toMatch(/(prefix\(\)|[pP]refix)\s*\+\s*$/);
        }
      }
    },
  );

  it('the check finds an unqualified field in dynamic SOQL', () => {
    const broken = "String q = 'SELECT Id, Pryzm_ID__c FROM ' + objectName;";
    expect(
      literalsWithContext(broken).some(({ literal }) =>
        [...literal.matchAll(fieldName)].some((match) => packageFields.has(match[1])),
      ),
    ).toBe(true);
  });
});

describe('bulk Apex tests of the change Flows', () => {
  // A broken bypass formula is not validated by the platform and would echo every write; a Flow
  // that publishes per record must publish 200 events for 200 records. Only an org runs these tests
  // (`npm run org:test`); offline, their presence and shape are checked.
  const actionClasses = [
    ...new Set(
      recordTriggered.flatMap(([, xml]) =>
        tagValues(xml, 'actionCalls').map((call) => tagValue(call, 'actionName') ?? ''),
      ),
    ),
  ];
  const publishers = [
    ...actionClasses,
    ...productionApex
      .filter(([, source]) => /EventBus\.publish\(/.test(source))
      .map(([name]) => name),
  ].filter((name, index, all) => all.indexOf(name) === index);
  const changePublishers = publishers.filter((name) =>
    /Pryzm_Record_Change__e/.test(apex.get(name) ?? ''),
  );

  it('a class publishes the record change events of the Flows', () => {
    expect(changePublishers.length).toBeGreaterThan(0);
  });

  it.each(changePublishers.map((name) => [name]))(
    '%s has a test of 200 inserts, updates and deletes and of the integration user',
    (name) => {
      const tests = testApex.filter(([, source]) => new RegExp(`\\b${name}\\b`).test(source));
      const bulk = tests.find(([, source]) => /BULK_SIZE\s*=\s*200\b/.test(source));
      expect(bulk, `a test class of ${name} with BULK_SIZE = 200`).toBeDefined();
      const source = code(bulk?.[1] ?? '');
      for (const dml of ['insert', 'update', 'delete']) {
        expect(source).toMatch(new RegExp(`\\b${dml}\\s+\\w+;`));
      }
      for (const changeType of ['CREATE', 'UPDATE', 'DELETE']) {
        expect(source).toMatch(
          new RegExp(`Assert\\.areEqual\\(\\s*BULK_SIZE,\\s*published\\('${changeType}'\\)`),
        );
      }
      expect(source).toMatch(/Name\s*=\s*'Pryzm_Integration'/);
      expect(source).toMatch(/System\.runAs\(user\(INTEGRATION\)\)/);
      expect(source).toMatch(/Assert\.areEqual\(\s*0,\s*\w+\.publishedChanges\.size\(\)/);
    },
  );
});

describe('metadata text is stored as written', () => {
  // Metadata API stores element text verbatim: a description wrapped onto indented lines keeps the
  // line breaks and indentation in Setup.
  const TEXT_ELEMENTS = ['description', 'inlineHelpText', 'label', 'value'];

  it('prettier keeps the whitespace of XML text', () => {
    const config = JSON.parse(read(join(repoRoot, '.prettierrc'))) as {
      overrides: { files: string; options: Record<string, unknown> }[];
    };
    const xml = config.overrides.find((override) => override.files === '*-meta.xml');
    expect(xml?.options['xmlWhitespaceSensitivity']).not.toBe('ignore');
  });

  it('no description, help text or label starts or ends with whitespace', () => {
    const padded = packageFiles()
      .filter((path) => path.endsWith('-meta.xml'))
      .flatMap((path) =>
        TEXT_ELEMENTS.flatMap((tag) =>
          [...read(path).matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))]
            .filter((match) => match[1] !== match[1].trim())
            .map(() => `${rel(path)} <${tag}>`),
        ),
      );
    expect(padded).toEqual([]);
  });
});
