/**
 * The package's record-triggered Flows, loaded from force-app and run on commits: they publish
 * Pryzm_Record_Change__e on create, on updates of synced fields and on delete, only while the
 * Pryzm Settings change source is flows, never for the integration user, and a failed publish
 * takes the fault path instead of failing the save.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  PlatformEventPublisher,
  RecordChange,
  StoredRecord,
} from '../../src/core/contracts.ts';
import { EventBus } from '../../src/events/event-bus.ts';
import { loadFlows, parseFlow, UnsupportedFlowError } from '../../src/flows/flow-loader.ts';
import { FlowRunner } from '../../src/flows/flow-runner.ts';
import { evaluateFormula, parseFormula, FormulaError } from '../../src/flows/formula.ts';
import { accountDescribe, recordChangeEventDescribe } from '../pubsub/support/describes.ts';
import { MemoryHost } from '../pubsub/support/memory-host.ts';

const METADATA = fileURLToPath(new URL('../../../../force-app/main/default', import.meta.url));
const USER = '005000000000001AAA';
const INTEGRATION_USER = '005000000000002AAA';

/** A host whose org holds a Pryzm Settings org default row. */
class SettingsHost extends MemoryHost {
  setting: StoredRecord | undefined;
  hierarchySetting(_orgId: string, _userId: string, name: string): StoredRecord | undefined {
    return name === 'Pryzm_Settings__c' ? this.setting : undefined;
  }
}

function account(fields: Record<string, string | null>): StoredRecord {
  return {
    Id: '001000000000001AAA',
    IsDeleted: false,
    Name: 'Acme',
    Pryzm_ID__c: 'pz-1',
    ...fields,
  };
}

