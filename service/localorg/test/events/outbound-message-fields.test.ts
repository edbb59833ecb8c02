import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import type { SObjectDescribe } from '../../src/core/contracts.ts';
import { sObjectFields } from '../../src/events/outbound-messages.ts';
import { startLocalOrg, type LocalOrg } from '../../src/index.ts';

const ACK =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack>' +
  '</notificationsResponse></soapenv:Body></soapenv:Envelope>';

describe('the fields an outbound message carries', () => {
  let local: LocalOrg;
  let conn: Connection;
  let server: Server;
  let endpoint: string;
  const received: string[] = [];

  beforeAll(async () => {
    local = await startLocalOrg();
    const { accessToken, instanceUrl } = local.issueAccessToken('pryzm-demo');
    conn = new Connection({ instanceUrl, accessToken, version: '63.0' });
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(body);
        res.writeHead(200, { 'content-type': 'text/xml' }).end(ACK);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/om`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await local.close();
  });

  const send = (body: Record<string, unknown>) =>
    fetch(`${local.loginUrl}/_localorg/orgs/${local.orgs[0]!.id}/events/outbound-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: endpoint, object: 'Account', ...body }),
    });

  it('should send the selected fields in the sObject, typed, and leave out those without a value', async () => {
    const { id } = (await conn.sobject('Account').create({
      Name: 'Fields & Co',
      NumberOfEmployees: 250,
      AnnualRevenue: 1250000.5,
      Industry: 'Energy',
    })) as { id: string };
    const [stored] = (
      await conn.query<{ SystemModstamp: string }>(
        `SELECT SystemModstamp FROM Account WHERE Id = '${id}'`,
      )
    ).records;
    received.length = 0;
    const response = await send({
      ids: [id],
      fields: ['Name', 'numberofemployees', 'AnnualRevenue', 'Phone', 'SystemModstamp', 'Industry'],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ delivered: true });
    const sObject = /<sObject [^>]*>(.*)<\/sObject>/.exec(received[0]!)?.[1];
    expect(sObject).toBe(
      `<sf:Id>${id}</sf:Id>` +
        '<sf:Name>Fields &#38; Co</sf:Name>' +
        '<sf:NumberOfEmployees>250</sf:NumberOfEmployees>' +
        '<sf:AnnualRevenue>1250000.5</sf:AnnualRevenue>' +
        // Phone has no value: not sent.
        `<sf:SystemModstamp>${stored!.SystemModstamp.replace('+0000', 'Z')}</sf:SystemModstamp>` +
        '<sf:Industry>Energy</sf:Industry>',
    );
  });

  it('should refuse a field the object does not have, and send nothing', async () => {
    received.length = 0;
    const response = await send({ ids: ['001000000000001AAA'], fields: ['Name', 'Nope__c'] });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual([
      {
        message: "No such column 'Nope__c' on entity 'Account'",
        errorCode: 'INVALID_FIELD',
        fields: [],
      },
    ]);
    expect(received).toEqual([]);
  });

  it('should write booleans, dates and date/times as their xsd types', () => {
    const field = (name: string, type: string) => ({ name, type }) as never;
    const describe = {
      name: 'Thing__c',
      fields: [
        field('Id', 'id'),
        field('Active__c', 'boolean'),
        field('Due__c', 'date'),
        field('Seen__c', 'datetime'),
        field('Where__c', 'address'),
      ],
    } as unknown as SObjectDescribe;
    expect(
      sObjectFields(describe, ['Id', 'Active__c', 'Due__c', 'Seen__c', 'Where__c'], {
        Id: 'a00000000000001AAA',
        IsDeleted: false,
        Active__c: false,
        Due__c: '2027-01-31',
        Seen__c: '2026-12-06T10:00:00.000+0000',
        Where__c: 'compound',
      }),
    ).toEqual([
      { name: 'Active__c', text: 'false' },
      { name: 'Due__c', text: '2027-01-31' },
      { name: 'Seen__c', text: '2026-12-06T10:00:00.000Z' },
    ]);
  });
});
