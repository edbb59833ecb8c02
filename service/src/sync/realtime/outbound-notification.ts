/**
 * The SOAP of Salesforce Outbound Messages: the `notifications` request a workflow rule or a
 * Flow's outbound message action POSTs, and the answers it expects.
 *
 * The request, as the WSDL Salesforce generates for an outbound message describes it
 * (namespace `http://soap.sforce.com/2005/09/outbound`): `notifications` holds `OrganizationId`,
 * `ActionId`, `SessionId` (nillable), `EnterpriseUrl`, `PartnerUrl` and 1 to 100 `Notification`
 * elements, each an `Id` (the notification's own id, the same on every retry) and an `sObject`
 * whose `xsi:type` names the object (`sf:Account`) with `sf:Id` and the chosen fields. The
 * endpoint answers `notificationsResponse` with `<Ack>true</Ack>`; anything else (a fault, an
 * error status, a timeout) makes Salesforce send the message again later, for up to 24 hours.
 * https://developer.salesforce.com/docs/platform/api/guide/sforce-api-om-outboundmessaging-wsdl.html
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const OUTBOUND_NAMESPACE = 'http://soap.sforce.com/2005/09/outbound';
const SOAP_ENVELOPE = 'http://schemas.xmlsoap.org/soap/envelope/';
/** The WSDL allows at most 100 notifications per message. */
export const MAX_NOTIFICATIONS = 100;

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

export interface OutboundNotification {
  /** Salesforce's id of this notification: a retry carries the same one. */
  id: string;
  objectName: string;
  recordId: string;
}

export interface OutboundMessage {
  organizationId: string;
  actionId: string;
  notifications: OutboundNotification[];
}

export type ParsedMessage = { ok: true; message: OutboundMessage } | { ok: false; reason: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  trimValues: true,
  isArray: (name) => name === 'Notification',
});

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

const record = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

/** Reads a `notifications` SOAP request; anything outside its shape is refused, not guessed. */
export function parseOutboundMessage(xml: string): ParsedMessage {
  const refuse = (reason: string): ParsedMessage => ({ ok: false, reason });
  // No document type: entity declarations have no business in a notification.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return refuse('document type declarations are refused');
  if (XMLValidator.validate(xml) !== true) return refuse('the body is not well-formed XML');
  const doc = record(parser.parse(xml));
  const body = record(record(doc?.['Envelope'])?.['Body']);
  const notifications = record(body?.['notifications']);
  if (!notifications) return refuse('no notifications element in a SOAP envelope body');
  const organizationId = text(notifications['OrganizationId']);
  if (!organizationId || !ID.test(organizationId)) return refuse('OrganizationId is not an id');
  const actionId = text(notifications['ActionId']) ?? '';
  const list = notifications['Notification'];
  if (!Array.isArray(list) || list.length === 0) return refuse('no Notification elements');
  if (list.length > MAX_NOTIFICATIONS) {
    return refuse(`more than ${MAX_NOTIFICATIONS} Notification elements`);
  }
  const parsed: OutboundNotification[] = [];
  for (const item of list) {
    const id = text(record(item)?.['Id']);
    const sObject = record(record(item)?.['sObject']);
    const type = text(sObject?.['@type'])?.replace(/^[^:]*:/, '');
    const recordId = text(sObject?.['Id']);
    if (!id || !ID.test(id)) return refuse('a Notification has no valid Id');
    if (!type || !OBJECT_NAME.test(type)) return refuse('an sObject has no xsi:type');
    if (!recordId || !ID.test(recordId)) return refuse('an sObject has no valid Id');
    parsed.push({ id, objectName: type, recordId });
  }
  return { ok: true, message: { organizationId, actionId, notifications: parsed } };
}

/** The answer that tells Salesforce the message was taken (it stops retrying). */
export function ackResponse(): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE}"><soapenv:Body>` +
    `<notificationsResponse xmlns="${OUTBOUND_NAMESPACE}"><Ack>true</Ack></notificationsResponse>` +
    '</soapenv:Body></soapenv:Envelope>'
  );
}

const escapeXml = (value: string) => value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A SOAP 1.1 fault: `Client` when the message is refused, `Server` when applying it failed. */
export function faultResponse(code: 'Client' | 'Server', message: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE}"><soapenv:Body><soapenv:Fault>` +
    `<faultcode>soapenv:${code}</faultcode><faultstring>${escapeXml(message)}</faultstring>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}

/** A `notifications` request as Salesforce sends it (the local org and tests build theirs so). */
export function notificationsRequest(message: OutboundMessage & { sessionId?: string }): string {
  const items = message.notifications
    .map(
      (n) =>
        `<Notification><Id>${n.id}</Id><sObject xsi:type="sf:${n.objectName}" ` +
        `xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>${n.recordId}</sf:Id>` +
        '</sObject></Notification>',
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE}" ` +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>' +
    `<notifications xmlns="${OUTBOUND_NAMESPACE}">` +
    `<OrganizationId>${message.organizationId}</OrganizationId>` +
    `<ActionId>${message.actionId}</ActionId>` +
    (message.sessionId
      ? `<SessionId>${escapeXml(message.sessionId)}</SessionId>`
      : '<SessionId xsi:nil="true"/>') +
    '<EnterpriseUrl>https://example.my.salesforce.com/services/Soap/c/63.0</EnterpriseUrl>' +
    '<PartnerUrl>https://example.my.salesforce.com/services/Soap/u/63.0</PartnerUrl>' +
    `${items}</notifications></soapenv:Body></soapenv:Envelope>`
  );
}
