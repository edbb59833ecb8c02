import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import jestConfig from '../../jest.config.js';
import {
  componentNames,
  packageFiles,
  packageRoot,
  read,
  repoRoot,
  sourceRoot,
  tagValue,
  tagValues,
} from './package-files.ts';

// What the package promises admins and the service, checked on the source itself: project files,
// field and event definitions, Flow triggers, component targets and access.

const SYNCED_OBJECTS = ['Account', 'Contact', 'Opportunity', 'Lead', 'Case'];
const FLOW_OBJECTS = SYNCED_OBJECTS;
// The change Flows' entry condition: only while the Pryzm Settings change source is flows (blank
// means flows), never for the integration user.
const ENTRY_CONDITION =
  'AND(NOT({!$Permission.Pryzm_Integration}), OR(ISBLANK({!$Setup.Pryzm_Settings__c.Change_Source__c}), {!$Setup.Pryzm_Settings__c.Change_Source__c} = "flows"))';

const field = (objectName: string, name: string) =>
  read(join(sourceRoot, 'objects', objectName, 'fields', `${name}.field-meta.xml`));
const eventDefinition = (eventName: string) =>
  read(join(sourceRoot, 'objects', eventName, `${eventName}.object-meta.xml`));
const flow = (name: string) => read(join(sourceRoot, 'flows', `${name}.flow-meta.xml`));
const bundleMeta = (bundle: string) =>
  read(join(sourceRoot, 'lwc', bundle, `${bundle}.js-meta.xml`));
const permissionSet = (name: string) =>
  read(join(sourceRoot, 'permissionsets', `${name}.permissionset-meta.xml`));

