/**
 * An admin's record-triggered Flow with an outbound message action, loaded into the local org
 * the way an admin deploys it (a Flow and the Workflow outbound message it names, whose endpoint
 * URL is the one the service issued): a change in Salesforce fires the Flow, the org sends the
 * SOAP notification, the service reads the record back, commits it in Pryzm and only then
 * acknowledges. Change source paused: nothing but the outbound message brings changes in.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../support/databases.ts';
import { salesforceApi } from '../support/sync.ts';
import { setChangeSource, startRealtimeStack, type RealtimeStack } from './support.ts';

const MESSAGE = 'Pryzm_Account_Changed';

/** A Flow as Flow Builder saves it: after save, on create and update, skipping the connector. */
const flowXml = `<?xml version="1.0" encoding="UTF-8"?>
<Flow xmlns="http://soap.sforce.com/2006/04/metadata">
    <actionCalls>
        <name>Notify_Pryzm</name>
        <label>Notify Pryzm</label>
        <locationX>176</locationX>
        <locationY>323</locationY>
        <actionName>Account.${MESSAGE}</actionName>
        <actionType>outboundMessage</actionType>
        <flowTransactionModel>CurrentTransaction</flowTransactionModel>
        <nameSegment>Account.${MESSAGE}</nameSegment>
    </actionCalls>
    <apiVersion>63.0</apiVersion>
    <environments>Default</environments>
    <interviewLabel>Account to Pryzm {!$Flow.CurrentDateTime}</interviewLabel>
    <label>Account to Pryzm</label>
    <processType>AutoLaunchedFlow</processType>
    <start>
        <locationX>50</locationX>
        <locationY>0</locationY>
        <connector>
            <targetReference>Notify_Pryzm</targetReference>
        </connector>
        <filterFormula>NOT({!$Permission.pryzm__Pryzm_Integration})</filterFormula>
        <object>Account</object>
        <recordTriggerType>CreateAndUpdate</recordTriggerType>
        <triggerType>RecordAfterSave</triggerType>
    </start>
    <status>Active</status>
</Flow>
`;

const workflowXml = (endpointUrl: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Workflow xmlns="http://soap.sforce.com/2006/04/metadata">
    <outboundMessages>
        <fullName>${MESSAGE}</fullName>
        <apiVersion>63.0</apiVersion>
        <description>Tells Pryzm which Accounts changed; Pryzm reads them back.</description>
        <endpointUrl>${endpointUrl}</endpointUrl>
        <fields>Id</fields>
        <fields>Name</fields>
        <includeSessionId>false</includeSessionId>
        <integrationUser>admin@rt.example.com.uat</integrationUser>
        <name>Pryzm Account Changed</name>
        <protected>false</protected>
        <useDeadLetterQueue>false</useDeadLetterQueue>
    </outboundMessages>
</Workflow>
`;

describe.each(PROVIDERS)('a Flow outbound message round trip on %s', (provider) => {
  let stack: RealtimeStack;
  let metadataDir: string;
  const sf = () => salesforceApi(stack.local, stack.org);
  const outbound = () => stack.local.events.outboundMessages;
  const pryzmNames = async () =>
    (
      await stack.ws.client.get<{ data: { id: string; values: Record<string, unknown> }[] }>(
        `/api/workspaces/${stack.ws.id}/record-types/organization/records?limit=500`,
      )
    ).body.data.map((record) => ({ id: record.id, name: record.values['name'] }));

  beforeAll(async () => {
    stack = await startRealtimeStack(provider);
    stack.local.seed(stack.org.id, { accounts: 4, contacts: 0, opportunities: 0 });
    await setChangeSource(stack, 'paused');
    const issued = await stack.ws.client.post<{ url: string }>(
      `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}/outbound-messages/endpoint`,
      {},
    );
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    metadataDir = mkdtempSync(join(tmpdir(), 'pryzm-om-flow-'));
    mkdirSync(join(metadataDir, 'flows'));
    mkdirSync(join(metadataDir, 'workflows'));
    writeFileSync(join(metadataDir, 'flows', 'Account_To_Pryzm.flow-meta.xml'), flowXml);
    writeFileSync(
      join(metadataDir, 'workflows', 'Account.workflow-meta.xml'),
      workflowXml(issued.body.url),
    );
    const loaded = stack.local.events.loadOrgMetadata(stack.org.id, metadataDir);
    expect(loaded.map((flow) => flow.name)).toEqual(['Account_To_Pryzm']);
  });
  afterAll(async () => {
    await stack?.close();
    if (metadataDir) rmSync(metadataDir, { recursive: true, force: true });
  });

  it('should bring a change and a new record into Pryzm and acknowledge only after they committed', async () => {
    const [first] = await sf().soql<{ Id: string }>('SELECT Id FROM Account ORDER BY Name LIMIT 1');
    const before = outbound().sent.length;
    await sf().request(`sobjects/Account/${first!.Id}`, {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Renamed Through A Flow' }),
    });
    const created = await sf().request<{ id: string }>('sobjects/Account', {
      method: 'POST',
      body: JSON.stringify({ Name: 'Created Through A Flow' }),
    });
    await outbound().idle();

    // One message per transaction, each acknowledged at its first attempt, and none for the
    // connector's own write of Pryzm_ID__c (the Flow skips the integration user).
    const sent = outbound().sent.slice(before);
    expect(sent.map((s) => [s.message, s.recordIds])).toEqual([
      [`Account.${MESSAGE}`, [first!.Id]],
      [`Account.${MESSAGE}`, [created.id]],
    ]);
    for (const { delivery } of sent) {
      expect(delivery).toMatchObject({ delivered: true, attempts: [{ status: 200, ack: true }] });
    }
    const names = await pryzmNames();
    expect(names.map((r) => r.name)).toEqual(
      expect.arrayContaining(['Renamed Through A Flow', 'Created Through A Flow']),
    );
    const [back] = await sf().soql<{ pryzm__Pryzm_ID__c: string | null }>(
      `SELECT pryzm__Pryzm_ID__c FROM Account WHERE Id = '${created.id}'`,
    );
    expect(back!.pryzm__Pryzm_ID__c).toBe(
      names.find((r) => r.name === 'Created Through A Flow')!.id,
    );
    const jobs = await stack.ws.client.get<{ data: { kind: string; status: string }[] }>(
      `/api/workspaces/${stack.ws.id}/jobs?kind=realtime`,
    );
    expect(jobs.body.data.length).toBeGreaterThan(0);
  });

  it('should send one message with a notification per record for a transaction of several', async () => {
    const accounts = await sf().soql<{ Id: string }>('SELECT Id FROM Account ORDER BY Name');
    const renamed = accounts.slice(0, 3).map((a, i) => ({
      attributes: { type: 'Account' },
      Id: a.Id,
      Name: `Batch Renamed ${i}`,
    }));
    const before = outbound().sent.length;
    await sf().request('composite/sobjects', {
      method: 'PATCH',
      body: JSON.stringify({ allOrNone: true, records: renamed }),
    });
    await outbound().idle();
    const sent = outbound().sent.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.recordIds).toEqual(renamed.map((r) => r.Id));
    expect(sent[0]!.delivery?.delivered).toBe(true);
    expect((await pryzmNames()).map((r) => r.name)).toEqual(
      expect.arrayContaining(['Batch Renamed 0', 'Batch Renamed 1', 'Batch Renamed 2']),
    );
  });
});
