import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAck, sendOutboundMessage } from '../../src/events/outbound-messages.ts';

const ACK =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack>' +
  '</notificationsResponse></soapenv:Body></soapenv:Envelope>';

describe('Outbound Messages of the local org', () => {
  let server: Server;
  let url: string;
  const received: { body: string; soapAction: string | undefined }[] = [];
  /** What the endpoint answers, attempt by attempt. */
  let answers: { status: number; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ body, soapAction: req.headers['soapaction'] as string | undefined });
        const answer = answers.shift() ?? { status: 200, body: ACK };
        res.writeHead(answer.status, { 'content-type': 'text/xml' }).end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/om`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = (ids: string[]) =>
    sendOutboundMessage({
      orgId: '00D000000000001EAA',
      url,
      objectName: 'Account',
      recordIds: ids,
      instanceUrl: 'https://acme.my.salesforce.com',
      firstRetryMs: 1,
    });

  it('sends the notifications envelope and stops at the Ack', async () => {
    received.length = 0;
    const delivery = await send(['001000000000001AAA']);
    expect(delivery).toMatchObject({ delivered: true, attempts: [{ status: 200, ack: true }] });
    expect(received[0]!.soapAction).toBe('""');
    const body = received[0]!.body;
    expect(body).toContain('<OrganizationId>00D000000000001EAA</OrganizationId>');
    expect(body).toContain(`<Id>${delivery.notificationIds[0]}</Id>`);
    expect(body).toContain('xsi:type="sf:Account"');
    expect(body).toContain('<sf:Id>001000000000001AAA</sf:Id>');
    expect(delivery.notificationIds[0]).toMatch(/^04l[a-zA-Z0-9]{15}$/);
  });

  it('sends the same notification again until it is acknowledged', async () => {
    received.length = 0;
    answers = [
      { status: 500, body: '<fault/>' },
      { status: 200, body: ACK.replace('true', 'false') },
    ];
    const delivery = await send(['001000000000002AAA']);
    expect(delivery.attempts.map((a) => [a.status, a.ack])).toEqual([
      [500, false],
      [200, false],
      [200, true],
    ]);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
  });

  it('gives up after its attempts', async () => {
    answers = [1, 2, 3].map(() => ({ status: 503, body: '' }));
    const delivery = await send(['001000000000003AAA']);
    expect(delivery.delivered).toBe(false);
    expect(delivery.attempts).toHaveLength(3);
  });

  it('takes only a notificationsResponse with Ack true for an Ack', () => {
    expect(isAck(ACK)).toBe(true);
    expect(isAck('<Ack>true</Ack>')).toBe(false);
    expect(isAck('not xml <')).toBe(false);
  });
});