describe('project files', () => {
  it('sfdx-project.json: force-app is the default package directory, namespace pryzm, API 63.0', () => {
    const project = JSON.parse(read(join(repoRoot, 'sfdx-project.json')));
    expect(project.packageDirectories).toEqual([
      expect.objectContaining({ path: 'force-app', default: true }),
    ]);
    expect(project.namespace).toBe('pryzm');
    expect(project.sourceApiVersion).toBe('63.0');
  });

  it('sfdx-project.json: the package runs its install and uninstall handlers', () => {
    // Second-generation packaging reads postInstallScript and uninstallScript from the package
    // directory (Salesforce DX Developer Guide, "Project Configuration File for a Second-Generation
    // Managed Package").
    const [directory] = JSON.parse(read(join(repoRoot, 'sfdx-project.json'))).packageDirectories;
    expect(directory.package).toBe('Pryzm Connector');
    expect(directory.versionNumber).toMatch(/^\d+\.\d+\.\d+\.NEXT$/);
    for (const key of ['postInstallScript', 'uninstallScript']) {
      const source = read(join(sourceRoot, 'classes', `${directory[key]}.cls`));
      expect(source).toMatch(/implements (Install|Uninstall)Handler\b/);
    }
  });

  it('sfdx-project.json: no ancestor before a version is promoted, no packaging URL that leads nowhere', () => {
    // ancestorVersion/ancestorId name the highest promoted version and are required only once one
    // exists (Second-Generation Managed Packaging Developer Guide, "Specify a Package Ancestor in
    // the Project File"); a promoted version shows as a `Package@x.y.z-n` alias in packageAliases.
    // postInstallUrl and releaseNotesUrl are shown to subscribers on install ("Advanced Project
    // Configuration Parameters"): set only to a published https page.
    const project = JSON.parse(read(join(repoRoot, 'sfdx-project.json')));
    const [directory] = project.packageDirectories;
    const versions = Object.keys(project.packageAliases ?? {}).filter((alias) =>
      alias.includes('@'),
    );
    if (versions.length === 0) {
      expect(directory.ancestorVersion).toBeUndefined();
      expect(directory.ancestorId).toBeUndefined();
    }
    for (const key of ['postInstallUrl', 'releaseNotesUrl']) {
      if (directory[key] === undefined) {
        // Left out on purpose: the package README says why.
        expect(read(join(packageRoot, 'README.md'))).toContain(key);
      } else {
        expect(directory[key]).toMatch(/^https:\/\/[^/\s]+\.[a-z]{2,}\//);
      }
    }
  });

  it('every versioned component uses API 63.0', () => {
    const versions = packageFiles()
      .filter((path) => path.endsWith('-meta.xml'))
      .flatMap((path) => tagValues(read(path), 'apiVersion').map((version) => [path, version]));
    expect(versions.length).toBeGreaterThan(10);
    expect(versions.filter(([, version]) => version !== '63.0')).toEqual([]);
  });

  it('the scratch org definition is a Developer org with Lightning and no sample data', () => {
    const definition = JSON.parse(read(join(repoRoot, 'config', 'project-scratch-def.json')));
    expect(definition.edition).toBe('Developer');
    expect(definition.hasSampleData).toBe(false);
    expect(definition.settings.lightningExperienceSettings.enableS1DesktopEnabled).toBe(true);
  });

  it('.forceignore keeps tests, tooling and local state out of deploys', () => {
    const ignored = read(join(repoRoot, '.forceignore'))
      .split('\n')
      .map((line) => line.trim());
    for (const pattern of [
      '**/__tests__/**',
      '**/jsconfig.json',
      '**/.eslintrc.json',
      '.sfdx/',
      '.sf/',
      '.localorg/',
    ]) {
      expect(ignored).toContain(pattern);
    }
  });

  it('jest covers only force-app and enforces 90% lines for every component file', () => {
    expect(jestConfig.roots).toEqual(['<rootDir>/force-app']);
    const thresholds = Object.values(jestConfig.coverageThreshold ?? {}) as { lines?: number }[];
    expect(thresholds.length).toBeGreaterThanOrEqual(2);
    thresholds.forEach((threshold) => expect(threshold.lines).toBeGreaterThanOrEqual(90));
  });
});

describe('fields', () => {
  it.each(SYNCED_OBJECTS)(
    '%s.Pryzm_ID__c is Text(36), External ID, Unique, case-insensitive',
    (name) => {
      const xml = field(name, 'Pryzm_ID__c');
      expect(tagValue(xml, 'type')).toBe('Text');
      expect(tagValue(xml, 'length')).toBe('36');
      expect(tagValue(xml, 'externalId')).toBe('true');
      expect(tagValue(xml, 'unique')).toBe('true');
      expect(tagValue(xml, 'caseSensitive')).toBe('false');
      expect(tagValue(xml, 'required')).toBe('false');
    },
  );

  it.each(SYNCED_OBJECTS)('%s has the sync state fields the Push button shows', (name) => {
    expect(tagValue(field(name, 'Pryzm_Last_Synced__c'), 'type')).toBe('DateTime');
    expect(tagValue(field(name, 'Pryzm_Sync_Error__c'), 'type')).toBe('Text');
    const status = field(name, 'Pryzm_Sync_Status__c');
    expect(tagValue(status, 'type')).toBe('Picklist');
    expect(tagValues(tagValue(status, 'valueSetDefinition') ?? '', 'fullName')).toEqual([
      'Pending',
      'Synced',
      'Error',
      'Conflict',
    ]);
  });
});

describe('failed syncs', () => {
  it.each(SYNCED_OBJECTS)('%s has a list view of records whose last sync failed', (name) => {
    const view = read(
      join(sourceRoot, 'objects', name, 'listViews', 'Pryzm_Sync_Problems.listView-meta.xml'),
    );
    const filter = tagValue(view, 'filters') ?? '';
    expect(tagValue(filter, 'field')).toBe('Pryzm_Sync_Status__c');
    const statuses = tagValues(
      tagValue(field(name, 'Pryzm_Sync_Status__c'), 'valueSetDefinition') ?? '',
      'fullName',
    );
    for (const value of (tagValue(filter, 'value') ?? '').split(',')) {
      expect(statuses).toContain(value);
    }
    for (const column of tagValues(view, 'columns').filter((c) => c.endsWith('__c'))) {
      expect(
        read(join(sourceRoot, 'objects', name, 'fields', `${column}.field-meta.xml`)),
      ).toBeTruthy();
    }
    expect(tagValue(view, 'filterScope')).toBe('Everything');
  });
});

describe('platform events and Change Data Capture', () => {
  const EVENT_FIELDS: Record<string, string[]> = {
    Pryzm_Record_Change__e: [
      'Record_Id__c',
      'Object_Name__c',
      'Change_Type__c',
      'Changed_Fields__c',
      'Origin_User_Id__c',
    ],
    Pryzm_Push_Request__e: [
      'Record_Id__c',
      'Object_Name__c',
      'Requested_By__c',
      'Correlation_Id__c',
    ],
    Pryzm_Sync_Result__e: [
      'Correlation_Id__c',
      'Record_Id__c',
      'Status__c',
      'Pryzm_Id__c',
      'Message__c',
    ],
  };

  it.each(Object.entries(EVENT_FIELDS))(
    '%s is a high-volume event published after commit with its fields',
    (eventName, fields) => {
      const xml = eventDefinition(eventName);
      expect(tagValue(xml, 'eventType')).toBe('HighVolume');
      expect(tagValue(xml, 'publishBehavior')).toBe('PublishAfterCommit');
      expect(tagValue(xml, 'deploymentStatus')).toBe('Deployed');
      const defined = componentNames(join('objects', eventName, 'fields'), '.field-meta.xml');
      expect(defined).toEqual(expect.arrayContaining(fields));
      for (const name of defined) {
        // Platform event fields take only these types.
        expect(['Text', 'LongTextArea', 'DateTime', 'Date', 'Number', 'Checkbox']).toContain(
          tagValue(field(eventName, name), 'type'),
        );
      }
    },
  );

  it('the custom channel is a data (CDC) channel with every synced object', () => {
    const channel = read(
      join(sourceRoot, 'platformEventChannels', 'Pryzm_Changes__chn.platformEventChannel-meta.xml'),
    );
    expect(tagValue(channel, 'channelType')).toBe('data');
    const members = componentNames(
      'platformEventChannelMembers',
      '.platformEventChannelMember-meta.xml',
    );
    expect(members.sort()).toEqual(
      FLOW_OBJECTS.map((name) => `Pryzm_Changes_chn_${name}ChangeEvent`).sort(),
    );
  });
});

describe('record-triggered Flows', () => {
  const publishAction = (xml: string) => {
    const call = tagValue(xml, 'actionCalls') ?? '';
    expect(tagValue(call, 'actionType')).toBe('apex');
    expect(tagValue(call, 'actionName')).toBe('PryzmRecordChangePublisher');
    // A failed publish must never fail the user's save: the action has a fault path.
    expect(tagValue(tagValue(call, 'faultConnector') ?? '', 'targetReference')).toBeTruthy();
    return call;
  };
  const input = (call: string, name: string) =>
    tagValues(call, 'inputParameters').find((parameter) => tagValue(parameter, 'name') === name);

  it.each(FLOW_OBJECTS)('Pryzm_%s_Change runs after save on create and update', (name) => {
    const xml = flow(`Pryzm_${name}_Change`);
    const start = tagValue(xml, 'start') ?? '';
    expect(tagValue(start, 'object')).toBe(name);
    expect(tagValue(start, 'triggerType')).toBe('RecordAfterSave');
    expect(tagValue(start, 'recordTriggerType')).toBe('CreateAndUpdate');
    expect(tagValue(start, 'filterFormula')).toBe(ENTRY_CONDITION);
    expect(tagValue(xml, 'status')).toBe('Active');
    const call = publishAction(xml);
    expect(tagValue(input(call, 'record') ?? '', 'elementReference')).toBe('$Record');
    expect(tagValue(input(call, 'priorRecord') ?? '', 'elementReference')).toBe('$Record__Prior');
    expect(tagValues(xml, 'expression').join('\n')).toContain('IF(ISNEW(), "CREATE", "UPDATE")');
  });

  it.each(FLOW_OBJECTS)('Pryzm_%s_Delete runs before delete and publishes DELETE', (name) => {
    const xml = flow(`Pryzm_${name}_Delete`);
    const start = tagValue(xml, 'start') ?? '';
    expect(tagValue(start, 'object')).toBe(name);
    expect(tagValue(start, 'triggerType')).toBe('RecordBeforeDelete');
    expect(tagValue(start, 'recordTriggerType')).toBe('Delete');
    expect(tagValue(start, 'filterFormula')).toBe(ENTRY_CONDITION);
    expect(tagValue(xml, 'status')).toBe('Active');
    const call = publishAction(xml);
    expect(tagValue(input(call, 'changeType') ?? '', 'stringValue')).toBe('DELETE');
  });
});

describe('components and access', () => {
  it('the Push button sits on every synced object’s desktop record page; the quick action wraps it', () => {
    const meta = bundleMeta('pryzmPushButton');
    expect(tagValue(meta, 'isExposed')).toBe('true');
    expect(tagValues(meta, 'target')).toEqual(['lightning__RecordPage']);
    const configs = [
      ...meta.matchAll(/<targetConfig targets="([^"]+)">([\s\S]*?)<\/targetConfig>/g),
    ];
    const byTarget = new Map(configs.map(([, target, body]) => [target, body]));
    const recordPage = byTarget.get('lightning__RecordPage') ?? '';
    expect(tagValues(recordPage, 'object').sort()).toEqual([...FLOW_OBJECTS].sort());
    // lightning/empApi is desktop-only: the record page component is declared for desktop.
    expect(recordPage).toMatch(/<supportedFormFactor type="Large"\s*\/>/);
    expect(recordPage).not.toMatch(/type="Small"/);
    const action = bundleMeta('pryzmPushAction');
    expect(tagValues(action, 'target')).toEqual(['lightning__RecordAction']);
    expect(tagValue(action, 'actionType')).toBe('ScreenAction');
    const actionJs = read(join(sourceRoot, 'lwc', 'pryzmPushAction', 'pryzmPushAction.js'));
    expect(actionJs).toMatch(/import \{ CloseActionScreenEvent \} from 'lightning\/actions'/);
    expect(read(join(sourceRoot, 'lwc', 'pryzmPushAction', 'pryzmPushAction.html'))).toMatch(
      /<lightning-quick-action-panel[\s\S]*<c-pryzm-push-button/,
    );
    for (const name of FLOW_OBJECTS) {
      const quickAction = read(
        join(sourceRoot, 'quickActions', `${name}.Pryzm_Push.quickAction-meta.xml`),
      );
      expect(tagValue(quickAction, 'type')).toBe('LightningWebComponent');
      expect(tagValue(quickAction, 'actionSubtype')).toBe('ScreenAction');
      expect(tagValue(quickAction, 'lightningWebComponent')).toBe('pryzmPushAction');
    }
  });

  it('the Push button listens with empApi, toasts and refreshes the record', () => {
    const js = read(join(sourceRoot, 'lwc', 'pryzmPushButton', 'pryzmPushButton.js'));
    expect(js).toMatch(/import \{[^}]*\bsubscribe\b[^}]*\} from 'lightning\/empApi'/);
    expect(js).toMatch(/import \{[^}]*\bunsubscribe\b[^}]*\} from 'lightning\/empApi'/);
    expect(js).toMatch(/import \{ notifyRecordUpdateAvailable \} from 'lightning\/uiRecordApi'/);
    expect(js).toMatch(/from 'lightning\/platformShowToastEvent'/);
    expect(js).toMatch(/@salesforce\/apex\/PryzmPushController\.requestPush/);
  });

  it('the checklist is the Pryzm Setup app page, the Pryzm app lands on it', () => {
    expect(tagValues(bundleMeta('pryzmSetupChecklist'), 'target')).toContain('lightning__AppPage');
    const page = read(join(sourceRoot, 'flexipages', 'Pryzm_Setup.flexipage-meta.xml'));
    expect(page).toMatch(/<type>AppPage<\/type>\s*<\/FlexiPage>/);
    expect(tagValue(page, 'masterLabel')).toBe('Pryzm Setup');
    expect(tagValues(page, 'componentName')).toEqual(['pryzmSetupChecklist']);
    const app = read(join(sourceRoot, 'applications', 'Pryzm.app-meta.xml'));
    expect(tagValue(app, 'defaultLandingTab')).toBe('Pryzm_Setup');
  });

  it('the integration user bypasses the Flows, edits Pryzm fields, reads requests and publishes results', () => {
    const xml = permissionSet('Pryzm_Integration');
    expect(tagValues(xml, 'customPermissions').map((access) => tagValue(access, 'name'))).toEqual([
      'Pryzm_Integration',
    ]);
    const access = new Map(
      tagValues(xml, 'objectPermissions').map((permission) => [
        tagValue(permission, 'object'),
        {
          read: tagValue(permission, 'allowRead'),
          create: tagValue(permission, 'allowCreate'),
        },
      ]),
    );
    expect(access.get('Pryzm_Record_Change__e')).toEqual({ read: 'true', create: 'false' });
    expect(access.get('Pryzm_Push_Request__e')).toEqual({ read: 'true', create: 'false' });
    expect(access.get('Pryzm_Sync_Result__e')).toEqual({ read: 'true', create: 'true' });
  });

  it('Pryzm users read push requests and results but may not publish requests themselves', () => {
    for (const name of ['Pryzm_User', 'Pryzm_Admin']) {
      const xml = permissionSet(name);
      const access = new Map(
        tagValues(xml, 'objectPermissions').map((permission) => [
          tagValue(permission, 'object'),
          {
            read: tagValue(permission, 'allowRead'),
            create: tagValue(permission, 'allowCreate'),
          },
        ]),
      );
      expect(access.get('Pryzm_Push_Request__e'), name).toEqual({ read: 'true', create: 'false' });
      expect(access.get('Pryzm_Sync_Result__e'), name).toEqual({ read: 'true', create: 'false' });
      expect(tagValues(xml, 'apexClass'), name).toContain('PryzmPushController');
    }
    expect(tagValues(permissionSet('Pryzm_Admin'), 'apexClass')).toContain('PryzmSetupController');
    expect(tagValues(permissionSet('Pryzm_User'), 'apexClass')).not.toContain(
      'PryzmSetupController',
    );
  });

  it('the service is reached through the Named Credential backed by the External Credential', () => {
    const named = read(
      join(sourceRoot, 'namedCredentials', 'Pryzm_Service.namedCredential-meta.xml'),
    );
    expect(tagValue(named, 'namedCredentialType')).toBe('SecuredEndpoint');
    expect(tagValues(named, 'externalCredential')).toEqual(['Pryzm_Service']);
    const external = read(
      join(sourceRoot, 'externalCredentials', 'Pryzm_Service.externalCredential-meta.xml'),
    );
    expect(tagValue(external, 'authenticationProtocol')).toBe('Custom');
    const client = read(join(sourceRoot, 'classes', 'PryzmServiceClient.cls'));
    expect(client).toMatch(/'callout:' \+ namedCredential\(\)/);
    expect(client).toMatch(/return PryzmNamespace\.prefix\(\) \+ 'Pryzm_Service';/);
  });
});