describe('package Flows', () => {
  let host: SettingsHost;
  let bus: EventBus;
  let runner: FlowRunner;

  beforeEach(() => {
    host = new SettingsHost(undefined, [accountDescribe, recordChangeEventDescribe]);
    host.grant(INTEGRATION_USER, 'Pryzm_Integration');
    bus = new EventBus(host);
    runner = new FlowRunner(host, bus, loadFlows(METADATA));
    runner.start();
  });

  afterEach(() => runner.close());

  function published(): Record<string, unknown>[] {
    const log = bus.log(host.orgId, '/event/Pryzm_Record_Change__e');
    const schema = bus.platformEventSchema(host.orgId, 'Pryzm_Record_Change__e')!;
    return log
      .readAfter(log.earliestPosition(), 1000)
      .map((e) => schema.type.fromBuffer(e.payload) as Record<string, unknown>);
  }

  const create = (userId: string) =>
    host.commit(userId, [
      {
        objectName: 'Account',
        changeType: 'CREATE',
        recordId: '001000000000001AAA',
        changedFields: ['Name', 'Pryzm_ID__c'],
        nulledFields: [],
        after: account({}),
        before: undefined,
      },
    ]);

  const update = (userId: string) =>
    host.commit(userId, [
      {
        objectName: 'Account',
        changeType: 'UPDATE',
        recordId: '001000000000001AAA',
        changedFields: ['Name', 'Phone', 'LastModifiedDate'],
        nulledFields: [],
        after: account({ Name: 'Acme Corp', Phone: '555-0100' }),
        before: account({ Phone: null }),
      },
    ]);

  it('loads every Flow of the package', () => {
    expect(loadFlows(METADATA).map((f) => f.name)).toEqual([
      'Pryzm_Account_Change',
      'Pryzm_Account_Delete',
      'Pryzm_Case_Change',
      'Pryzm_Case_Delete',
      'Pryzm_Contact_Change',
      'Pryzm_Contact_Delete',
      'Pryzm_Lead_Change',
      'Pryzm_Lead_Delete',
      'Pryzm_Opportunity_Change',
      'Pryzm_Opportunity_Delete',
    ]);
  });

  it('publishes the record change event on create and on update', () => {
    const created = create(USER);
    update(USER);
    const events = published();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({
      CreatedById: USER,
      Record_Id__c: '001000000000001AAA',
      Object_Name__c: 'Account',
      Change_Type__c: 'CREATE',
      Changed_Fields__c: '',
      Pryzm_Id__c: 'pz-1',
      Origin_User_Id__c: USER,
      Changed_At__c: created.commitTimestamp,
    });
    expect(events[1]).toMatchObject({ Change_Type__c: 'UPDATE', Changed_Fields__c: 'Name,Phone' });
    expect(runner.failures).toEqual([]);
  });

  it('publishes DELETE from the before-delete Flow', () => {
    host.commit(USER, [
      {
        objectName: 'Account',
        changeType: 'DELETE',
        recordId: '001000000000001AAA',
        changedFields: [],
        nulledFields: [],
        after: undefined,
        before: account({}),
      },
    ]);
    expect(published()).toMatchObject([{ Change_Type__c: 'DELETE', Pryzm_Id__c: 'pz-1' }]);
  });

  it('does not publish when the integration user with the bypass permission writes', () => {
    create(INTEGRATION_USER);
    update(INTEGRATION_USER);
    expect(published()).toEqual([]);
  });

  const settings = (fields: Record<string, string | null>) => {
    host.setting = {
      Id: 'a00000000000001AAA',
      IsDeleted: false,
      SetupOwnerId: host.orgId,
      ...fields,
    };
  };

  const bulk = (userId: string, changeType: 'CREATE' | 'UPDATE' | 'DELETE', size = 200) =>
    host.commit(
      userId,
      Array.from({ length: size }, (_, i): RecordChange => {
        const id = `001000000000${String(i).padStart(3, '0')}AAA`;
        const before = account({ Id: id, Name: `Acme ${i}` });
        const after = account({ Id: id, Name: `Acme ${i} renamed` });
        return {
          objectName: 'Account',
          changeType,
          recordId: id,
          changedFields: changeType === 'UPDATE' ? ['Name'] : [],
          nulledFields: [],
          after: changeType === 'DELETE' ? undefined : after,
          before: changeType === 'CREATE' ? undefined : before,
        };
      }),
    );

  it('publishes one event per record for 200 inserts, updates and deletes, none for the integration user', () => {
    bulk(USER, 'CREATE');
    bulk(USER, 'UPDATE');
    bulk(USER, 'DELETE');
    const events = published();
    expect(events.filter((e) => e['Change_Type__c'] === 'CREATE')).toHaveLength(200);
    expect(events.filter((e) => e['Change_Type__c'] === 'UPDATE')).toHaveLength(200);
    expect(events.filter((e) => e['Change_Type__c'] === 'DELETE')).toHaveLength(200);
    expect(new Set(events.map((e) => e['Record_Id__c'])).size).toBe(200);
    bulk(INTEGRATION_USER, 'CREATE');
    bulk(INTEGRATION_USER, 'UPDATE');
    bulk(INTEGRATION_USER, 'DELETE');
    expect(published()).toHaveLength(600);
  });

  it("looks the user's custom permission up once per transaction, and sees a grant made between transactions", () => {
    const lookups: string[] = [];
    const lookup = host.userHasCustomPermission.bind(host);
    host.userHasCustomPermission = (orgId, userId, permissionName) => {
      lookups.push(permissionName);
      return lookup(orgId, userId, permissionName);
    };
    const OTHER = '005000000000003AAA';
    bulk(OTHER, 'UPDATE');
    expect(lookups).toEqual(['Pryzm_Integration']);
    expect(published()).toHaveLength(200);
    host.grant(OTHER, 'Pryzm_Integration');
    bulk(OTHER, 'UPDATE');
    expect(lookups).toEqual(['Pryzm_Integration', 'Pryzm_Integration']);
    expect(published()).toHaveLength(200);
  });

  it('publishes nothing for an update that changes no synced field', () => {
    host.commit(USER, [
      {
        objectName: 'Account',
        changeType: 'UPDATE',
        recordId: '001000000000001AAA',
        changedFields: ['LastModifiedDate', 'Rollup__c'],
        nulledFields: [],
        after: account({ Rollup__c: '2' }),
        before: account({ Rollup__c: '1' }),
      },
    ]);
    expect(published()).toEqual([]);
  });

  it('watches the fields the Pryzm Settings name for the object, custom fields included', () => {
    settings({ Account_Fields__c: 'Phone, Rollup__c' });
    update(USER); // changes Name and Phone
    host.commit(USER, [
      {
        objectName: 'Account',
        changeType: 'UPDATE',
        recordId: '001000000000001AAA',
        changedFields: ['Name'],
        nulledFields: [],
        after: account({ Name: 'Only the name' }),
        before: account({}),
      },
    ]);
    expect(published().map((e) => e['Changed_Fields__c'])).toEqual(['Phone']);
  });

  it.each(['cdc', 'paused', 'PAUSED'])(
    'publishes nothing while the change source is %s, and again once it is flows',
    (source) => {
      settings({ Change_Source__c: source });
      create(USER);
      bulk(USER, 'DELETE', 3);
      expect(published()).toEqual([]);
      settings({ Change_Source__c: 'flows' });
      create(USER);
      settings({ Change_Source__c: null });
      update(USER);
      expect(published().map((e) => e['Change_Type__c'])).toEqual(['CREATE', 'UPDATE']);
    },
  );

  it('a failed publish takes the fault path: the save stands, the failure is noted', () => {
    const spent: PlatformEventPublisher = {
      publish: () => ({
        success: false,
        errors: [
          {
            errorCode: 'LIMIT_EXCEEDED',
            message: 'The hourly platform event publishing allocation is used up.',
            fields: [],
          },
        ],
      }),
    };
    runner.close();
    runner = new FlowRunner(host, spent, loadFlows(METADATA));
    runner.start();
    expect(() => bulk(USER, 'CREATE', 3)).not.toThrow();
    expect(() => bulk(USER, 'DELETE', 2)).not.toThrow();
    expect(runner.failures).toEqual([]);
    expect(runner.handledFaults).toHaveLength(5);
    expect(runner.handledFaults[0]).toMatchObject({
      flow: 'Pryzm_Account_Change',
      errors: ['LIMIT_EXCEEDED: The hourly platform event publishing allocation is used up.'],
    });
  });

  it('runs filters and decisions with custom logic', () => {
    const flow = parseFlow(
      'Decision_Flow',
      `<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
  <label>Decision</label>
  <processType>AutoLaunchedFlow</processType>
  <status>Active</status>
  <start>
    <object>Account</object>
    <triggerType>RecordAfterSave</triggerType>
    <recordTriggerType>Update</recordTriggerType>
    <filterLogic>1 AND (2 OR 3)</filterLogic>
    <filters><field>Name</field><operator>IsNull</operator><value><booleanValue>false</booleanValue></value></filters>
    <filters><field>Phone</field><operator>IsChanged</operator><value><booleanValue>true</booleanValue></value></filters>
    <filters><field>Name</field><operator>EqualTo</operator><value><stringValue>Never</stringValue></value></filters>
    <connector><targetReference>Which</targetReference></connector>
  </start>
  <decisions>
    <name>Which</name>
    <rules>
      <name>Renamed</name>
      <conditionLogic>and</conditionLogic>
      <conditions><leftValueReference>$Record.Name</leftValueReference><operator>NotEqualTo</operator><rightValue><elementReference>$Record__Prior.Name</elementReference></rightValue></conditions>
      <connector><targetReference>Publish</targetReference></connector>
    </rules>
  </decisions>
  <recordCreates>
    <name>Publish</name>
    <object>Pryzm_Record_Change__e</object>
    <inputAssignments><field>Record_Id__c</field><value><elementReference>$Record.Id</elementReference></value></inputAssignments>
    <inputAssignments><field>Object_Name__c</field><value><stringValue>Account</stringValue></value></inputAssignments>
    <inputAssignments><field>Change_Type__c</field><value><stringValue>RENAME</stringValue></value></inputAssignments>
  </recordCreates>
</Flow>`,
    )!;
    runner.close();
    runner = new FlowRunner(host, bus, [flow]);
    runner.start();
    update(USER);
    expect(published()).toMatchObject([{ Change_Type__c: 'RENAME' }]);
  });

  it('records a Flow whose event fails validation without failing the commit', () => {
    const flow = parseFlow(
      'Incomplete_Flow',
      `<Flow><label>Incomplete</label><processType>AutoLaunchedFlow</processType><status>Active</status>
  <start><object>Account</object><triggerType>RecordAfterSave</triggerType><recordTriggerType>Create</recordTriggerType>
    <connector><targetReference>Publish</targetReference></connector></start>
  <recordCreates><name>Publish</name><object>Pryzm_Record_Change__e</object>
    <inputAssignments><field>Object_Name__c</field><value><stringValue>Account</stringValue></value></inputAssignments>
  </recordCreates></Flow>`,
    )!;
    runner.close();
    runner = new FlowRunner(host, bus, [flow]);
    runner.start();
    expect(() => create(USER)).not.toThrow();
    expect(published()).toEqual([]);
    expect(runner.failures).toEqual([
      {
        flow: 'Incomplete_Flow',
        recordId: '001000000000001AAA',
        errors: [
          'REQUIRED_FIELD_MISSING: Required fields are missing: [Change_Type__c, Record_Id__c]',
        ],
      },
    ]);
  });

  it('refuses at load a Flow it cannot run', () => {
    const unsupported = (body: string) => () =>
      parseFlow(
        'Bad',
        `<Flow><label>Bad</label><processType>AutoLaunchedFlow</processType><status>Active</status>${body}</Flow>`,
      );
    const start = `<start><object>Account</object><triggerType>RecordAfterSave</triggerType><recordTriggerType>Create</recordTriggerType><connector><targetReference>X</targetReference></connector></start>`;
    expect(unsupported(`${start}<actionCalls><name>X</name></actionCalls>`)).toThrow(
      UnsupportedFlowError,
    );
    expect(unsupported(start.replace('RecordAfterSave', 'Scheduled'))).toThrow(
      /triggerType Scheduled/,
    );
    expect(
      unsupported(`${start}<recordCreates><name>X</name><object>Account</object></recordCreates>`),
    ).toThrow(/platform events only/);
    expect(
      unsupported(
        `${start.replace('<connector><targetReference>X</targetReference></connector>', '<filterFormula>LEN({!$Record.Name}) > 1</filterFormula>')}`,
      ),
    ).toThrow(/Unsupported function LEN/);
    expect(
      unsupported(
        `${start.replace('<connector><targetReference>X</targetReference></connector>', '<filters><field>Name</field><operator>Contains</operator><value><stringValue>a</stringValue></value></filters>')}`,
      ),
    ).toThrow(/operator Contains/);
    expect(
      unsupported(
        `${start}<decisions><name>X</name><rules><name>Changed</name><conditionLogic>and</conditionLogic><conditions><leftValueReference>$Record.Name</leftValueReference><operator>IsNull</operator><rightValue><booleanValue>false</booleanValue></rightValue></conditions><doesRequireRecordChangedToMeetCriteria>true</doesRequireRecordChangedToMeetCriteria></rules></decisions>`,
      ),
    ).toThrow(/decision rule Changed: doesRequireRecordChangedToMeetCriteria is not supported/);
  });
});

