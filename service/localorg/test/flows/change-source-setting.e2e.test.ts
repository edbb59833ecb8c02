/**
 * The Pryzm Settings hierarchy custom setting served like any custom object (describe, SOQL,
 * sObject create and update with SetupOwnerId, one row per owner), and the package's change
 * Flows honouring its org default row: `paused` publishes nothing, `flows` publishes again.
 */
import { Connection } from 'jsforce';
import type PubSubApiClient from 'salesforce-pubsub-api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg, type OrgInfo } from '../../src/index.ts';
import { collector, connectPubSub, sleep } from '../pubsub/support/local-org-clients.ts';
import { waitFor } from '../pubsub/support/pubsub-harness.ts';

describe('Pryzm Settings change source', () => {
  let local: LocalOrg;
  let org: OrgInfo;
  let admin: Connection;
  let client: PubSubApiClient;
  const recordChanges = collector();

  beforeAll(async () => {
    local = await startLocalOrg();
    org = local.orgs.find((o) => o.myDomain === 'pryzm-demo')!;
    const issued = local.issueAccessToken(org.id);
    admin = new Connection({ ...issued, version: '62.0' });
    client = await connectPubSub(local, org.id, issued.accessToken);
    client.subscribeFromEarliestEvent('/event/Pryzm_Record_Change__e', recordChanges.callback);
  });

  afterAll(async () => {
    await local.close();
    client.close();
  });

  it('is a hierarchy custom setting whose rows belong to the org, a profile or a user', async () => {
    const d = await admin.sobject('Pryzm_Settings__c').describe();
    expect(d.customSetting).toBe(true);
    expect(d.fields.map((f) => f.name)).not.toContain('OwnerId');
    expect(d.fields.find((f) => f.name === 'SetupOwnerId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Organization', 'Profile', 'User'],
    });
    expect(d.fields.find((f) => f.name === 'Change_Source__c')).toMatchObject({
      type: 'string',
      length: 16,
    });
  });

  it('the org default row is created, read and updated through REST, one per owner', async () => {
    const created = await admin
      .sobject('Pryzm_Settings__c')
      .create({ SetupOwnerId: org.id, Change_Source__c: 'paused' });
    expect(created.success).toBe(true);
    const duplicate = await admin
      .sobject('Pryzm_Settings__c')
      .create({ SetupOwnerId: org.id, Change_Source__c: 'cdc' })
      .catch((error: { errorCode?: string }) => error);
    expect(duplicate).toMatchObject({ errorCode: 'DUPLICATE_VALUE' });
    const rows = await admin.query<{ Id: string; SetupOwnerId: string; Change_Source__c: string }>(
      `SELECT Id, SetupOwnerId, Change_Source__c FROM Pryzm_Settings__c WHERE SetupOwnerId = '${org.id}'`,
    );
    expect(rows.records).toMatchObject([{ SetupOwnerId: org.id, Change_Source__c: 'paused' }]);

    const paused = await admin.sobject('Account').create({ Name: 'Written while paused' });
    await sleep(300);
    expect(recordChanges.events.map((e) => e.payload['Record_Id__c'])).not.toContain(paused.id);

    await admin
      .sobject('Pryzm_Settings__c')
      .update({ Id: rows.records[0]!.Id, Change_Source__c: 'flows' });
    const flowing = await admin.sobject('Account').create({ Name: 'Written with flows on' });
    await waitFor(() => recordChanges.events.some((e) => e.payload['Record_Id__c'] === flowing.id));
    expect(recordChanges.events.map((e) => e.payload['Record_Id__c'])).not.toContain(paused.id);
  });
});
