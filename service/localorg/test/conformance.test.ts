import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/index.ts';

/** Answers compared with recorded Salesforce responses, and every error code with the API's lists. */

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/rest/${name}`, import.meta.url), 'utf8'));
const codeList = (name: string): Set<string> =>
  new Set(
    readFileSync(new URL(`./fixtures/codes/${name}`, import.meta.url), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean),
  );

let local: LocalOrg;
let base: string;
let headers: Record<string, string>;

beforeAll(async () => {
  local = await startLocalOrg({ orgs: [{ myDomain: 'conformance' }] });
  const { accessToken, instanceUrl } = local.issueAccessToken('conformance');
  base = `${instanceUrl}/services/data/v62.0`;
  headers = { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' };
});

afterAll(async () => {
  await local.close();
});

function keysOf(value: unknown): string[] {
  return Object.keys(value as Record<string, unknown>).sort();
}

describe('responses match recorded Salesforce responses', () => {
  it('unknown object describe', async () => {
    const res = await fetch(`${base}/sobjects/Nope__c/describe`, { headers });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(fixture('sobject_describe_error_response.json'));
  });

  it('create and upsert success bodies', async () => {
    const created = await (
      await fetch(`${base}/sobjects/Account`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ Name: 'F' }),
      })
    ).json();
    expect(keysOf(created)).toEqual(keysOf(fixture('create_success_response.json')));
    const upserted = await fetch(`${base}/sobjects/Account/Pryzm_ID__c/f-1`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ Name: 'F1' }),
    });
    expect(upserted.status).toBe(201);
    const body = (await upserted.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      ...(fixture('upsert_created_success_response.json') as object),
      id: body['id'],
    });
  });

  it('upsert on an unknown object or External ID field', async () => {
    const bad = await fetch(`${base}/sobjects/Whizbang/Namez/x`, {
      method: 'PATCH',
      headers,
      body: '{}',
    });
    expect(bad.status).toBe(404);
    const badField = await fetch(`${base}/sobjects/Account/Namez/x`, {
      method: 'PATCH',
      headers,
      body: '{}',
    });
    expect(await badField.json()).toEqual(fixture('upsert_error_response.json'));
  });

  it('first page of a paged query', async () => {
    const org = local.org('conformance');
    org.write(org.users[0]?.id ?? '', 'test', (tx, dml) => {
      for (let i = 0; i < 2100; i++)
        dml.insert(tx, 'Lead', { LastName: `L${i}`, Company: 'C' }, 'json');
    });
    const page = (await (
      await fetch(`${base}/query?q=SELECT+Id+FROM+Lead`, { headers })
    ).json()) as Record<string, unknown>;
    const recorded = fixture('query_paginated_first_page_response.json') as Record<string, unknown>;
    expect(keysOf(page)).toEqual(keysOf(recorded));
    const first = (page['records'] as Record<string, unknown>[])[0];
    expect(keysOf(first?.['attributes'])).toEqual(['type', 'url']);
  });

  it('collections delete without ids', async () => {
    const res = await fetch(`${base}/composite/sobjects?ids=`, { method: 'DELETE', headers });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(
      fixture('composite_sobjects_destroy_bad_request_response.json'),
    );
  });

  it('Bulk API 2.0 ingest job creation', async () => {
    const job = await (
      await fetch(`${base}/jobs/ingest`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ object: 'Account', operation: 'insert' }),
      })
    ).json();
    expect(keysOf(job)).toEqual(keysOf(fixture('create_job_success_response.json')));
  });
});

describe('error codes', () => {
  const known = new Set([
    ...codeList('status-codes-v63.txt'),
    ...codeList('exception-codes-v47.txt'),
  ]);
  const srcRoot = fileURLToPath(new URL('../src/', import.meta.url));
  // The SOQL engine and the event bus keep their own code checks.
  const owned = [
    'auth',
    'bulk',
    'certs',
    'faults',
    'http',
    'org',
    'persist',
    'rest',
    'schema',
    'seed',
  ];

  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
  }

  it('uses only error codes from the API code lists', () => {
    const used = new Set<string>();
    for (const dir of owned) {
      for (const file of files(join(srcRoot, dir))) {
        const text = readFileSync(file, 'utf8');
        for (const m of text.matchAll(/(?:errorCode|statusCode):\s*'([A-Z_]+)'/g))
          used.add(m[1] ?? '');
        for (const m of text.matchAll(/err\(\s*'([A-Z_]+)'/g)) used.add(m[1] ?? '');
      }
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((c) => !known.has(c))).toEqual([]);
  });
});

describe('several External ID matches', () => {
  it('answers 300 with the matching record URLs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localorg-ext-'));
    const packageDir = join(dir, 'force-app');
    const fields = join(packageDir, 'main/default/objects/Account/fields');
    mkdirSync(fields, { recursive: true });
    writeFileSync(
      join(fields, 'Legacy_Key__c.field-meta.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">
    <fullName>Legacy_Key__c</fullName>
    <externalId>true</externalId>
    <label>Legacy Key</label>
    <length>20</length>
    <type>Text</type>
    <unique>false</unique>
</CustomField>`,
    );
    const other = await startLocalOrg({ orgs: [{ myDomain: 'multi' }], forceAppDir: packageDir });
    try {
      const { accessToken, instanceUrl } = other.issueAccessToken('multi');
      const auth = { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' };
      const url = `${instanceUrl}/services/data/v62.0/sobjects/Account`;
      for (const name of ['A', 'B']) {
        await fetch(url, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ Name: name, Legacy_Key__c: 'same' }),
        });
      }
      const res = await fetch(`${url}/Legacy_Key__c/same`, {
        method: 'PATCH',
        headers: auth,
        body: JSON.stringify({ Name: 'C' }),
      });
      expect(res.status).toBe(300);
      const body = (await res.json()) as string[];
      const recorded = fixture('upsert_multiple_error_response.json') as string[];
      expect(body).toHaveLength(recorded.length);
      for (const u of body)
        expect(u).toMatch(/^\/services\/data\/v62\.0\/sobjects\/Account\/001[A-Za-z0-9]{15}$/);
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
