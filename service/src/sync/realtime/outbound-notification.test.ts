import { describe, expect, it } from 'vitest';
import {
  ackResponse,
  faultResponse,
  notificationsRequest,
  parseOutboundMessage,
} from './outbound-notification.ts';

const message = {
  organizationId: '00D000000000001EAA',
  actionId: '04k000000000001AAA',
  notifications: [
    { id: '04l000000000001AAA', objectName: 'Account', recordId: '001000000000001AAA' },
    { id: '04l000000000002AAA', objectName: 'Account', recordId: '001000000000002AAA' },
  ],
};

describe('Outbound Message SOAP', () => {
  it('reads the notifications of a message as Salesforce sends it', () => {
    expect(parseOutboundMessage(notificationsRequest(message))).toEqual({ ok: true, message });
  });

  it('reads other namespace prefixes and extra sObject fields', () => {
    const xml = notificationsRequest(message)
      .replaceAll('soapenv:', 'soap:')
      .replace('xmlns:soapenv=', 'xmlns:soap=')
      .replace(
        '<sf:Id>001000000000001AAA</sf:Id>',
        '<sf:Id>001000000000001AAA</sf:Id><sf:Name>A &amp; B</sf:Name>',
      );
    const parsed = parseOutboundMessage(xml);
    expect(parsed.ok && parsed.message.notifications).toEqual(message.notifications);
  });

  it.each([
    ['not XML', 'hello'],
    ['a document type', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'],
    ['another element', '<Envelope><Body><other/></Body></Envelope>'],
    ['a bad organization id', notificationsRequest({ ...message, organizationId: "00D' OR 1=1" })],
    [
      'a bad record id',
      notificationsRequest({
        ...message,
        notifications: [{ ...message.notifications[0]!, recordId: '001x' }],
      }),
    ],
    ['no notifications', notificationsRequest({ ...message, notifications: [] })],
    [
      'more than 100 notifications',
      notificationsRequest({
        ...message,
        notifications: Array.from({ length: 101 }, () => message.notifications[0]!),
      }),
    ],
  ])('refuses %s', (_name, xml) => {
    expect(parseOutboundMessage(xml).ok).toBe(false);
  });

  it('answers the Ack and escaped faults', () => {
    expect(ackResponse()).toContain(
      '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack>',
    );
    expect(faultResponse('Client', 'a <b>')).toContain('<faultstring>a &#60;b&#62;</faultstring>');
  });
});
