/**
 * Flows with an outbound message action: the action names a Workflow outbound message as
 * `<Object>.<name>`, a transaction's interviews queue their records and one message per outbound
 * message goes out after the commit (at most 100 notifications each); what the local org cannot
 * send as Salesforce would is refused at load.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RecordChange } from '../../src/core/contracts.ts';
import { EventBus } from '../../src/events/event-bus.ts';
import { parseFlow, UnsupportedFlowError } from '../../src/flows/flow-loader.ts';
import { FlowRunner, type OutboundMessageSender } from '../../src/flows/flow-runner.ts';
import {
  outboundMessageKey,
  parseWorkflowOutboundMessages,
  type OutboundMessages,
} from '../../src/flows/outbound-message-definitions.ts';
import { accountDescribe } from '../pubsub/support/describes.ts';
import { MemoryHost } from '../pubsub/support/memory-host.ts';

const ADMIN = '005000000000001AAA';
const INTEGRATION_USER = '005000000000002AAA';

const workflow = (message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Workflow xmlns="http://soap.sforce.com/2006/04/metadata">${message}</Workflow>`;
const outboundMessage = (extra = '') =>
  `<outboundMessages><fullName>To_Pryzm</fullName><apiVersion>63.0</apiVersion>` +
  `<endpointUrl>https://pryzm.example.com/outbound-messages/c/s</endpointUrl><fields>Id</fields>` +
  `<fields>Name</fields><includeSessionId>false</includeSessionId>` +
  `<integrationUser>admin@example.com</integrationUser><name>To Pryzm</name>` +
  `<protected>false</protected>${extra}</outboundMessages>`;

const flow = (options: { object?: string; action?: string; filter?: string; call?: string }) =>
  `<Flow xmlns="http://soap.sforce.com/2006/04/metadata"><label>To Pryzm</label>` +
  `<processType>AutoLaunchedFlow</processType><status>Active</status>` +
  `<actionCalls><name>Send</name><label>Send</label>` +
  `<actionName>${options.action ?? 'Account.To_Pryzm'}</actionName>` +
  `<actionType>outboundMessage</actionType><flowTransactionModel>CurrentTransaction</flowTransactionModel>` +
  `<nameSegment>${options.action ?? 'Account.To_Pryzm'}</nameSegment>${options.call ?? ''}</actionCalls>` +
  `<start><object>${options.object ?? 'Account'}</object><triggerType>RecordAfterSave</triggerType>` +
  `<recordTriggerType>CreateAndUpdate</recordTriggerType>${options.filter ?? ''}` +
  `<connector><targetReference>Send</targetReference></connector></start></Flow>`;

function messagesOf(xml: string, object = 'Account'): OutboundMessages {
  return new Map(
    parseWorkflowOutboundMessages(object, xml).map((m) => [
      outboundMessageKey(`${m.object}.${m.fullName}`),
      m,
    ]),
  );
}

const update = (recordId: string, name: string): RecordChange => ({
  objectName: 'Account',
  changeType: 'UPDATE',
  recordId,
  changedFields: ['Name'],
  nulledFields: [],
  after: { Id: recordId, IsDeleted: false, Name: name },
  before: { Id: recordId, IsDeleted: false, Name: 'Before' },
});

describe('Flow outbound message actions', () => {
  let host: MemoryHost;
  let runner: FlowRunner;
  let sends: { orgId: string; message: string; endpointUrl: string; recordIds: string[] }[];

  beforeEach(() => {
    host = new MemoryHost(undefined, [accountDescribe]);
    host.grant(INTEGRATION_USER, 'Pryzm_Integration');
    sends = [];
    const sender: OutboundMessageSender = {
      send: (orgId, message, recordIds, records) => {
        sends.push({
          orgId,
          message: `${message.object}.${message.fullName}`,
          endpointUrl: message.endpointUrl,
          recordIds,
        });
        // The records come as the transaction left them, for the fields the message carries.
        for (const id of recordIds) expect(records?.get(id)?.Id).toBe(id);
      },
    };
    const definition = parseFlow(
      'To_Pryzm',
      flow({ filter: '<filterFormula>NOT({!$Permission.Pryzm_Integration})</filterFormula>' }),
      undefined,
      messagesOf(workflow(outboundMessage())),
    )!;
    runner = new FlowRunner(host, new EventBus(host), [], sender);
    runner.addOrgFlows(host.orgId, [definition]);
    runner.start();
  });

  afterEach(() => runner.close());

  it('sends one message per transaction with every record its interviews named', () => {
    const ids = Array.from({ length: 3 }, (_, i) => `00100000000000${i}AAA`.padEnd(18, 'A'));
    host.commit(
      ADMIN,
      ids.map((id) => update(id, 'After')),
    );
    expect(sends).toEqual([
      {
        orgId: host.orgId,
        message: 'Account.To_Pryzm',
        endpointUrl: 'https://pryzm.example.com/outbound-messages/c/s',
        recordIds: ids,
      },
    ]);
  });

  it('splits a transaction of more than 100 records into messages of 100 notifications', () => {
    const ids = Array.from({ length: 150 }, (_, i) => `001${String(i).padStart(12, '0')}AAA`);
    host.commit(
      ADMIN,
      ids.map((id) => update(id, 'After')),
    );
    expect(sends.map((s) => s.recordIds.length)).toEqual([100, 50]);
    expect(sends.flatMap((s) => s.recordIds)).toEqual(ids);
  });

  it('sends nothing when the entry condition skips the writer', () => {
    host.commit(INTEGRATION_USER, [update('001000000000001AAA', 'After')]);
    expect(sends).toEqual([]);
  });

  it('runs only in the org it was loaded into', () => {
    const otherOrg = '00D000000000002AAA';
    runner.runTransaction({
      orgId: otherOrg,
      userId: ADMIN,
      transactionKey: 'other-org',
      commitTimestamp: Date.now(),
      changeOrigin: 'com/salesforce/api/rest/63.0',
      changes: [update('001000000000001AAA', 'After')],
    });
    expect(sends).toEqual([]);
    expect(runner.flowsOf(otherOrg)).toEqual([]);
    expect(runner.flowsOf(host.orgId).map((f) => f.name)).toEqual(['To_Pryzm']);
  });

  it('reads outbound messages from Workflow metadata', () => {
    const [message] = parseWorkflowOutboundMessages('Account', workflow(outboundMessage()));
    expect(message).toEqual({
      object: 'Account',
      fullName: 'To_Pryzm',
      label: 'To Pryzm',
      endpointUrl: 'https://pryzm.example.com/outbound-messages/c/s',
      fields: ['Id', 'Name'],
      integrationUser: 'admin@example.com',
    });
  });

  it('refuses at load what it cannot send as Salesforce would', () => {
    const messages = messagesOf(workflow(outboundMessage()));
    expect(() => parseFlow('F', flow({ action: 'Account.Missing' }), undefined, messages)).toThrow(
      /outbound message Account.Missing is not defined in a workflow/,
    );
    expect(() =>
      parseFlow('F', flow({ object: 'Contact', action: 'Account.To_Pryzm' }), undefined, messages),
    ).toThrow(/not defined on Contact/);
    expect(() =>
      parseFlow(
        'F',
        flow({
          call: '<inputParameters><name>x</name><value><stringValue>y</stringValue></value></inputParameters>',
        }),
        undefined,
        messages,
      ),
    ).toThrow(/unsupported <inputParameters>/);
    expect(() =>
      parseWorkflowOutboundMessages(
        'Account',
        workflow(`${outboundMessage()}<rules><fullName>R</fullName></rules>`),
      ),
    ).toThrow(UnsupportedFlowError);
    expect(() =>
      parseWorkflowOutboundMessages(
        'Account',
        workflow(outboundMessage()).replace('<includeSessionId>false', '<includeSessionId>true'),
      ),
    ).toThrow(/includeSessionId is not supported/);
    expect(() =>
      parseWorkflowOutboundMessages(
        'Account',
        workflow(outboundMessage()).replace('https://pryzm.example.com', 'ftp://x'),
      ),
    ).toThrow(/must be an http\(s\) URL/);
  });
});
