import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalOrg, type LocalOrg } from '../src/index.ts';
import { forceAppWithAccountField } from './support/force-app.ts';

let local: LocalOrg;
let conn: Connection;
let instanceUrl: string;
let accessToken: string;

beforeAll(async () => {
  local = await startLocalOrg({ orgs: [{ myDomain: 'paging' }] });
  const org = local.org('paging');
  org.write(org.users[0]?.id ?? '', 'test', (tx, dml) => {
    for (let i = 0; i < 4500; i++)
      dml.insert(tx, 'Account', { Name: `Account ${String(i).padStart(4, '0')}` }, 'json');
  });
  ({ accessToken, instanceUrl } = local.issueAccessToken('paging'));
  conn = new Connection({ instanceUrl, accessToken, version: '62.0' });
});

afterAll(async () => {
  await local.close();
});

describe('query paging', () => {
  it('pages in batches of 2,000 with nextRecordsUrl cursors that jsforce follows', async () => {
    const first = await conn.query('SELECT Id, Name FROM Account ORDER BY Name');
    expect(first.totalSize).toBe(4500);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(
      /\/services\/data\/v62\.0\/query\/0r8[A-Za-z0-9]{15}-2000$/,
    );
    const second = await conn.queryMore(first.nextRecordsUrl ?? '');
    expect(second.records).toHaveLength(2000);
    expect(second.records[0]?.['Name']).toBe('Account 2000');
    const all = await conn.query('SELECT Id FROM Account', { autoFetch: true, maxFetch: 10_000 });
    expect(all.records).toHaveLength(4500);
  });

  it('honours Sforce-Query-Options batchSize', async () => {
    const res = await fetch(
      `${instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`,
      {
        headers: {
          Authorization: `Bearer ${accessToken}`,
          'Sforce-Query-Options': 'batchSize=500',
        },
      },
    );
    const body = (await res.json()) as { records: unknown[]; nextRecordsUrl: string };
    expect(body.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/0r8/);
    expect(body.records).toHaveLength(500);
    expect(body.nextRecordsUrl).toMatch(/-500$/);
  });

  it('returns deleted rows with IsDeleted = true only through queryAll', async () => {
    const created = (await conn.sobject('Contact').create({ LastName: 'Gone' })) as { id: string };
    await conn.sobject('Contact').destroy(created.id);
    const live = await conn.query(`SELECT Id FROM Contact WHERE Id = '${created.id}'`);
    expect(live.totalSize).toBe(0);
    const all = await conn.query(`SELECT Id, IsDeleted FROM Contact WHERE Id = '${created.id}'`, {
      scanAll: true,
    });
    expect(all.records[0]).toMatchObject({ Id: created.id, IsDeleted: true });
  });

  it('reports SOQL errors as Salesforce does and answers COUNT() with totalSize', async () => {
    await expect(conn.query('SELECT Nope FROM Account')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    await expect(conn.query('SELECT Id FROM Nope')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
    const count = await conn.query('SELECT COUNT() FROM Account');
    expect(count.totalSize).toBe(4500);
    expect(count.records).toEqual([]);
    const bad = await fetch(`${instanceUrl}/services/data/v62.0/query/0r8XXXXXXXXXXXXXXX-2000`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual([
      { message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' },
    ]);
  });
});

describe('API limits', () => {
  it('counts requests, reports them in Sforce-Limit-Info and /limits, and refuses past the allocation', async () => {
    const org = local.org('paging');
    const url = `${instanceUrl}/services/data/v62.0/limits`;
    const headers = { Authorization: `Bearer ${accessToken}` };
    const res = await fetch(url, { headers });
    const used = org.limits.apiUsed;
    expect(res.headers.get('sforce-limit-info')).toBe(`api-usage=${used}/100000`);
    const limits = (await res.json()) as Record<string, { Max: number; Remaining: number }>;
    expect(limits['DailyApiRequests']).toEqual({ Max: 100000, Remaining: 100000 - used });
    expect(limits['DailyBulkV2QueryJobs']?.Max).toBeGreaterThan(0);
    const versions = await fetch(`${instanceUrl}/services/data`);
    expect(versions.headers.get('sforce-limit-info')).toBeNull();
    expect(org.limits.apiUsed).toBe(used);

    org.limits.setApiUsage(100000);
    const refused = await fetch(url, { headers });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual([
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    org.limits.setApiUsage(0);
  });
});

describe('SOQL through the REST API, as jsforce sends it', () => {
  it('answers every construct the connector relies on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localorg-soql-'));
    const packageDir = forceAppWithAccountField(
      dir,
      'Regions__c',
      `    <label>Regions</label>
    <type>MultiselectPicklist</type>
    <visibleLines>4</visibleLines>
    <valueSet><valueSetDefinition>
        <value><fullName>North</fullName><default>false</default><label>North</label></value>
        <value><fullName>South</fullName><default>false</default><label>South</label></value>
        <value><fullName>East</fullName><default>false</default><label>East</label></value>
    </valueSetDefinition></valueSet>`,
    );
    const other = await startLocalOrg({ orgs: [{ myDomain: 'soql' }], forceAppDir: packageDir });
    try {
      const c = new Connection({ ...other.issueAccessToken('soql'), version: '62.0' });
      const org = other.org('soql');
      const owner = org.users[0]?.id ?? '';
      org.write(owner, 'test', (tx, dml) => {
        const acme = dml.insert(
          tx,
          'Account',
          { Name: 'Acme', Industry: 'Energy', NumberOfEmployees: 120, Regions__c: 'North;East' },
          'json',
        );
        dml.insert(
          tx,
          'Account',
          { Name: 'Globex', Industry: 'Banking', NumberOfEmployees: 15, Regions__c: 'South' },
          'json',
        );
        dml.insert(tx, 'Account', { Name: 'Initech', NumberOfEmployees: 60 }, 'json');
        dml.insert(tx, 'Contact', { LastName: 'Lee', AccountId: acme.Id }, 'json');
      });
      const names = async (soql: string): Promise<unknown[]> =>
        (await c.query(soql)).records.map((r) => r['Name']);
      expect(
        (await c.query('SELECT LastName, Account.Name, Owner.Email FROM Contact')).records[0],
      ).toMatchObject({
        LastName: 'Lee',
        Account: { Name: 'Acme' },
        Owner: { Email: org.users[0]?.config.email },
      });
      expect(
        await names(
          "SELECT Name FROM Account WHERE (Industry = 'Energy' OR Industry = 'Banking') AND NOT Name LIKE 'G%' ORDER BY Name",
        ),
      ).toEqual(['Acme']);
      expect(
        await names('SELECT Name FROM Account WHERE NumberOfEmployees >= 60 ORDER BY Name DESC'),
      ).toEqual(['Initech', 'Acme']);
      expect(
        await names("SELECT Name FROM Account WHERE Industry NOT IN ('Energy') ORDER BY Name"),
      ).toEqual(['Globex', 'Initech']);
      expect(
        await names(
          "SELECT Name FROM Account WHERE Industry IN ('Energy', 'Banking') ORDER BY Name",
        ),
      ).toEqual(['Acme', 'Globex']);
      expect(
        await names(
          "SELECT Name FROM Account WHERE Regions__c INCLUDES ('East', 'South') ORDER BY Name",
        ),
      ).toEqual(['Acme', 'Globex']);
      expect(
        await names(
          'SELECT Name FROM Account WHERE CreatedDate = TODAY ORDER BY Name LIMIT 2 OFFSET 1',
        ),
      ).toEqual(['Globex', 'Initech']);
      expect(
        await names('SELECT Name FROM Account WHERE CreatedDate = LAST_N_DAYS:3 ORDER BY Name'),
      ).toEqual(['Acme', 'Globex', 'Initech']);
      expect(
        await names('SELECT Name FROM Account WHERE CreatedDate < 2026-01-01T00:00:00Z'),
      ).toEqual([]);
      expect((await c.query("SELECT COUNT() FROM Account WHERE Name LIKE '%e%'")).totalSize).toBe(
        3,
      );
      await expect(c.query('SELECT Name FROM Account WHERE')).rejects.toMatchObject({
        errorCode: 'MALFORMED_QUERY',
      });
      await expect(c.query('SELECT Nme FROM Account')).rejects.toMatchObject({
        errorCode: 'INVALID_FIELD',
        message: expect.stringContaining("No such column 'Nme' on entity 'Account'."),
      });
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
