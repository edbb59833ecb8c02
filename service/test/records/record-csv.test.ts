import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, testSecurityEnv, type ApiClient } from '../support/api.ts';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';
import { bootService } from '../support/service.ts';

const DEAL_TYPE = {
  key: 'deal',
  name: 'Deal',
  pluralName: 'Deals',
  kind: 'custom',
  attributes: [
    { key: 'name', name: 'Name', type: 'text', required: true },
    { key: 'amount', name: 'Amount', type: 'currency', currencyCode: 'USD', decimals: 2 },
    { key: 'won', name: 'Won', type: 'boolean' },
    {
      key: 'tags',
      name: 'Tags',
      type: 'multi_select',
      options: [
        { value: 'vip', label: 'VIP' },
        { value: 'renewal', label: 'Renewal' },
      ],
    },
    { key: 'notes', name: 'Notes', type: 'long_text' },
  ],
};

describe.each(PROVIDERS)('CSV export and import of records on %s', (provider) => {
  const security = testSecurityEnv();
  let service: Awaited<ReturnType<typeof bootService>>;
  let ws: { id: string; key: string; client: ApiClient };

  const importCsv = (csv: string, token = ws.key) =>
    fetch(`${service.url}/api/v1/workspaces/${ws.id}/record-types/deal/records/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    });
  const exportCsv = async (token = ws.key) => {
    const response = await fetch(
      `${service.url}/api/v1/workspaces/${ws.id}/record-types/deal/records/export`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    return {
      response,
      rows: parse(await response.text(), { columns: true }) as Record<string, string>[],
    };
  };
  const count = async () =>
    (
      await ws.client.get<{ data: unknown[] }>(
        `/api/workspaces/${ws.id}/record-types/deal/records?limit=500`,
      )
    ).body.data.length;

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl(provider), security.env);
    ws = await createWorkspace(service.url, security.adminToken, 'CSV');
    const created = await ws.client.post(`/api/workspaces/${ws.id}/record-types`, DEAL_TYPE);
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await service.stop();
  });

  it('imports new records, typed per attribute, and exports them back', async () => {
    const csv = [
      'name,amount,won,tags,notes',
      'Acme renewal,75000.5,true,vip;renewal,"Multi-line,\nwith a comma"',
      'Globex,1200,false,,',
    ].join('\n');
    const imported = await importCsv(csv);
    expect(imported.status).toBe(200);
    const result = (await imported.json()) as {
      created: number;
      rows: { id: string; row: number }[];
    };
    expect(result).toMatchObject({ created: 2, updated: 0 });
    expect(result.rows.map((r) => r.row)).toEqual([2, 3]);

    const first = await ws.client.get<{ values: Record<string, unknown> }>(
      `/api/workspaces/${ws.id}/records/${result.rows[0]!.id}`,
    );
    expect(first.body.values).toEqual({
      name: 'Acme renewal',
      amount: 75000.5,
      won: true,
      tags: ['vip', 'renewal'],
      notes: 'Multi-line,\nwith a comma',
    });

    const { response, rows } = await exportCsv();
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(Object.keys(rows[0]!)).toEqual([
      'id',
      'version',
      'createdAt',
      'updatedAt',
      'name',
      'amount',
      'won',
      'tags',
      'notes',
    ]);
    expect(rows.map((r) => [r.name, r.amount, r.won, r.tags, r.notes])).toEqual([
      ['Acme renewal', '75000.5', 'true', 'vip;renewal', 'Multi-line,\nwith a comma'],
      ['Globex', '1200', 'false', '', ''],
    ]);
  });

  it('updates the records whose id a row names', async () => {
    const { rows } = await exportCsv();
    const globex = rows.find((r) => r.name === 'Globex')!;
    const imported = await importCsv(`id,amount,won\n${globex.id},9900,true\n`);
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ created: 0, updated: 1 });
    const after = (await exportCsv()).rows.find((r) => r.id === globex.id)!;
    expect(after).toMatchObject({ name: 'Globex', amount: '9900', won: 'true', version: '2' });
  });

  it('writes nothing when any row is bad, and names each problem with its row', async () => {
    const before = await count();
    const bad = await importCsv(
      ['name,amount,tags', 'Fine,1,vip', ',2,', 'Wrong,lots,vip', 'Unknown tag,3,gold'].join('\n'),
    );
    expect(bad.status).toBe(422);
    const body = (await bad.json()) as { error: { code: string; issues: { row: number }[] } };
    expect(body.error.code).toBe('csv_invalid_rows');
    expect(body.error.issues.map((issue) => issue.row)).toEqual([3, 4, 5]);
    expect(await count()).toBe(before);

    for (const [csv, status, code] of [
      ['name,colour\nA,red', 400, 'csv_unknown_columns'],
      ['name,name\nA,B', 400, 'csv_unknown_columns'],
      ['name\n', 400, 'csv_empty'],
      ['name,amount\n"unclosed,1', 400, 'csv_invalid'],
      ['name\nA\u0000B', 400, 'invalid_text'],
      [`id,name\n00000000-0000-4000-8000-000000000000,Ghost`, 422, 'csv_invalid_rows'],
    ] as const) {
      const response = await importCsv(csv);
      expect(response.status, csv).toBe(status);
      expect(await response.json(), csv).toMatchObject({ error: { code } });
    }
    const json = await fetch(
      `${service.url}/api/v1/workspaces/${ws.id}/record-types/deal/records/import`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${ws.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x' }),
      },
    );
    expect(json.status).toBe(415);
    expect(await count()).toBe(before);
  });

  it('leaves sensitive attributes out of a Viewer’s export, and refuses a Viewer’s import', async () => {
    const marked = await ws.client.call(
      'PUT',
      `/api/workspaces/${ws.id}/record-types/deal/sensitive-attributes`,
      {
        attributes: ['notes'],
      },
    );
    expect(marked.status).toBe(200);
    const viewer = await ws.client.post<{ secret: string }>(`/api/workspaces/${ws.id}/api-keys`, {
      name: 'viewer',
      role: 'viewer',
    });
    expect(viewer.status).toBe(201);
    const { rows } = await exportCsv(viewer.body.secret);
    expect(Object.keys(rows[0]!)).not.toContain('notes');
    expect(Object.keys((await exportCsv()).rows[0]!)).toContain('notes');
    expect((await importCsv('name\nNope', viewer.body.secret)).status).toBe(403);
  });
});
