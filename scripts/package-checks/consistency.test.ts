import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  componentNames,
  listFiles,
  read,
  sourceRoot,
  tagValue,
  tagValues,
} from './package-files.ts';

// Every name that Flows, Apex, LWC and permission sets use must exist in the package (or, for
// standard fields, in Salesforce's describe of the object).

const standardFields: Record<string, string[]> = JSON.parse(
  read(join(import.meta.dirname, 'data', 'standard-fields.json')),
).fields;

const objectsDir = join(sourceRoot, 'objects');
const objectNames = listFiles(objectsDir)
  .map((path) => path.slice(objectsDir.length + 1).split('/')[0])
  .filter((name, index, all) => all.indexOf(name) === index);
const fieldsByObject = new Map(
  objectNames.map((name) => [
    name,
    existsSync(join(objectsDir, name, 'fields'))
      ? componentNames(join('objects', name, 'fields'), '.field-meta.xml')
      : [],
  ]),
);
const events = objectNames.filter((name) => name.endsWith('__e'));
const syncedObjects = objectNames.filter((name) => !name.includes('__'));
// Custom settings are objects of the package too, not synced ones.
const customPermissions = componentNames('customPermissions', '.customPermission-meta.xml');
const permissionSets = componentNames('permissionsets', '.permissionset-meta.xml');
const flows = componentNames('flows', '.flow-meta.xml');
const tabs = componentNames('tabs', '.tab-meta.xml');
const flexipages = componentNames('flexipages', '.flexipage-meta.xml');
const namedCredentials = componentNames('namedCredentials', '.namedCredential-meta.xml');
const externalCredentials = componentNames('externalCredentials', '.externalCredential-meta.xml');
const channels = componentNames('platformEventChannels', '.platformEventChannel-meta.xml');
const lwcBundles = componentNames('lwc', '.js-meta.xml');
const applications = componentNames('applications', '.app-meta.xml');
const apexSources = new Map(
  componentNames('classes', '.cls').map((name) => [
    name,
    read(join(sourceRoot, 'classes', `${name}.cls`)),
  ]),
);
const productionApex = [...apexSources].filter(([, source]) => !/^@IsTest\b/im.test(source));

function fieldExists(objectName: string, field: string): boolean {
  return (
    (fieldsByObject.get(objectName) ?? []).includes(field) ||
    (standardFields[objectName] ?? []).includes(field)
  );
}

function requiredEventFields(eventName: string): string[] {
  return (fieldsByObject.get(eventName) ?? []).filter((field) =>
    /<required>true<\/required>/.test(
      read(join(objectsDir, eventName, 'fields', `${field}.field-meta.xml`)),
    ),
  );
}

function lwcTargets(bundle: string): string[] {
  return tagValues(read(join(sourceRoot, 'lwc', bundle, `${bundle}.js-meta.xml`)), 'target');
}

function stringLiterals(source: string): string[] {
  return [...source.matchAll(/'([^'\\]*)'/g)].map((match) => match[1]);
}

/** @AuraEnabled members (methods and properties) of an Apex class, inner classes included. */
function auraEnabledMembers(source: string): string[] {
  return [
    ...source.matchAll(
      /@AuraEnabled(?:\([^)]*\))?\s+public\s+(?:static\s+)?[\w<>,. ]+?\s(\w+)\s*[(;=]/g,
    ),
  ].map((match) => match[1]);
}