describe('formulas', () => {
  const scope = {
    resolve: (ref: string) => ({ '$Record.Name': 'Acme', '$Record.Phone': null })[ref] ?? null,
    isNew: () => false,
    isChanged: (ref: string) => ref === '$Record.Name',
    prior: () => 'Old',
  };
  const run = (source: string) => evaluateFormula(parseFormula(source), scope);

  it('evaluates the supported functions and operators', () => {
    expect(run('IF(ISNEW(), "CREATE", "UPDATE")')).toBe('UPDATE');
    expect(
      run(
        'IF(ISCHANGED({!$Record.Name}), "Name,", "") & IF(ISCHANGED({!$Record.Phone}), "Phone,", "")',
      ),
    ).toBe('Name,');
    expect(run('AND(NOT(ISBLANK({!$Record.Name})), OR(FALSE, {!$Record.Name} = "Acme"))')).toBe(
      true,
    );
    expect(run('TEXT(1 + 2) & "-" & PRIORVALUE({!$Record.Name})')).toBe('3-Old');
    expect(run('{!$Record.Phone} = ""')).toBe(true);
  });

  it('rejects what it does not support', () => {
    expect(() => parseFormula('VLOOKUP(1)')).toThrow(FormulaError);
    expect(() => parseFormula('IF(TRUE, "a"')).toThrow(FormulaError);
  });
});
