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
    // Salesforce's own spelling of the header, and the API usage on every counted answer.
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(res.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
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

describe('more recorded responses', () => {
  const json = async (path: string, init: RequestInit = {}): Promise<[number, unknown]> => {
    const res = await fetch(`${base}${path}`, { headers, ...init });
    const text = await res.text();
    return [res.status, text === '' ? undefined : (JSON.parse(text) as unknown)];
  };

  it('write with an unknown field', async () => {
    const [status, body] = await json('/sobjects/Account', {
      method: 'POST',
      body: JSON.stringify({ Name: 'x', foo: 1 }),
    });
    expect(status).toBe(400);
    const recorded = JSON.stringify(fixture('write_error_response.json')).replace(
      'type Bar',
      'type Account',
    );
    expect(body).toEqual(JSON.parse(recorded));
  });

  it('delete, read and update of a path that is no record Id', async () => {
    const [status, body] = await json('/sobjects/Account/rid', { method: 'DELETE' });
    expect(status).toBe(404);
    expect(body).toEqual(fixture('delete_error_response.json'));
    const [readStatus, read] = await json('/sobjects/Account/23foo');
    expect(readStatus).toBe(404);
    expect(read).toEqual(fixture('sobject_find_error_response.json'));
  });

  it('query errors, empty results, last pages and aggregates', async () => {
    const [status, error] = await json('/query?q=SELECT+foo+FROM+Account');
    expect(status).toBe(400);
    const recordedError = (fixture('query_error_response.json') as Record<string, unknown>[])[0];
    const ours = (error as Record<string, unknown>[])[0];
    expect(keysOf(ours)).toEqual(keysOf(recordedError));
    expect(ours?.['errorCode']).toBe(recordedError?.['errorCode']);

    const [, empty] = await json("/query?q=SELECT+Id+FROM+Account+WHERE+Name='nobody'");
    expect(empty).toEqual(fixture('query_empty_response.json'));

    const [, page] = await json('/query?q=SELECT+Id+FROM+Lead');
    const next = (page as { nextRecordsUrl: string }).nextRecordsUrl;
    const res = await fetch(`${base.replace(/\/services\/data\/v62\.0$/, '')}${next}`, {
      headers,
    });
    const last = (await res.json()) as Record<string, unknown>;
    const recordedLast = fixture('query_paginated_last_page_response.json');
    expect(keysOf(last)).toEqual(keysOf(recordedLast));
    expect(last['done']).toBe(true);

    const [, aggregate] = await json(
      '/query?q=SELECT+Company,COUNT(Id)+FROM+Lead+GROUP+BY+Company',
    );
    const recordedAgg = fixture('query_aggregate_success_response.json') as {
      records: Record<string, unknown>[];
    };
    const row = (aggregate as { records: Record<string, unknown>[] }).records[0] ?? {};
    expect(row['attributes']).toEqual(recordedAgg.records[0]?.['attributes']);
    expect(keysOf(row)).toEqual(['Company', 'attributes', 'expr0']);
    expect(typeof row['expr0']).toBe('number');
  });

  it('record reads: all fields, selected fields, by External ID', async () => {
    const [, created] = await json('/sobjects/Account', {
      method: 'POST',
      body: JSON.stringify({ Name: 'Read Me', Pryzm_ID__c: 'read-1' }),
    });
    const id = (created as { id: string }).id;
    const [, all] = await json(`/sobjects/Account/${id}`);
    const recordedAll = fixture('sobject_find_success_response.json') as Record<string, unknown>;
    for (const key of ['attributes', 'Id', 'OwnerId', 'IsDeleted', 'Name', 'CreatedById'])
      expect(all).toHaveProperty(key);
    expect(keysOf((all as Record<string, unknown>)['attributes'])).toEqual(
      keysOf(recordedAll['attributes']),
    );
    const [, some] = await json(`/sobjects/Account/${id}?fields=Pryzm_ID__c`);
    const recordedSome = fixture('sobject_select_success_response.json') as Record<string, unknown>;
    // The recorded read asked for its external ID field and Id.
    expect(keysOf(some)).toEqual(
      keysOf(recordedSome)
        .map((k) => k.replace('External_Field__c', 'Pryzm_ID__c'))
        .sort()
        .filter((k) => k !== 'Id'),
    );
    const [, byExt] = await json('/sobjects/Account/Pryzm_ID__c/read-1?fields=Id,Pryzm_ID__c');
    expect(keysOf(byExt)).toEqual(
      keysOf(recordedSome)
        .map((k) => k.replace('External_Field__c', 'Pryzm_ID__c'))
        .sort(),
    );
  });

  it('upsert of an existing record: 200 with a body, 204 and no body before API 46.0', async () => {
    await json('/sobjects/Account/Pryzm_ID__c/upd-1', {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'First' }),
    });
    const [status, body] = await json('/sobjects/Account/Pryzm_ID__c/upd-1', {
      method: 'PATCH',
      body: JSON.stringify({ Name: 'Second' }),
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, errors: [], created: false });
    const old = await fetch(
      `${base.replace('v62.0', 'v45.0')}/sobjects/Account/Pryzm_ID__c/upd-1`,
      { method: 'PATCH', headers, body: JSON.stringify({ Name: 'Third' }) },
    );
    expect(old.status).toBe(204);
    const recordedUpdated = readFileSync(
      new URL('./fixtures/rest/upsert_updated_success_response.json', import.meta.url),
      'utf8',
    );
    expect(await old.text()).toBe(recordedUpdated);
    const oldCreate = await fetch(
      `${base.replace('v62.0', 'v45.0')}/sobjects/Account/Pryzm_ID__c/upd-2`,
      { method: 'PATCH', headers, body: JSON.stringify({ Name: 'Old' }) },
    );
    expect(oldCreate.status).toBe(201);
    expect(keysOf(await oldCreate.json())).toEqual(
      keysOf(fixture('upsert_created_success_response.json')),
    );
  });

  it('updated and deleted listings', async () => {
    const [, created] = await json('/sobjects/Account', {
      method: 'POST',
      body: JSON.stringify({ Name: 'Listed' }),
    });
    await json(`/sobjects/Account/${(created as { id: string }).id}`, { method: 'DELETE' });
    const start = new Date(Date.now() - 3600_000).toISOString();
    const end = new Date(Date.now() + 3600_000).toISOString();
    const [, updated] = await json(`/sobjects/Account/updated?start=${start}&end=${end}`);
    expect(keysOf(updated)).toEqual(keysOf(fixture('get_updated_success_response.json')));
    const [, deleted] = await json(`/sobjects/Account/deleted?start=${start}&end=${end}`);
    const recorded = fixture('get_deleted_success_response.json') as {
      deletedRecords: unknown[];
    };
    expect(keysOf(deleted)).toEqual(keysOf(recorded));
    const first = (deleted as { deletedRecords: Record<string, string>[] }).deletedRecords[0];
    expect(keysOf(first)).toEqual(keysOf(recorded.deletedRecords[0]));
    const stamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;
    expect(first?.['deletedDate']).toMatch(stamp);
    expect((deleted as Record<string, string>)['latestDateCovered']).toMatch(stamp);
  });

  it('versions list and describeGlobal', async () => {
    const versions = (await (await fetch(`${base.replace(/\/v62\.0$/, '')}`)).json()) as Record<
      string,
      string
    >[];
    const recorded = fixture('services_data_success_response.json') as Record<string, string>[];
    for (const v of versions) expect(keysOf(v)).toEqual(keysOf(recorded[0]));
    expect(versions[0]).toEqual({
      ...recorded[0],
      version: '31.0',
      url: '/services/data/v31.0',
      label: "Summer '14",
    });
    for (let major = 55; major <= 68; major++)
      expect(versions.map((v) => v['version'])).toContain(`${major}.0`);

    const [, global] = await json('/sobjects');
    const recordedGlobal = fixture('list_sobjects_success_response.json') as {
      sobjects: Record<string, unknown>[];
    };
    expect(keysOf(global)).toEqual(keysOf(recordedGlobal));
    const account = (global as { sobjects: Record<string, unknown>[] }).sobjects.find(
      (o) => o['name'] === 'Account',
    );
    const { urls: recordedUrls, ...recordedAccount } = recordedGlobal.sobjects[0] ?? {};
    expect(account).toMatchObject(recordedAccount);
    expect(account?.['urls']).toMatchObject(
      JSON.parse(JSON.stringify(recordedUrls).replaceAll('v23.0', 'v62.0')) as object,
    );
  });

  it('token responses of the password and refresh grants', async () => {
    const org = local.orgs[0];
    const app = org?.connectedApps[0];
    const user = org?.users[0];
    const res = await fetch(`${local.loginUrl}/services/oauth2/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: app?.clientId ?? '',
        client_secret: app?.clientSecret ?? '',
        username: user?.username ?? '',
        password: `${user?.password ?? ''}${user?.securityToken ?? ''}`,
      }),
    });
    const token = (await res.json()) as Record<string, string>;
    const recorded = fixture('auth_success_response.json') as Record<string, string>;
    // Salesforce has added token_type since the recording.
    expect(keysOf(token)).toEqual([...keysOf(recorded), 'token_type'].sort());
    expect(token['access_token']).toMatch(/^00D[A-Za-z0-9]{12}!/);
    expect(token['id']).toBe(`${local.loginUrl}/id/${org?.id ?? ''}/${user?.id ?? ''}`);
    expect(keysOf(fixture('refresh_success_response.json'))).toEqual(
      keysOf(fixture('reauth_success_response.json')),
    );
  });

  it('sObject Collections: create, delete, and a null record', async () => {
    const [, created] = await json('/composite/sobjects', {
      method: 'POST',
      body: JSON.stringify({ records: [{ attributes: { type: 'Account' }, Name: 'Coll' }] }),
    });
    const recorded = fixture('composite_sobjects_success_response.json') as unknown[];
    expect(keysOf((created as unknown[])[0])).toEqual(keysOf(recorded[0]));
    const id = ((created as { id: string }[])[0] ?? { id: '' }).id;
    const [, destroyed] = await json(`/composite/sobjects?ids=${id}`, { method: 'DELETE' });
    expect(destroyed).toEqual(
      (fixture('composite_sobjects_destroy_success_response.json') as { id: string }[]).map(
        (r) => ({ ...r, id }),
      ),
    );
    const [status, refused] = await json('/composite/sobjects', {
      method: 'POST',
      body: JSON.stringify({ records: [null] }),
    });
    expect(status).toBe(400);
    expect(refused).toEqual([fixture('composite_sobjects_error_response.json')]);
  });

  it('Bulk API 2.0 ingest: upload, close, status and result files', async () => {
    const job = (await (
      await fetch(`${base}/jobs/ingest`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ object: 'Account', operation: 'insert' }),
      })
    ).json()) as { id: string };
    const upload = await fetch(`${base}/jobs/ingest/${job.id}/batches`, {
      method: 'PUT',
      headers: { ...headers, 'Content-Type': 'text/csv' },
      body: 'Name\nFoo Bar\n\n',
    });
    expect(upload.status).toBe(201);
    expect(await upload.text()).toBe(fixture('upload_csv_success_response.json'));
    const [, closed] = await json(`/jobs/ingest/${job.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'UploadComplete' }),
    });
    expect(closed).toMatchObject(fixture('close_job_success_response.json') as object);
    let status: Record<string, unknown> = {};
    for (let i = 0; i < 100 && status['state'] !== 'JobComplete'; i++) {
      [, status] = (await json(`/jobs/ingest/${job.id}`)) as [number, Record<string, unknown>];
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toMatchObject({
      ...(fixture('check_status_success_response.json') as object),
      id: job.id,
    });
    const ok = await (
      await fetch(`${base}/jobs/ingest/${job.id}/successfulResults`, { headers })
    ).text();
    const recordedOk = fixture('success_results_success_response.json') as string;
    expect(ok.split('\n')[0]).toBe(recordedOk.split('\n')[0]);
    expect(ok.split('\n')[1]).toMatch(/^"001[A-Za-z0-9]{15}","true","Foo Bar"$/);
    const failed = await (
      await fetch(`${base}/jobs/ingest/${job.id}/failedResults`, { headers })
    ).text();
    const recordedFailed = fixture('failed_results_success_response.json') as string;
    expect(failed).toBe(`${recordedFailed.split('\n')[0] ?? ''}\n`);
  });

  it('a custom object from force-app describes its system fields as recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localorg-whizbang-'));
    const objectDir = join(dir, 'force-app/main/default/objects/Whizbang__c');
    mkdirSync(objectDir, { recursive: true });
    writeFileSync(
      join(objectDir, 'Whizbang__c.object-meta.xml'),
      `<?xml version="1.0" encoding="UTF-8"?>
<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata">
    <deploymentStatus>Deployed</deploymentStatus>
    <label>Whizbang</label>
    <nameField><label>Whizbang Name</label><type>Text</type></nameField>
    <pluralLabel>Whizbangs</pluralLabel>
    <sharingModel>ReadWrite</sharingModel>
</CustomObject>`,
    );
    const other = await startLocalOrg({
      orgs: [{ myDomain: 'whizbang' }],
      forceAppDir: join(dir, 'force-app'),
    });
    try {
      const t = other.issueAccessToken('whizbang');
      const d = (await (
        await fetch(`${t.instanceUrl}/services/data/v62.0/sobjects/Whizbang__c/describe`, {
          headers: { Authorization: `Bearer ${t.accessToken}` },
        })
      ).json()) as { fields: Record<string, unknown>[] } & Record<string, unknown>;
      const recorded = fixture('sobject_describe_success_response.json') as {
        fields: Record<string, unknown>[];
      } & Record<string, unknown>;
      for (const key of Object.keys(recorded)) expect(d).toHaveProperty(key);
      for (const key of Object.keys(recorded.fields[0] ?? {}))
        expect(d.fields[0]).toHaveProperty(key);
      const objectFlags = [
        'activateable',
        'createable',
        'custom',
        'customSetting',
        'deletable',
        'deprecatedAndHidden',
        'feedEnabled',
        'layoutable',
        'mergeable',
        'queryable',
        'replicateable',
        'retrieveable',
        'searchable',
        'triggerable',
        'undeletable',
        'updateable',
      ];
      for (const flag of objectFlags) expect([flag, d[flag]]).toEqual([flag, recorded[flag]]);
      const fieldProps = [
        'type',
        'length',
        'byteLength',
        'nillable',
        'createable',
        'updateable',
        'defaultedOnCreate',
        'idLookup',
        'nameField',
        'soapType',
        'filterable',
        'groupable',
        'sortable',
        'unique',
        'externalId',
        'custom',
        'calculated',
        'autoNumber',
      ];
      const system = [
        'Id',
        'OwnerId',
        'IsDeleted',
        'Name',
        'CreatedDate',
        'CreatedById',
        'LastModifiedDate',
        'LastModifiedById',
        'SystemModstamp',
      ];
      for (const name of system) {
        const mine = d.fields.find((f) => f['name'] === name) ?? {};
        const theirs = recorded.fields.find((f) => f['name'] === name) ?? {};
        for (const prop of fieldProps)
          expect([name, prop, mine[prop]]).toEqual([name, prop, theirs[prop]]);
      }
    } finally {
      await other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('error codes', () => {
  const known = new Set([
    ...codeList('status-codes-v63.txt'),
    ...codeList('exception-codes-v47.txt'),
  ]);
  const srcRoot = fileURLToPath(new URL('../src/', import.meta.url));

  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return f === '__fixtures__' ? [] : files(p);
      return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
    });
  }

  // Every way the sources name a Salesforce error code: `errorCode: 'X'`, `statusCode: 'X'`,
  // comparisons with them, and constructors or helpers such as `err('X', ...)`,
  // `new SoqlError('X', ...)`, `new DmlError(...)` or the SOAP `fault(res, 'X', ...)`.
  const patterns = [
    /(?:errorCode|statusCode)\s*(?:[:=]|===)\s*'([A-Z][A-Z0-9_]+)'/g,
    /\b(?:err|[A-Za-z]*Error)\(\s*(?:\d+,\s*)?'([A-Z][A-Z0-9_]+)'/g,
    /\bfault\(\s*res,\s*'([A-Z][A-Z0-9_]+)'/g,
  ];

  it('uses only error codes from the API code lists, in every source folder', () => {
    const used = new Map<string, string>();
    for (const file of files(srcRoot)) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of patterns)
        for (const m of text.matchAll(pattern)) used.set(m[1] ?? '', file.slice(srcRoot.length));
    }
    expect(used.size).toBeGreaterThan(30);
    for (const code of ['MALFORMED_QUERY', 'INVALID_LOGIN', 'UNDELETE_FAILED', 'DUPLICATE_VALUE'])
      expect(used.has(code)).toBe(true);
    expect([...used].filter(([code]) => !known.has(code))).toEqual([]);
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
