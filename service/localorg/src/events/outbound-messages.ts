/**
 * Outbound Messages, as a workflow rule's or a Flow's outbound message action sends them: a SOAP
 * `notifications` message (OrganizationId, ActionId, SessionId, EnterpriseUrl, PartnerUrl and
 * up to 100 `Notification` elements, each an `Id` and an `sObject` of `xsi:type="sf:<Object>"`
 * with `sf:Id` and the fields the outbound message definition selects, typed as the enterprise
 * WSDL's `urn:sobject.enterprise.soap.sforce.com` types them: `sObjectFields`) POSTed to the
 * endpoint URL with `SOAPAction: ""`; it is delivered only when the
 * answer is a `notificationsResponse` with `<Ack>true</Ack>`, otherwise it is sent again with a
 * growing interval (Salesforce keeps trying for 24 hours; here a few quick attempts), each retry
 * with the same notification ids.
 * https://developer.salesforce.com/docs/platform/api/guide/sforce-api-om-outboundmessaging-wsdl.html
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm
 */
import { randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import type { ApiError, EventBusHost, SObjectDescribe, StoredRecord } from '../core/contracts.ts';

const SOAP_ENVELOPE = 'http://schemas.xmlsoap.org/soap/envelope/';
const OUTBOUND = 'http://soap.sforce.com/2005/09/outbound';
const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export interface OutboundSend {
  orgId: string;
  /** The endpoint URL of the outbound message. */
  url: string;
  objectName: string;
  recordIds: string[];
  /** Ids of a notification sent before (a retry carries the same); new ones when left out. */
  notificationIds?: string[];
  /** Where the org's SOAP API is (EnterpriseUrl/PartnerUrl). */
  instanceUrl: string;
  /** Per record id, the selected fields as its `sObject` carries them (`sObjectFields`). */
  fields?: ReadonlyMap<string, readonly SObjectField[]>;
  maxAttempts?: number;
  firstRetryMs?: number;
}

export interface OutboundDelivery {
  delivered: boolean;
  notificationIds: string[];
  attempts: { status: number | null; ack: boolean; error?: string }[];
}

/** An id with a key prefix, 18 characters like the ones Salesforce hands out. */
function newId(prefix: string): string {
  const bytes = randomBytes(15);
  return prefix + [...bytes].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

const escapeXml = (value: string) => value.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** One field of a notification's `sObject`: its API name and its value as XML text. */
export interface SObjectField {
  name: string;
  text: string;
}

/** A date/time as `xsd:dateTime` in UTC (the org stores the REST form, `…+0000`). */
const xsdDateTime = (value: string) => value.replace(/\+0000$/, 'Z');

/**
 * The fields an outbound message definition selects, of one record, as the notification's
 * `sObject` carries them: in the definition's order, named as the describe spells them, each as
 * its enterprise WSDL type writes it (`xsd:boolean` true/false, `xsd:int` and `xsd:double`
 * numbers, `xsd:date` YYYY-MM-DD, `xsd:dateTime` in UTC, ids and text as they are)
 * (https://developer.salesforce.com/docs/platform/api/guide/sforce-api-om-outboundmessaging-wsdl.html:
 * the `sObject` is the object's enterprise type, every field an optional element). Fields
 * without a value are left out, and so are compound fields (a definition selects their parts).
 * `Id` is always first, whether selected or not.
 */
export function sObjectFields(
  describe: SObjectDescribe,
  fieldNames: readonly string[],
  record: StoredRecord,
): SObjectField[] {
  const out: SObjectField[] = [];
  const seen = new Set(['id']);
  for (const wanted of fieldNames) {
    const field = describe.fields.find((f) => f.name.toLowerCase() === wanted.toLowerCase());
    if (!field || seen.has(field.name.toLowerCase())) continue;
    seen.add(field.name.toLowerCase());
    if (field.type === 'address' || field.type === 'location') continue;
    const value = record[field.name];
    if (value === null || value === undefined || value === '') continue;
    let text: string;
    if (field.type === 'boolean') text = value === true || value === 'true' ? 'true' : 'false';
    else if (field.type === 'datetime') text = xsdDateTime(String(value));
    else text = String(value);
    out.push({ name: field.name, text });
  }
  return out;
}

export function notificationsEnvelope(
  send: OutboundSend,
  actionId: string,
  notificationIds: string[],
): string {
  const items = send.recordIds
    .map(
      (recordId, i) =>
        `<Notification><Id>${notificationIds[i]}</Id>` +
        `<sObject xsi:type="sf:${send.objectName}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">` +
        `<sf:Id>${recordId}</sf:Id>` +
        (send.fields?.get(recordId) ?? [])
          .map((field) => `<sf:${field.name}>${escapeXml(field.text)}</sf:${field.name}>`)
          .join('') +
        `</sObject></Notification>`,
    )
    .join('');
  const soap = (kind: string) =>
    escapeXml(`${send.instanceUrl}/services/Soap/${kind}/63.0/${send.orgId}`);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENVELOPE}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ` +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>' +
    `<notifications xmlns="${OUTBOUND}"><OrganizationId>${send.orgId}</OrganizationId>` +
    `<ActionId>${actionId}</ActionId><SessionId xsi:nil="true"/>` +
    `<EnterpriseUrl>${soap('c')}</EnterpriseUrl><PartnerUrl>${soap('u')}</PartnerUrl>` +
    `${items}</notifications></soapenv:Body></soapenv:Envelope>`
  );
}

const responseParser = new XMLParser({ removeNSPrefix: true, parseTagValue: false });

/** Whether an answer is the Ack: `notificationsResponse/Ack` = true in a SOAP body. */
export function isAck(xml: string): boolean {
  try {
    const doc = responseParser.parse(xml) as {
      Envelope?: { Body?: { notificationsResponse?: { Ack?: unknown } } };
    };
    return String(doc.Envelope?.Body?.notificationsResponse?.Ack ?? '').trim() === 'true';
  } catch {
    return false;
  }
}

/**
 * Checks a send request against the org's describes; answers REST-style errors. `fields` (as a
 * definition selects them) must be fields of the object: Setup offers no others.
 */
export function checkSend(
  host: EventBusHost,
  send: OutboundSend,
  fields: readonly string[] = [],
): ApiError[] {
  const problem = (message: string): ApiError[] => [
    { message, errorCode: 'INVALID_FIELD', fields: [] },
  ];
  const describe = host.describe(send.orgId, send.objectName);
  if (!describe) return problem(`sObject type '${send.objectName}' is not supported.`);
  if (send.recordIds.length === 0 || send.recordIds.length > 100) {
    return problem('ids: 1 to 100 record ids per outbound message');
  }
  const prefix = describe.keyPrefix;
  const bad = send.recordIds.find((id) => !ID.test(id) || (prefix && !id.startsWith(prefix)));
  if (bad) return [{ message: `invalid record id: ${bad}`, errorCode: 'MALFORMED_ID', fields: [] }];
  if (send.notificationIds && send.notificationIds.length !== send.recordIds.length) {
    return problem('notificationIds: one per record id');
  }
  if (!/^https?:\/\//.test(send.url)) return problem('url: an http(s) endpoint URL');
  const names = new Set(describe.fields.map((field) => field.name.toLowerCase()));
  const unknown = fields.find((field) => !names.has(field.toLowerCase()));
  if (unknown) {
    return problem(`No such column '${unknown}' on entity '${describe.name}'`);
  }
  return [];
}

/** Sends the message until it is acknowledged or the attempts run out. */
export async function sendOutboundMessage(send: OutboundSend): Promise<OutboundDelivery> {
  const notificationIds = send.notificationIds ?? send.recordIds.map(() => newId('04l'));
  const body = notificationsEnvelope(send, newId('04k'), notificationIds);
  const attempts: OutboundDelivery['attempts'] = [];
  const maxAttempts = send.maxAttempts ?? 3;
  let waitMs = send.firstRetryMs ?? 50;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      const response = await fetch(send.url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
        body,
        signal: AbortSignal.timeout(60_000),
      });
      const ack = response.ok && isAck(await response.text());
      attempts.push({ status: response.status, ack });
      if (ack) return { delivered: true, notificationIds, attempts };
    } catch (error) {
      attempts.push({ status: null, ack: false, error: (error as Error).message });
    }
    if (attempt < maxAttempts) {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      waitMs *= 2;
    }
  }
  return { delivered: false, notificationIds, attempts };
}
