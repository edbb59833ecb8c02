import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationsRequest } from '../../src/sync/realtime/outbound-notification.ts';
import { PROVIDERS } from '../support/databases.ts';
import { salesforceApi } from '../support/sync.ts';
import { setChangeSource, startRealtimeStack, type RealtimeStack } from './support.ts';

interface Delivery {
  delivered: boolean;
  notificationIds: string[];
  attempts: { status: number | null; ack: boolean }[];
}

interface PryzmRecord {
  id: string;
  values: Record<string, unknown>;
}

describe.each(PROVIDERS)('Salesforce Outbound Messages on %s', (provider) => {
  let stack: RealtimeStack;
  let endpoint: { url: string; secret: string; path: string };
  let accounts: { Id: string; Name: string }[];
  const sf = () => salesforceApi(stack.local, stack.org);

  /** The local org's outbound message action firing for records, sent to `url`. */
  const send = async (body: Record<string, unknown>): Promise<Delivery> => {
    const response = await fetch(
      `${stack.org.instanceUrl}/_localorg/orgs/${stack.org.id}/events/outbound-messages`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: endpoint.url, object: 'Account', ...body }),
      },
    );
    expect(response.status).toBe(200);
    return (await response.json()) as Delivery;
  };
  const organizations = async () =>
    (
      await stack.ws.client.get<{ data: PryzmRecord[] }>(
        `/api/workspaces/${stack.ws.id}/record-types/organization/records?limit=500`,
      )
    ).body.data;
  const names = async () => (await organizations()).map((r) => r.values['name']).sort();
  const rename = (id: string, Name: string) =>
    sf().request(`sobjects/Account/${id}`, { method: 'PATCH', body: JSON.stringify({ Name }) });

  beforeAll(async () => {
    stack = await startRealtimeStack(provider);
    stack.local.seed(stack.org.id, { accounts: 5, contacts: 0, opportunities: 0 });
    // Only outbound messages bring changes in here.
    await setChangeSource(stack, 'paused');
    const issued = await stack.ws.client.post<{ url: string; secret: string; path: string }>(
      `/api/workspaces/${stack.ws.id}/connections/${stack.connectionId}/outbound-messages/endpoint`,
      {},
    );
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    endpoint = issued.body;
    accounts = await sf().soql<{ Id: string; Name: string }>(
      'SELECT Id, Name FROM Account ORDER BY Name',
    );
  });
  afterAll(() => stack?.close());

  it('should sync the notified records and only then acknowledge', async () => {
    expect(endpoint.path).toBe(`/outbound-messages/${stack.connectionId}/${endpoint.secret}`);
    expect(await organizations()).toEqual([]);
    const delivery = await send({ ids: [accounts[0]!.Id, accounts[1]!.Id] });
    expect(delivery).toMatchObject({ delivered: true, attempts: [{ status: 200, ack: true }] });
    expect(await names()).toEqual([accounts[0]!.Name, accounts[1]!.Name].sort());
  });

  it('should acknowledge a notification sent again without applying it twice', async () => {
    const first = await send({ ids: [accounts[2]!.Id] });
    expect(first.delivered).toBe(true);
    await rename(accounts[2]!.Id, 'Renamed After The First Notification');
    // Salesforce's retry of the same notification: acknowledged, not read again.
    const again = await send({ ids: [accounts[2]!.Id], notificationIds: first.notificationIds });
    expect(again).toMatchObject({ delivered: true, attempts: [{ status: 200, ack: true }] });
    expect(await names()).toContain(accounts[2]!.Name);
    expect(await names()).not.toContain('Renamed After The First Notification');
    // A new notification of the change applies it.
    expect((await send({ ids: [accounts[2]!.Id] })).delivered).toBe(true);
    expect(await names()).toContain('Renamed After The First Notification');
  });

  it('should answer a fault while the records cannot be read, then apply the retry once', async () => {
    // The first attempt's SOQL fails on every try of the client; Salesforce's retry goes through.
    stack.local.faults(stack.org.id).failRequests(4, 500);
    const delivery = await send({ ids: [accounts[3]!.Id] });
    expect(delivery.delivered).toBe(true);
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 200]);
    expect((await names()).filter((name) => name === accounts[3]!.Name)).toHaveLength(1);
    const jobs = await stack.ws.client.get<{ data: { status: string; error: string | null }[] }>(
      `/api/workspaces/${stack.ws.id}/jobs?kind=realtime`,
    );
    expect(jobs.body.data.map((job) => job.status)).toContain('failed');
  });

  it('should refuse a wrong secret, an unknown connection and another org with nothing applied', async () => {
    const before = await organizations();
    // Another first character (the secret is random base64url: it may begin with any).
    const otherFirst = endpoint.secret.startsWith('x') ? 'y' : 'x';
    const wrongSecret = await send({
      url: endpoint.url.replace(endpoint.secret, `${otherFirst}${endpoint.secret.slice(1)}`),
      ids: [accounts[4]!.Id],
    });
    expect(wrongSecret.delivered).toBe(false);
    expect(wrongSecret.attempts.map((a) => a.status)).toEqual([403, 403, 403]);
    const unknown = await send({
      url: endpoint.url.replace(stack.connectionId, '00000000-0000-4000-8000-000000000000'),
      ids: [accounts[4]!.Id],
    });
    expect(unknown.attempts.map((a) => a.status)).toEqual([403, 403, 403]);

    const otherOrg = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: '""' },
      body: notificationsRequest({
        organizationId: '00D000000000001EAA',
        actionId: '04k000000000001AAA',
        notifications: [
          { id: '04l000000000001AAA', objectName: 'Account', recordId: accounts[4]!.Id },
        ],
      }),
    });
    expect(otherOrg.status).toBe(403);
    const fault = await otherOrg.text();
    expect(fault).toContain('<faultcode>soapenv:Client</faultcode>');
    expect(fault).not.toContain('<Ack>');

    const garbage = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
    });
    expect(garbage.status).toBe(400);
    const tooBig = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: 'x'.repeat(600 * 1024),
    });
    expect(tooBig.status).toBe(413);
    expect(await organizations()).toEqual(before);
  });
});