describe('Flows', () => {
  const ALLOWED_ELEMENTS = [
    'actionCalls',
    'apiVersion',
    'assignments',
    'decisions',
    'description',
    'environments',
    'formulas',
    'interviewLabel',
    'label',
    'processType',
    'recordCreates',
    'start',
    'status',
    'variables',
  ];
  const ALLOWED_FUNCTIONS = ['IF', 'ISNEW', 'ISCHANGED', 'ISBLANK', 'NOT', 'AND', 'OR', 'TEXT'];
  const GLOBAL_REFERENCES = [
    '$User.Id',
    '$Flow.CurrentDateTime',
    '$Flow.FaultMessage',
    '$Record',
    '$Record__Prior',
  ];
  const customSettings = objectNames.filter(
    (name) =>
      existsSync(join(objectsDir, name, `${name}.object-meta.xml`)) &&
      /<customSettingsType>Hierarchy<\/customSettingsType>/.test(
        read(join(objectsDir, name, `${name}.object-meta.xml`)),
      ),
  );

  /** @InvocableVariable names of an Apex class, when it has an @InvocableMethod. */
  function invocableVariables(className: string): string[] | undefined {
    const source = apexSources.get(className);
    if (!source || !/@InvocableMethod\b/.test(source)) return undefined;
    return [...source.matchAll(/@InvocableVariable\b[^\n]*\n\s*public\s+[\w<>]+\s+(\w+);/g)].map(
      (match) => match[1],
    );
  }

  it('covers change and delete for every synced object', () => {
    for (const objectName of syncedObjects) {
      expect(flows).toContain(`Pryzm_${objectName}_Change`);
      expect(flows).toContain(`Pryzm_${objectName}_Delete`);
    }
  });

  it.each(flows)(
    '%s uses only elements the local org runs, and is active and described',
    (flow) => {
      const xml = read(join(sourceRoot, 'flows', `${flow}.flow-meta.xml`));
      const body = xml.replace(/^[\s\S]*?<Flow[^>]*>/, '').replace(/<\/Flow>\s*$/, '');
      const topLevel = [...body.matchAll(/^ {2}<(\w+)>/gm)].map((match) => match[1]);
      expect(topLevel.filter((tag) => !ALLOWED_ELEMENTS.includes(tag))).toEqual([]);
      expect(tagValue(xml, 'status')).toBe('Active');
      expect(tagValue(xml, 'description')).toBeTruthy();
      expect(tagValue(xml, 'processType')).toBe('AutoLaunchedFlow');
    },
  );

  it.each(flows)(
    '%s references only fields, settings, actions, formulas and permissions that exist',
    (flow) => {
      const xml = read(join(sourceRoot, 'flows', `${flow}.flow-meta.xml`));
      const start = tagValue(xml, 'start') ?? '';
      const triggerObject = tagValue(start, 'object') ?? '';
      expect(syncedObjects).toContain(triggerObject);
      expect(['RecordAfterSave', 'RecordBeforeDelete']).toContain(tagValue(start, 'triggerType'));

      const formulaNames = tagValues(xml, 'formulas').map((formula) => tagValue(formula, 'name'));
      const variableNames = tagValues(xml, 'variables').map((variable) =>
        tagValue(variable, 'name'),
      );
      const expressions = [...tagValues(xml, 'expression'), ...tagValues(xml, 'filterFormula')];
      for (const expression of expressions) {
        const functions = [...expression.matchAll(/\b([A-Z]+)\(/g)].map((match) => match[1]);
        expect(functions.filter((name) => !ALLOWED_FUNCTIONS.includes(name))).toEqual([]);
        for (const [, field] of expression.matchAll(/\{!\$Record(?:__Prior)?\.(\w+)\}/g)) {
          expect(fieldExists(triggerObject, field), `${triggerObject}.${field}`).toBe(true);
        }
        for (const [, permission] of expression.matchAll(/\{!\$Permission\.(\w+)\}/g)) {
          expect(customPermissions).toContain(permission);
        }
        for (const [, setting, field] of expression.matchAll(/\{!\$Setup\.(\w+)\.(\w+)\}/g)) {
          expect(customSettings, setting).toContain(setting);
          expect(fieldExists(setting, field), `${setting}.${field}`).toBe(true);
        }
      }
      expect(tagValue(start, 'filterFormula')).toMatch(
        /NOT\(\{!\$Permission\.Pryzm_Integration\}\)/,
      );

      const checkReference = (reference: string | undefined) => {
        if (reference === undefined) return;
        if (reference.startsWith('$Record.') || reference.startsWith('$Record__Prior.')) {
          const field = reference.split('.')[1];
          expect(fieldExists(triggerObject, field), reference).toBe(true);
        } else if (reference.startsWith('$')) {
          expect(GLOBAL_REFERENCES).toContain(reference);
        } else {
          expect([...formulaNames, ...variableNames]).toContain(reference);
        }
      };

      const elementNames = [
        ...tagValues(xml, 'recordCreates'),
        ...tagValues(xml, 'actionCalls'),
        ...tagValues(xml, 'assignments'),
        ...tagValues(xml, 'decisions'),
      ].map((element) => tagValue(element, 'name'));
      for (const [, target] of xml.matchAll(/<targetReference>(\w+)<\/targetReference>/g)) {
        expect(elementNames).toContain(target);
      }

      for (const call of tagValues(xml, 'actionCalls')) {
        expect(tagValue(call, 'actionType')).toBe('apex');
        const className = tagValue(call, 'actionName') ?? '';
        const variables = invocableVariables(className);
        expect(variables, `${className} is an invocable Apex class`).toBeDefined();
        for (const parameter of tagValues(call, 'inputParameters')) {
          expect(variables).toContain(tagValue(parameter, 'name'));
          checkReference(tagValue(parameter, 'elementReference'));
        }
        for (const mapping of tagValues(call, 'dataTypeMappings')) {
          expect(variables).toContain((tagValue(mapping, 'typeName') ?? '').replace(/^T__/, ''));
          expect(tagValue(mapping, 'typeValue')).toBe(triggerObject);
        }
      }

      for (const assignment of tagValues(xml, 'assignments')) {
        for (const item of tagValues(assignment, 'assignmentItems')) {
          expect(variableNames).toContain(tagValue(item, 'assignToReference'));
          checkReference(tagValue(item, 'elementReference'));
        }
      }

      for (const create of tagValues(xml, 'recordCreates')) {
        const eventName =
          tagValue(
            create.replace(/<inputAssignments>[\s\S]*?<\/inputAssignments>/g, ''),
            'object',
          ) ?? '';
        expect(events).toContain(eventName);
        const assignments = tagValues(create, 'inputAssignments');
        const assigned = assignments.map((assignment) => tagValue(assignment, 'field') ?? '');
        assigned.forEach((field) =>
          expect(fieldExists(eventName, field), `${eventName}.${field}`).toBe(true),
        );
        expect(requiredEventFields(eventName).filter((field) => !assigned.includes(field))).toEqual(
          [],
        );
        for (const assignment of assignments) {
          const reference = tagValue(assignment, 'elementReference');
          if (reference === undefined) {
            expect(tagValue(assignment, 'stringValue')).toBeDefined();
          }
          checkReference(reference);
        }
      }
    },
  );
});

describe('Apex', () => {
  it('uses only events, fields, Flows, permissions and credentials of the package', () => {
    for (const [name, source] of productionApex) {
      for (const literal of stringLiterals(source)) {
        if (/^Pryzm_\w+__c$/.test(literal)) {
          syncedObjects.forEach((objectName) =>
            expect(fieldExists(objectName, literal), `${name}: ${objectName}.${literal}`).toBe(
              true,
            ),
          );
        } else if (/^Pryzm_\w+__e$/.test(literal)) {
          expect(events, name).toContain(literal);
        } else if (/^Pryzm_\w+_(Change|Delete)$/.test(literal)) {
          expect(flows, name).toContain(literal);
        } else if (
          /^Pryzm_(Admin|User|Integration)$/.test(literal) &&
          !source.includes(`PERMISSION = '${literal}'`)
        ) {
          expect(permissionSets, `${name}: ${literal}`).toContain(literal);
        } else if (/^Pryzm_Service$/.test(literal)) {
          expect(namedCredentials).toContain(literal);
        }
      }
      for (const eventName of source.match(/\bPryzm_\w+__e\b/g) ?? []) {
        expect(events, name).toContain(eventName);
      }
      for (const [, eventName, body] of source.matchAll(/new (Pryzm_\w+__e)\(([^;]*)\);/g)) {
        for (const [, field] of body.matchAll(/(\w+__c)\s*=/g)) {
          expect(fieldExists(eventName, field), `${eventName}.${field}`).toBe(true);
        }
      }
      for (const [, field] of source.matchAll(/SELECT ([^'\]]*?) FROM/g)) {
        field
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part.endsWith('__c'))
          .forEach((part) =>
            syncedObjects.forEach((objectName) => expect(fieldExists(objectName, part)).toBe(true)),
          );
      }
    }
  });

  it('checks the custom permissions the package defines', () => {
    const push = apexSources.get('PryzmPushController') ?? '';
    const permission = /PUSH_PERMISSION = '(\w+)'/.exec(push)?.[1];
    expect(customPermissions).toContain(permission);
    const checks = apexSources.get('PryzmSetupChecks') ?? '';
    for (const [, literal] of checks.matchAll(/_PERMISSION_SET = '(\w+)'/g)) {
      expect(permissionSets).toContain(literal);
    }
  });

  it('composes one step class per checklist step, in the checklist', () => {
    const checks = apexSources.get('PryzmSetupChecks') ?? '';
    const stepConstants = [...checks.matchAll(/\b(STEP_\w+) = '\w+'/g)].map((match) => match[1]);
    const stepClasses = [...apexSources].filter(([, source]) =>
      /^public with sharing class \w+ implements PryzmSetupStep\b/m.test(source),
    );
    const keys = stepClasses.map(
      ([, source]) => /return PryzmSetupChecks\.(STEP_\w+);/.exec(source)?.[1],
    );
    expect([...keys].sort()).toEqual([...stepConstants].sort());
    stepClasses.forEach(([name]) => expect(checks).toMatch(new RegExp(`new ${name}\\(\\)`)));
  });

  it('the checklist component test shows each step under its Custom Label title', () => {
    const checks = apexSources.get('PryzmSetupChecks') ?? '';
    const keyOf = (constant: string) => new RegExp(`${constant} = '(\\w+)'`).exec(checks)?.[1];
    const labels = read(join(sourceRoot, 'labels', 'CustomLabels.labels-meta.xml'));
    const labelValue = (name: string) =>
      tagValues(labels, 'labels')
        .filter((label) => tagValue(label, 'fullName') === name)
        .map((label) => tagValue(label, 'value'))[0];
    const titles = new Map(
      [...apexSources]
        .filter(([, source]) => /\bimplements PryzmSetupStep\b/.test(source))
        .map(([, source]) => [
          keyOf(/return PryzmSetupChecks\.(STEP_\w+);/.exec(source)?.[1] ?? ''),
          labelValue(/String title\(\) \{\s*return System\.Label\.(\w+);/.exec(source)?.[1] ?? ''),
        ]),
    );
    const fixture = JSON.parse(
      read(join(sourceRoot, 'lwc', 'pryzmSetupChecklist', '__tests__', 'data', 'checklist.json')),
    ) as { key: string; label: string }[];
    expect(titles.size).toBe(fixture.length);
    fixture.forEach((item) => expect(item.label, item.key).toBe(titles.get(item.key)));
  });

  it('lists every synced object and Flow in the setup checks', () => {
    const checks = apexSources.get('PryzmSetupChecks') ?? '';
    const idField = /ID_FIELD = '(\w+)'/.exec(checks)?.[1] ?? '';
    const list = (constant: string, source = checks) => {
      const body =
        new RegExp(`${constant} = new List<String>\\{([^}]*)\\}`).exec(source)?.[1] ?? '';
      return [...stringLiterals(body), ...(/\bID_FIELD\b/.test(body) ? [idField] : [])];
    };
    expect(list('SYNCED_OBJECTS').sort()).toEqual([...syncedObjects].sort());
    // The Flows step owns the list of the package's Flows.
    const flowsStep = apexSources.get('PryzmSetupStepFlows') ?? '';
    expect(list('FLOWS', flowsStep).sort()).toEqual([...flows].sort());
    const pryzmFields = list('PRYZM_FIELDS').sort();
    syncedObjects.forEach((objectName) =>
      expect(
        (fieldsByObject.get(objectName) ?? []).filter((field) => field.startsWith('Pryzm_')).sort(),
      ).toEqual(pryzmFields),
    );
  });
});

describe('Lightning Web Components', () => {
  const componentSources = lwcBundles.map((bundle) => ({
    bundle,
    js: read(join(sourceRoot, 'lwc', bundle, `${bundle}.js`)),
  }));

  it.each(componentSources.map(({ bundle, js }) => [bundle, js]))(
    '%s imports existing Apex methods, modules and Custom Labels',
    (_bundle, js) => {
      for (const [, className, method] of js.matchAll(/@salesforce\/apex\/(\w+)\.(\w+)/g)) {
        const source = apexSources.get(className);
        expect(source, className).toBeDefined();
        expect(auraEnabledMembers(source ?? '')).toContain(method);
      }
      for (const [, module] of js.matchAll(/from 'c\/(\w+)'/g)) {
        expect(lwcBundles).toContain(module);
      }
      const labels = tagValues(
        read(join(sourceRoot, 'labels', 'CustomLabels.labels-meta.xml')),
        'fullName',
      );
      for (const [, label] of js.matchAll(/from '@salesforce\/label\/c\.(\w+)'/g)) {
        expect(labels).toContain(label);
      }
    },
  );

  it.each(
    lwcBundles.filter((bundle) => existsSync(join(sourceRoot, 'lwc', bundle, `${bundle}.html`))),
  )('%s shows only Custom Labels and data, no hard-coded text', (bundle) => {
    const html = read(join(sourceRoot, 'lwc', bundle, `${bundle}.html`));
    const texts = [...html.matchAll(/>([^<]+)</g)]
      .map((match) => match[1].replace(/\{[^}]*\}/g, '').trim())
      .filter((text) => text !== '');
    expect(texts).toEqual([]);
    const literalAttributes = [
      ...html.matchAll(/\b(label|title|alternative-text|header|aria-label)="([^"]*)"/g),
    ].map((match) => `${match[1]}="${match[2]}"`);
    expect(literalAttributes).toEqual([]);
  });

  it('the Push button reads only fields the Apex context and the result event have', () => {
    const js = read(join(sourceRoot, 'lwc', 'pryzmPushButton', 'pryzmPushButton.js'));
    const html = read(join(sourceRoot, 'lwc', 'pryzmPushButton', 'pryzmPushButton.html'));
    const contextFields = new Set(
      [...`${js}\n${html}`.matchAll(/context\.(\w+)/g)].map((match) => match[1]),
    );
    const members = auraEnabledMembers(apexSources.get('PryzmPushController') ?? '');
    expect([...contextFields].filter((field) => !members.includes(field))).toEqual([]);
    for (const [, field] of js.matchAll(/field\(\w+, '(\w+)'\)/g)) {
      expect(fieldExists('Pryzm_Sync_Result__e', field), field).toBe(true);
    }
    const statuses = [...js.matchAll(/^ {2}(\w+): \{ variant/gm)].map((match) => match[1]);
    const statusDoc = read(
      join(objectsDir, 'Pryzm_Sync_Result__e', 'fields', 'Status__c.field-meta.xml'),
    );
    statuses.forEach((status) => expect(statusDoc).toContain(status));
  });

  it('the checklist knows every step the Apex checks return', () => {
    const checks = apexSources.get('PryzmSetupChecks') ?? '';
    const steps = [...checks.matchAll(/STEP_\w+ = '(\w+)'/g)].map((match) => match[1]);
    const fixture = JSON.parse(
      read(join(sourceRoot, 'lwc', 'pryzmSetupChecklist', '__tests__', 'data', 'checklist.json')),
    ) as { key: string; status: string }[];
    expect(fixture.map((item) => item.key).sort()).toEqual([...steps].sort());
    const statuses = [
      ...(apexSources.get('PryzmChecklistItem') ?? '').matchAll(
        /static final String \w+ = '(\w+)'/g,
      ),
    ].map((match) => match[1]);
    const js = read(join(sourceRoot, 'lwc', 'pryzmSetupChecklist', 'pryzmSetupChecklist.js'));
    statuses.forEach((status) => expect(js).toMatch(new RegExp(`\\b${status}: \\{`)));
    const members = auraEnabledMembers(apexSources.get('PryzmChecklistItem') ?? '');
    Object.keys(fixture[0]).forEach((key) => expect(members).toContain(key));
  });
});

describe('Permission sets', () => {
  const sets = new Map(
    permissionSets.map((name) => [
      name,
      read(join(sourceRoot, 'permissionsets', `${name}.permissionset-meta.xml`)),
    ]),
  );

  it('are Pryzm_Admin, Pryzm_User and Pryzm_Integration', () => {
    expect([...permissionSets].sort()).toEqual(['Pryzm_Admin', 'Pryzm_Integration', 'Pryzm_User']);
  });

  it.each(permissionSets)('%s grants only components that exist', (name) => {
    const xml = sets.get(name) ?? '';
    tagValues(xml, 'classAccesses').forEach((access) =>
      expect(apexSources.has(tagValue(access, 'apexClass') ?? '')).toBe(true),
    );
    tagValues(xml, 'customPermissions').forEach((access) =>
      expect(customPermissions).toContain(tagValue(access, 'name')),
    );
    tagValues(xml, 'fieldPermissions').forEach((access) => {
      const [objectName, field] = (tagValue(access, 'field') ?? '').split('.');
      expect((fieldsByObject.get(objectName) ?? []).includes(field), `${objectName}.${field}`).toBe(
        true,
      );
    });
    tagValues(xml, 'objectPermissions').forEach((access) => {
      const objectName = tagValue(access, 'object') ?? '';
      expect(events).toContain(objectName);
      // Platform events only take Read and Create.
      expect(tagValue(access, 'allowEdit')).toBe('false');
      expect(tagValue(access, 'allowDelete')).toBe('false');
    });
    tagValues(xml, 'tabSettings').forEach((access) =>
      expect(tabs).toContain(tagValue(access, 'tab')),
    );
    tagValues(xml, 'applicationVisibilities').forEach((access) =>
      expect(applications).toContain(tagValue(access, 'application')),
    );
    tagValues(xml, 'externalCredentialPrincipalAccesses').forEach((access) => {
      const [credential, principal] = (tagValue(access, 'externalCredentialPrincipal') ?? '').split(
        '-',
      );
      expect(externalCredentials).toContain(credential);
      const parameters = tagValues(
        read(join(sourceRoot, 'externalCredentials', `${credential}.externalCredential-meta.xml`)),
        'externalCredentialParameters',
      );
      expect(
        parameters.some(
          (parameter) =>
            tagValue(parameter, 'parameterName') === principal &&
            tagValue(parameter, 'parameterType') === 'NamedPrincipal',
        ),
      ).toBe(true);
    });
  });

  it('give the admin and integration user edit on every Pryzm field, and users read', () => {
    const allFields = syncedObjects.flatMap((objectName) =>
      (fieldsByObject.get(objectName) ?? []).map((field) => `${objectName}.${field}`),
    );
    const granted = (name: string, editable: boolean) =>
      tagValues(sets.get(name) ?? '', 'fieldPermissions')
        .filter(
          (access) =>
            tagValue(access, 'readable') === 'true' &&
            (!editable || tagValue(access, 'editable') === 'true'),
        )
        .map((access) => tagValue(access, 'field'))
        .sort();
    expect(granted('Pryzm_Admin', true)).toEqual([...allFields].sort());
    expect(granted('Pryzm_Integration', true)).toEqual([...allFields].sort());
    expect(granted('Pryzm_User', false)).toEqual([...allFields].sort());
  });

  it('give the integration user the echo bypass and users the Push permission', () => {
    const names = (set: string) =>
      tagValues(sets.get(set) ?? '', 'customPermissions').map((access) => tagValue(access, 'name'));
    expect(names('Pryzm_Integration')).toEqual(['Pryzm_Integration']);
    expect(names('Pryzm_User')).toContain('Pryzm_Push');
    expect(names('Pryzm_Admin')).not.toContain('Pryzm_Integration');
  });

  it('grant every Aura-enabled controller to someone', () => {
    const granted = [...sets.values()].flatMap((xml) =>
      tagValues(xml, 'classAccesses').map((access) => tagValue(access, 'apexClass')),
    );
    productionApex
      .filter(
        ([, source]) =>
          /@AuraEnabled/.test(source) && /^public with sharing class \w+Controller/m.test(source),
      )
      .forEach(([name]) => expect(granted).toContain(name));
  });
});

describe('Pages, actions, credentials and channels', () => {
  it('quick actions open the Push button on objects it supports', () => {
    const actions = componentNames('quickActions', '.quickAction-meta.xml');
    expect(actions.sort()).toEqual(syncedObjects.map((name) => `${name}.Pryzm_Push`).sort());
    for (const action of actions) {
      const xml = read(join(sourceRoot, 'quickActions', `${action}.quickAction-meta.xml`));
      const bundle = tagValue(xml, 'lightningWebComponent') ?? '';
      expect(lwcBundles).toContain(bundle);
      expect(lwcTargets(bundle)).toContain('lightning__RecordAction');
      // The action's component shows the Push button, which declares the objects it supports.
      const html = read(join(sourceRoot, 'lwc', bundle, `${bundle}.html`));
      const shown = /<c-pryzm-push-button\b/.test(html) ? 'pryzmPushButton' : bundle;
      const meta = read(join(sourceRoot, 'lwc', shown, `${shown}.js-meta.xml`));
      expect(tagValues(meta, 'object')).toContain(action.split('.')[0]);
    }
  });

  it('the Pryzm Setup page shows the checklist and has a tab', () => {
    for (const page of flexipages) {
      const xml = read(join(sourceRoot, 'flexipages', `${page}.flexipage-meta.xml`));
      for (const component of tagValues(xml, 'componentName')) {
        expect(lwcBundles).toContain(component);
        expect(lwcTargets(component)).toContain('lightning__AppPage');
      }
    }
    tabs.forEach((tab) =>
      expect(flexipages).toContain(
        tagValue(read(join(sourceRoot, 'tabs', `${tab}.tab-meta.xml`)), 'flexiPage'),
      ),
    );
    expect(flexipages).toContain('Pryzm_Setup');
  });

  it('the Pryzm app opens on Pryzm Setup and shows only tabs that exist', () => {
    for (const app of applications) {
      const xml = read(join(sourceRoot, 'applications', `${app}.app-meta.xml`));
      const appTabs = tagValues(xml, 'tabs');
      appTabs
        .filter((tab) => !tab.startsWith('standard-'))
        .forEach((tab) => expect(tabs).toContain(tab));
      appTabs
        .filter((tab) => tab.startsWith('standard-'))
        .forEach((tab) =>
          expect(Object.keys(standardFields)).toContain(tab.slice('standard-'.length)),
        );
      expect(appTabs).toContain(tagValue(xml, 'defaultLandingTab'));
    }
    expect(applications).toContain('Pryzm');
  });

  it('the Named Credential uses the package External Credential', () => {
    for (const credential of namedCredentials) {
      const xml = read(
        join(sourceRoot, 'namedCredentials', `${credential}.namedCredential-meta.xml`),
      );
      tagValues(xml, 'externalCredential').forEach((name) =>
        expect(externalCredentials).toContain(name),
      );
    }
  });

  it('the CDC channel carries the change events of every synced object', () => {
    const members = componentNames(
      'platformEventChannelMembers',
      '.platformEventChannelMember-meta.xml',
    );
    const entities = members.map((member) => {
      const xml = read(
        join(
          sourceRoot,
          'platformEventChannelMembers',
          `${member}.platformEventChannelMember-meta.xml`,
        ),
      );
      expect(channels).toContain(tagValue(xml, 'eventChannel'));
      const entity = tagValue(xml, 'selectedEntity') ?? '';
      const objectName = entity.replace(/ChangeEvent$/, '');
      tagValues(xml, 'name').forEach((field) => expect(fieldExists(objectName, field)).toBe(true));
      return entity;
    });
    expect(entities.sort()).toEqual(syncedObjects.map((name) => `${name}ChangeEvent`).sort());
  });

  it('every platform event publishes after commit', () => {
    expect(events.sort()).toEqual([
      'Pryzm_Push_Request__e',
      'Pryzm_Record_Change__e',
      'Pryzm_Sync_Result__e',
    ]);
    for (const eventName of events) {
      const xml = read(join(objectsDir, eventName, `${basename(eventName)}.object-meta.xml`));
      expect(tagValue(xml, 'publishBehavior')).toBe('PublishAfterCommit');
    }
  });
});
