import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultForceAppDir } from '../src/index.ts';
import { Org } from '../src/org/org.ts';
import { readForceApp } from '../src/schema/force-app.ts';
import { forceAppWithAccountField } from './support/force-app.ts';

const packageDir = defaultForceAppDir();
const scratch = mkdtempSync(join(tmpdir(), 'localorg-force-app-'));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('schema from recorded describes and package metadata', () => {
  it('describes the package fields un-namespaced or under the org namespace', () => {
    const metadata = readForceApp(packageDir);
    const plain = new Org({ myDomain: 'plain' }, 0, metadata);
    const namespaced = new Org({ myDomain: 'ns', namespace: 'pryzm' }, 1, metadata);
    expect(plain.schema.field('Account', 'Pryzm_ID__c')).toMatchObject({
      externalId: true,
      unique: true,
      custom: true,
    });
    expect(plain.schema.field('Account', 'pryzm__Pryzm_ID__c')).toBeUndefined();
    expect(namespaced.schema.field('Account', 'pryzm__Pryzm_ID__c')).toMatchObject({
      externalId: true,
    });
    expect(namespaced.describe('pryzm__Pryzm_Record_Change__e')?.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['ReplayId', 'EventUuid', 'pryzm__Record_Id__c']),
    );
    expect(plain.describe('Pryzm_Push_Request__e')).toMatchObject({
      custom: true,
      queryable: false,
      createable: true,
    });
  });

  it('grants custom permissions through assigned permission sets', () => {
    const org = new Org({ myDomain: 'perm' }, 0, readForceApp(packageDir));
    const [admin, integration] = org.users;
    expect(org.userHasCustomPermission(integration?.id ?? '', 'Pryzm_Integration')).toBe(true);
    expect(org.userHasCustomPermission(admin?.id ?? '', 'Pryzm_Integration')).toBe(false);
    expect(org.userHasCustomPermission(admin?.id ?? '', 'Pryzm_Push')).toBe(true);
  });

  it('picks up a field added to the package', () => {
    const copy = forceAppWithAccountField(
      scratch,
      'Tier__c',
      `    <label>Tier</label>
    <type>Picklist</type>
    <valueSet><restricted>true</restricted><valueSetDefinition>
        <value><fullName>Gold</fullName><default>false</default><label>Gold</label></value>
        <value><fullName>Silver</fullName><default>true</default><label>Silver</label></value>
    </valueSetDefinition></valueSet>`,
    );
    const org = new Org({ myDomain: 'added' }, 0, readForceApp(copy));
    const tier = org.schema.field('Account', 'Tier__c');
    expect(tier).toMatchObject({ type: 'picklist', restrictedPicklist: true, custom: true });
    const created = org.write(org.users[0]?.id ?? '', 'test', (tx, dml) =>
      dml.insert(tx, 'Account', { Name: 'T' }, 'json'),
    );
    expect(created['Tier__c']).toBe('Silver');
    expect(() =>
      org.write(org.users[0]?.id ?? '', 'test', (tx, dml) =>
        dml.insert(tx, 'Account', { Name: 'T', Tier__c: 'Bronze' }, 'json'),
      ),
    ).toThrow(/INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST/);
  });

  it('completes trimmed describes and keeps system fields read-only', () => {
    const org = new Org({ myDomain: 'trimmed' }, 0, readForceApp(undefined));
    expect(org.describe('User')).toMatchObject({
      keyPrefix: '005',
      createable: true,
      deletable: false,
    });
    expect(org.schema.field('User', 'CreatedDate')).toMatchObject({
      createable: false,
      updateable: false,
      soapType: 'xsd:dateTime',
    });
    expect(org.schema.field('Opportunity', 'StageName')).toMatchObject({
      type: 'picklist',
      nillable: false,
    });
    expect(org.describe('Organization')).toMatchObject({ keyPrefix: '00D', createable: false });
  });
});
