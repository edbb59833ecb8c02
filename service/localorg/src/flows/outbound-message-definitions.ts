/**
 * Outbound message definitions, as Salesforce keeps them in Workflow metadata
 * (`workflows/<Object>.workflow-meta.xml`, one `<outboundMessages>` per message: `fullName`,
 * `endpointUrl`, `fields`, `integrationUser`, `includeSessionId`, `apiVersion`, `name`,
 * `protected`, `useDeadLetterQueue`, `description`). A Flow's outbound message action names one
 * as `<Object>.<fullName>` (the unique name is unique per object only). The elements are those
 * of the `Workflow` and `WorkflowOutboundMessage` types in Salesforce's Metadata API v63 WSDL.
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_workflowoutboundmessage.htm
 * https://help.salesforce.com/apex/HTViewHelpDoc?id=platform.workflow_managing_outbound_messages.htm
 *
 * The local org sends them from Flows only: a workflow file with rules, alerts, field updates or
 * tasks is refused at load, never silently left unrun.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { checkKeys, fail, text, type Xml } from './flow-xml.ts';
import type { OutboundMessageDefinition } from './flow-model.ts';

export type { OutboundMessageDefinition };

/** Outbound messages by `<Object>.<fullName>`, lower-cased. */
export type OutboundMessages = Map<string, OutboundMessageDefinition>;

export const outboundMessageKey = (actionName: string) => actionName.toLowerCase();

const OUTBOUND_MESSAGE_KEYS = [
  'fullName',
  'apiVersion',
  'description',
  'endpointUrl',
  'fields',
  'includeSessionId',
  'integrationUser',
  'name',
  'protected',
  'useDeadLetterQueue',
];

/** Parses one `<Object>.workflow-meta.xml`; throws UnsupportedFlowError on what it cannot send. */
export function parseWorkflowOutboundMessages(
  object: string,
  xml: string,
): OutboundMessageDefinition[] {
  const where = `workflow ${object}`;
  const parser = new XMLParser({
    ignoreAttributes: true,
    parseTagValue: false,
    isArray: (tag) => tag === 'outboundMessages' || tag === 'fields',
  });
  const root = (parser.parse(xml) as { Workflow?: Xml | '' }).Workflow;
  if (root === undefined) fail(where, 'is not a Workflow');
  if (root === '') return [];
  for (const key of Object.keys(root)) {
    if (key !== 'outboundMessages')
      fail(where, `<${key}> is not supported (the local org sends outbound messages from Flows)`);
  }
  return ((root.outboundMessages as Xml[] | undefined) ?? []).map((message) => {
    checkKeys(where, 'outboundMessages', message, OUTBOUND_MESSAGE_KEYS);
    const fullName = text(message, 'fullName');
    const endpointUrl = text(message, 'endpointUrl');
    if (!fullName) fail(where, 'an outbound message has no <fullName>');
    if (!endpointUrl || !/^https?:\/\/\S+$/.test(endpointUrl))
      fail(where, `outbound message ${fullName}: <endpointUrl> must be an http(s) URL`);
    // A session id would let the endpoint call back as the integration user; the local org
    // sends none, so a message that promises one is refused rather than sent without it.
    if (text(message, 'includeSessionId') === 'true')
      fail(where, `outbound message ${fullName}: includeSessionId is not supported`);
    return {
      object,
      fullName,
      label: text(message, 'name') ?? fullName,
      endpointUrl,
      fields: ((message.fields as unknown[] | undefined) ?? []).map((field) =>
        String(field).trim(),
      ),
      integrationUser: text(message, 'integrationUser') ?? '',
    };
  });
}

/** Every outbound message of a `main/default`-style folder's `workflows/`. */
export function loadOutboundMessages(metadataDir: string): OutboundMessages {
  const dir = join(metadataDir, 'workflows');
  const messages: OutboundMessages = new Map();
  if (!existsSync(dir)) return messages;
  for (const file of readdirSync(dir).sort()) {
    const match = /^(.+)\.workflow-meta\.xml$/.exec(file);
    if (!match) continue;
    for (const message of parseWorkflowOutboundMessages(
      match[1]!,
      readFileSync(join(dir, file), 'utf8'),
    )) {
      messages.set(outboundMessageKey(`${message.object}.${message.fullName}`), message);
    }
  }
  return messages;
}
