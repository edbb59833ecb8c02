import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { PROVIDERS } from '../support/databases.ts';
import { testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import { connectWithDefaults } from '../support/sync.ts';

const { app, privateKeyPem } = testConnectedApp();

type Page = {
  query?: string;
  totalSize: number;
  done: boolean;
  records: Record<string, unknown>[];
  nextCursor: string | null;
};

describe.each(PROVIDERS)('read-only SOQL passthrough on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let ws: { id: string; client: ApiClient };
  let connectionId: string;
  const soqlPath = () => `/api/v1/workspaces/${ws.id}/connections/${connectionId}/soql`;
  const spent = async () =>
    (
      await ws.client.get<{ apiAllowance: { spentLast24Hours: number } }>(
        `/api/workspaces/${ws.id}/connections/${connectionId}`,
      )
    ).body.apiAllowance.spentLast24Hours;

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'SOQL');
    ws = stack.ws;
    const local: LocalOrg = stack.local;
    const sandbox = local.orgs[1]!;
    local.seed(sandbox.id, { accounts: 5, contacts: 0, opportunities: 0 });
    connectionId = (await connectWithDefaults(ws, sandbox, app, privateKeyPem)).connectionId;
  });
  afterAll(() => stack?.close());

  it('runs a SELECT through the connection, counting one API call', async () => {
    const before = await spent();
    const page = await ws.client.post<Page>(soqlPath(), {
      query: 'select Id, Name from Account order by Name limit 3',
    });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body).toMatchObject({
      query: 'SELECT Id, Name FROM Account ORDER BY Name LIMIT 3',
      totalSize: 3,
      done: true,
      nextCursor: null,
    });
    expect(page.body.records[0]).toMatchObject({ attributes: { type: 'Account' } });
    expect(Object.keys(page.body.records[0]!)).toEqual(['attributes', 'Id', 'Name']);
    expect(await spent()).toBe(before + 1);
  });

  it('refuses writes, locks and other statements with 400, spending nothing', async () => {
    const before = await spent();
    for (const [query, code] of [
      ['DELETE FROM Account', 'soql_invalid'],
      ['SELECT Id FROM Account LIMIT 1 FOR VIEW', 'soql_not_read_only'],
      ['SELECT Id FROM Account FOR UPDATE', 'soql_not_read_only'],
      ['SELECT Id FROM Account; DELETE FROM Account', 'soql_invalid'],
    ] as const) {
      const refused = await ws.client.post(soqlPath(), { query });
      expect(refused.status, query).toBe(400);
      expect(refused.body, query).toMatchObject({ error: { code } });
    }
    expect((await ws.client.post(soqlPath(), { cursor: '../sobjects' })).status).toBe(400);
    expect(
      (await ws.client.post(soqlPath(), { query: 'SELECT Id FROM Account', extra: 1 })).status,
    ).toBe(400);
    expect(await spent()).toBe(before);
  });

  it('answers Salesforce’s own refusal of a query it cannot run', async () => {
    const unknown = await ws.client.post(soqlPath(), { query: 'SELECT Id FROM NoSuchObject__c' });
    expect(unknown.status).toBe(502);
    expect(unknown.body).toMatchObject({
      error: { code: 'salesforce_error', salesforceErrorCode: 'INVALID_TYPE' },
    });
  });

  it('is for Admins only', async () => {
    const editor = await ws.client.post<{ secret: string }>(`/api/workspaces/${ws.id}/api-keys`, {
      name: 'editor',
      role: 'editor',
    });
    const response = await fetch(`${stack!.service.url}${soqlPath()}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${editor.body.secret}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ query: 'SELECT Id FROM Account' }),
    });
    expect(response.status).toBe(403);
  });
});
