import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../src/index.ts';

let local: LocalOrg;
let conn: Connection;

beforeAll(async () => {
  local = await startLocalOrg();
  const { accessToken, instanceUrl } = local.issueAccessToken('pryzm-demo');
  conn = new Connection({ instanceUrl, accessToken, version: '62.0' });
});

afterAll(async () => {
  await local.close();
});

function errorOf(e: unknown): {
  errorCode?: string;
  name?: string;
  message?: string;
  fields?: string[];
} {
  return e as { errorCode?: string; name?: string; message?: string; fields?: string[] };
}

describe('REST describe through jsforce', () => {
  it('describes Account with standard and package fields', async () => {
    const d = await conn.sobject('Account').describe();
    expect(d.name).toBe('Account');
    expect(d.keyPrefix).toBe('001');
    const name = d.fields.find((f) => f.name === 'Name');
    expect(name).toMatchObject({ type: 'string', length: 255, nillable: false, createable: true });
    const pryzm = d.fields.find((f) => f.name === 'Pryzm_ID__c');
    expect(pryzm).toMatchObject({ externalId: true, unique: true, custom: true });
    const parent = d.fields.find((f) => f.name === 'ParentId');
    expect(parent).toMatchObject({
      type: 'reference',
      relationshipName: 'Parent',
      referenceTo: ['Account'],
    });
    expect(d.urls['describe']).toBe('/services/data/v62.0/sobjects/Account/describe');
  });

  it('lists objects including platform events in describeGlobal', async () => {
    const g = await conn.describeGlobal();
    const names = g.sobjects.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Account',
        'Contact',
        'Opportunity',
        'User',
        'Pryzm_Record_Change__e',
      ]),
    );
    expect(g.maxBatchSize).toBe(200);
  });

  it('reports Opportunity StageName as a picklist', async () => {
    const d = await conn.sobject('Opportunity').describe();
    const stage = d.fields.find((f) => f.name === 'StageName');
    expect(stage?.type).toBe('picklist');
    expect(stage?.picklistValues?.map((p) => p.value)).toContain('Closed Won');
  });

  it('answers 404 NOT_FOUND for an unknown object', async () => {
    await expect(conn.sobject('Nope__c').describe()).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
    });
  });
});

describe('describes of every standard object the connector and the sf CLI read', () => {
  const objects = [
    'Account',
    'Contact',
    'Opportunity',
    'Lead',
    'Case',
    'CaseComment',
    'Task',
    'Event',
    'User',
    'UserRole',
    'Profile',
    'PermissionSet',
    'PermissionSetAssignment',
    'Group',
    'UserLicense',
    'LoginHistory',
    'Organization',
    'OpportunityContactRole',
  ];
  const system: Record<string, [string, boolean]> = {
    Id: ['id', false],
    IsDeleted: ['boolean', false],
    CreatedDate: ['datetime', false],
    CreatedById: ['reference', false],
    LastModifiedDate: ['datetime', false],
    LastModifiedById: ['reference', false],
    SystemModstamp: ['datetime', false],
  };

  it.each(objects)('%s', async (name) => {
    const d = await conn.sobject(name).describe();
    expect(d.name).toBe(name);
    expect(d.keyPrefix).toMatch(/^[0-9a-zA-Z]{3}$/);
    const g = await conn.describeGlobal();
    expect(g.sobjects.map((o) => o.name)).toContain(name);
    const byName = new Map(d.fields.map((f) => [f.name, f]));
    expect(byName.get('Id')).toMatchObject({ type: 'id', idLookup: true, nillable: false });
    for (const [field, [type, writable]] of Object.entries(system)) {
      const f = byName.get(field);
      if (!f) continue;
      expect([field, f.type, f.createable, f.updateable]).toEqual([
        field,
        type,
        writable,
        writable,
      ]);
    }
    for (const f of d.fields) {
      if (f.type === 'reference') expect(f.referenceTo?.length).toBeGreaterThan(0);
      if (f.type === 'picklist' && !f.calculated)
        expect(Array.isArray(f.picklistValues)).toBe(true);
    }
  });

  it('carries the system fields and references of the business objects', async () => {
    const want: Record<string, string[]> = {
      Account: ['Name', 'OwnerId', 'ParentId'],
      Contact: ['Name', 'OwnerId', 'AccountId', 'Email'],
      Opportunity: ['Name', 'OwnerId', 'AccountId', 'StageName', 'Amount', 'CloseDate'],
      Lead: ['Name', 'OwnerId', 'Company', 'Status'],
      Case: ['CaseNumber', 'OwnerId', 'AccountId', 'ContactId', 'Status'],
      Task: ['Subject', 'OwnerId', 'WhatId', 'WhoId'],
      Event: ['Subject', 'OwnerId', 'WhatId', 'WhoId'],
    };
    for (const [name, fields] of Object.entries(want)) {
      const d = await conn.sobject(name).describe();
      const names = d.fields.map((f) => f.name);
      expect(names).toEqual(expect.arrayContaining([...fields, ...Object.keys(system)]));
    }
    const contact = await conn.sobject('Contact').describe();
    expect(contact.fields.find((f) => f.name === 'AccountId')).toMatchObject({
      relationshipName: 'Account',
      referenceTo: ['Account'],
    });
    const account = await conn.sobject('Account').describe();
    expect(account.childRelationships).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          childSObject: 'Contact',
          field: 'AccountId',
          relationshipName: 'Contacts',
        }),
        expect.objectContaining({
          childSObject: 'Account',
          field: 'ParentId',
          relationshipName: 'ChildAccounts',
        }),
      ]),
    );
    const opp = await conn.sobject('Opportunity').describe();
    expect(opp.fields.find((f) => f.name === 'StageName')).toMatchObject({
      type: 'picklist',
      nillable: false,
      createable: true,
      updateable: true,
    });
  });

  it('answers the reads the sf CLI makes when it logs in', async () => {
    const identity = await conn.identity();
    const userRecord = await conn.sobject('User').retrieve(identity.user_id);
    expect(userRecord).toMatchObject({ Id: identity.user_id, Username: identity.username });
    const org = await conn.query(
      'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization',
    );
    expect(org.records[0]).toMatchObject({ IsSandbox: false, NamespacePrefix: null });
    await expect(conn.query('SELECT Id FROM ScratchOrgInfo')).rejects.toMatchObject({
      errorCode: 'INVALID_TYPE',
    });
  });
});

describe('REST records through jsforce', () => {
  it('creates, reads, updates and deletes a record', async () => {
    const created = await conn.sobject('Account').create({ Name: 'Acme', Industry: 'Banking' });
    expect(created).toMatchObject({ success: true, errors: [] });
    const id = (created as { id: string }).id;
    expect(id).toMatch(/^001[A-Za-z0-9]{15}$/);
    const rec = await conn.sobject('Account').retrieve(id);
    expect(rec).toMatchObject({
      Name: 'Acme',
      Industry: 'Banking',
      IsDeleted: false,
      Website: null,
    });
    expect(rec.attributes).toEqual({
      type: 'Account',
      url: `/services/data/v62.0/sobjects/Account/${id}`,
    });
    const before = rec['SystemModstamp'] as string;
    await new Promise((r) => setTimeout(r, 5));
    await conn.sobject('Account').update({ Id: id, Website: 'https://acme.example' });
    const after = await conn.sobject('Account').retrieve(id);
    expect(after['Website']).toBe('https://acme.example');
    expect(Date.parse(String(after['SystemModstamp']).replace('+0000', 'Z'))).toBeGreaterThan(
      Date.parse(before.replace('+0000', 'Z')),
    );
    await conn.sobject('Account').destroy(id);
    await expect(conn.sobject('Account').retrieve(id)).rejects.toMatchObject({
      errorCode: 'ENTITY_IS_DELETED',
    });
  });

  it('rejects missing required fields, read-only fields, long strings and bad picklist values', async () => {
    const missing = await conn
      .sobject('Opportunity')
      .create({ Name: 'No stage' })
      .catch((e: unknown) => e);
    expect(errorOf(missing).errorCode).toBe('REQUIRED_FIELD_MISSING');
    expect(errorOf(missing).message).toBe('Required fields are missing: [StageName, CloseDate]');

    const readOnly = await conn
      .sobject('Account')
      .create({ Name: 'x', CreatedDate: '2020-01-01T00:00:00Z' })
      .catch((e: unknown) => e);
    expect(errorOf(readOnly).errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');

    const long = await conn
      .sobject('Account')
      .create({ Name: 'x'.repeat(256) })
      .catch((e: unknown) => e);
    expect(errorOf(long).errorCode).toBe('STRING_TOO_LONG');

    const unknown = await conn
      .sobject('Account')
      .create({ Name: 'x', Bogus__c: 1 })
      .catch((e: unknown) => e);
    expect(errorOf(unknown)).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Bogus__c' on sobject of type Account",
    });

    const badType = await conn
      .sobject('Account')
      .create({ Name: 'x', NumberOfEmployees: 'many' })
      .catch((e: unknown) => e);
    expect(errorOf(badType).errorCode).toBe('JSON_PARSER_ERROR');
  });

  it('upserts by External ID: 201 created, 200 updated, DUPLICATE_VALUE on a unique clash', async () => {
    const first = await conn
      .sobject('Account')
      .upsert({ Name: 'Globex', Pryzm_ID__c: 'px-1' }, 'Pryzm_ID__c');
    expect(first).toMatchObject({ success: true, created: true });
    const second = await conn
      .sobject('Account')
      .upsert({ Name: 'Globex 2', Pryzm_ID__c: 'px-1' }, 'Pryzm_ID__c');
    expect(second).toMatchObject({
      success: true,
      created: false,
      id: (first as { id: string }).id,
    });
    const clash = await conn
      .sobject('Account')
      .create({ Name: 'Other', Pryzm_ID__c: 'PX-1' })
      .catch((e: unknown) => e);
    expect(errorOf(clash).errorCode).toBe('DUPLICATE_VALUE');
  });

  it('runs sObject Collections with allOrNone and per-record results', async () => {
    const ok = await conn.sobject('Contact').create(
      [
        { LastName: 'One', Email: 'one@example.com' },
        { LastName: 'Two', FirstName: 'Tina' },
      ],
      { allOrNone: true },
    );
    expect(ok.map((r) => r.success)).toEqual([true, true]);
    const ids = ok.map((r) => (r as { id: string }).id);
    const back = await conn.sobject('Contact').retrieve(ids[1] ?? '');
    expect(back['Name']).toBe('Tina Two');

    const rolledBack = await conn
      .sobject('Contact')
      .create([{ LastName: 'Three' }, { FirstName: 'No last name' }], { allOrNone: true });
    expect(rolledBack.map((r) => r.success)).toEqual([false, false]);
    expect(rolledBack[0]?.errors[0]).toMatchObject({
      statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
    });
    expect(rolledBack[1]?.errors[0]).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING' });

    const partial = await conn
      .sobject('Contact')
      .create([{ LastName: 'Four' }, { FirstName: 'x' }], { allOrNone: false });
    expect(partial.map((r) => r.success)).toEqual([true, false]);

    const upserted = await conn.sobject('Contact').upsert(
      [
        { LastName: 'Ext', Pryzm_ID__c: 'c-1' },
        { LastName: 'Ext2', Pryzm_ID__c: 'c-2' },
      ],
      'Pryzm_ID__c',
      {
        allOrNone: false,
      },
    );
    expect(upserted.map((r) => r.success)).toEqual([true, true]);

    const updated = await conn.sobject('Contact').update(
      [
        { Id: ids[0] ?? '', Title: 'Lead Engineer' },
        { Id: ids[1] ?? '', Email: 'not-an-email' },
      ],
      { allOrNone: false },
    );
    expect(updated.map((r) => r.success)).toEqual([true, false]);
    expect(updated[1]?.errors[0]).toMatchObject({ statusCode: 'INVALID_EMAIL_ADDRESS' });
    const fetched = await conn.sobject('Contact').retrieve(ids, { fields: ['Title', 'Email'] });
    expect(fetched.map((r) => r['Title'])).toEqual(['Lead Engineer', null]);
    expect(fetched[1]?.['Email']).toBeNull();

    const deleted = await conn.sobject('Contact').destroy(ids);
    expect(deleted.map((r) => r.success)).toEqual([true, true]);
  });
});

describe('write transactions', () => {
  it('emits one transaction per committed DML with changed and nulled fields', async () => {
    const seen: { changeType: string; changedFields: string[]; nulledFields: string[] }[] = [];
    const off = local.eventBusHost.onCommit((tx) => {
      for (const c of tx.changes) seen.push(c);
    });
    const created = (await conn
      .sobject('Lead')
      .create({ LastName: 'Lee', Company: 'Lee Co', Phone: '123' })) as { id: string };
    await conn.sobject('Lead').update({ Id: created.id, Phone: null, Title: 'CEO' });
    off();
    expect(seen.map((c) => c.changeType)).toEqual(['CREATE', 'UPDATE']);
    expect(seen[1]?.changedFields).toEqual(
      expect.arrayContaining(['Phone', 'Title', 'LastModifiedDate']),
    );
    expect(seen[1]?.nulledFields).toEqual(['Phone']);
  });
});

describe('updated and deleted listings', () => {
  it('lists ids changed and deleted in a window', async () => {
    const start = new Date(Date.now() - 60_000).toISOString();
    const a = (await conn
      .sobject('Case')
      .create({ Subject: 'Listed', Status: 'New', Origin: 'Web' })) as { id: string };
    const b = (await conn
      .sobject('Case')
      .create({ Subject: 'Removed', Status: 'New', Origin: 'Web' })) as { id: string };
    await conn.sobject('Case').destroy(b.id);
    const end = new Date(Date.now() + 60_000).toISOString();
    const updated = await conn.sobject('Case').updated(start, end);
    expect(updated.ids).toContain(a.id);
    expect(updated.ids).not.toContain(b.id);
    const deleted = await conn.sobject('Case').deleted(start, end);
    expect(deleted.deletedRecords.map((d) => d.id)).toEqual([b.id]);
    expect(deleted.latestDateCovered).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000\+0000$/);
  });
});

describe('undelete', () => {
  it('restores a deleted record as an UNDELETE change', async () => {
    const created = (await conn.sobject('Account').create({ Name: 'Phoenix' })) as { id: string };
    await conn.sobject('Account').destroy(created.id);
    const org = local.org('pryzm-demo');
    const seen: string[] = [];
    const off = local.eventBusHost.onCommit((tx) =>
      seen.push(...tx.changes.map((c) => c.changeType)),
    );
    org.write(org.users[0]?.id ?? '', 'com/salesforce/api/soap/62.0', (tx, dml) =>
      dml.undelete(tx, created.id),
    );
    off();
    expect(seen).toEqual(['UNDELETE']);
    await expect(conn.sobject('Account').retrieve(created.id)).resolves.toMatchObject({
      Name: 'Phoenix',
      IsDeleted: false,
    });
  });
});

describe('undelete through the SOAP partner API', () => {
  it('restores deleted records with jsforce soap.undelete, per-record failures included', async () => {
    const created = (await conn.sobject('Contact').create({ LastName: 'Lazarus' })) as {
      id: string;
    };
    const live = (await conn.sobject('Contact').create({ LastName: 'Alive' })) as { id: string };
    await conn.sobject('Contact').destroy(created.id);
    const before = local.org('pryzm-demo').limits.apiUsed;
    const results = await conn.soap.undelete([created.id, live.id]);
    expect(results).toEqual([
      { id: created.id, success: true, errors: [] },
      {
        id: live.id,
        success: false,
        errors: [
          {
            message: 'Entity is not in the recycle bin',
            statusCode: 'UNDELETE_FAILED',
          },
        ],
      },
    ]);
    expect(local.org('pryzm-demo').limits.apiUsed).toBe(before + 1);
    await expect(conn.sobject('Contact').retrieve(created.id)).resolves.toMatchObject({
      LastName: 'Lazarus',
      IsDeleted: false,
    });
    const stranger = new Connection({
      instanceUrl: conn.instanceUrl,
      accessToken: 'not-a-session',
      version: '62.0',
    });
    await expect(stranger.soap.undelete([created.id])).rejects.toThrow(/INVALID_SESSION_ID/);
  });
});

describe('the default sandbox org', () => {
  it('logs in on the sandbox login host and upserts by the namespaced External ID', async () => {
    const sandbox = local.orgs.find((o) => o.sandbox);
    const user = sandbox?.users[1];
    const app = sandbox?.connectedApps[0];
    const sb = new Connection({
      oauth2: {
        clientId: app?.clientId,
        clientSecret: app?.clientSecret,
        loginUrl: local.sandboxLoginUrl,
      },
      version: '62.0',
    });
    await sb.login(user?.username ?? '', `${user?.password ?? ''}${user?.securityToken ?? ''}`);
    expect(sb.instanceUrl).toBe(sandbox?.instanceUrl);
    const result = await sb
      .sobject('Account')
      .upsert({ Name: 'Namespaced', pryzm__Pryzm_ID__c: 'ns-1' }, 'pryzm__Pryzm_ID__c');
    expect(result).toMatchObject({ success: true, created: true });
    await expect(
      sb.sobject('Account').create({ Name: 'x', Pryzm_ID__c: 'plain' }),
    ).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
  });
});

describe('delete errors', () => {
  it('answers NOT_FOUND for an unknown id and ENTITY_IS_DELETED for a deleted one', async () => {
    const { accessToken, instanceUrl } = local.issueAccessToken('pryzm-demo');
    const del = (id: string): Promise<Response> =>
      fetch(`${instanceUrl}/services/data/v62.0/sobjects/Account/${id}`, {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${accessToken}` },
      });
    const missing = await del('001800000000zzzAAA');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual([
      { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
    ]);
    const created = (await conn.sobject('Account').create({ Name: 'Twice' })) as { id: string };
    expect((await del(created.id)).status).toBe(204);
    const again = await del(created.id);
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual([
      { message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED' },
    ]);
  });
});

describe('upsert by Id', () => {
  it('creates with POST .../Id and updates with PATCH .../Id/<id>', async () => {
    const created = (await conn.request({
      method: 'POST',
      url: '/services/data/v62.0/sobjects/Account/Id',
      body: JSON.stringify({ Name: 'By Id' }),
      headers: { 'Content-Type': 'application/json' },
    })) as { id: string; created: boolean };
    expect(created.created).toBe(true);
    const updated = (await conn.request({
      method: 'PATCH',
      url: `/services/data/v62.0/sobjects/Account/Id/${created.id}`,
      body: JSON.stringify({ Name: 'By Id 2' }),
      headers: { 'Content-Type': 'application/json' },
    })) as { id: string; created: boolean };
    expect(updated).toMatchObject({ id: created.id, created: false });
    await expect(
      conn.request({
        method: 'PATCH',
        url: '/services/data/v62.0/sobjects/Account/Id/001800000000zzzAAA',
        body: JSON.stringify({ Name: 'x' }),
        headers: { 'Content-Type': 'application/json' },
      }),
    ).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });
});

describe('describe caching', () => {
  it('answers 304 to If-Modified-Since after the schema was read', async () => {
    const { accessToken, instanceUrl } = local.issueAccessToken('pryzm-demo');
    const url = `${instanceUrl}/services/data/v62.0/sobjects/Account/describe`;
    const first = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
    const lastModified = first.headers.get('last-modified') ?? '';
    expect(lastModified).not.toBe('');
    const again = await fetch(url, {
      headers: {
        Authorization: `Bearer ${accessToken}`,
        'If-Modified-Since': new Date().toUTCString(),
      },
    });
    expect(again.status).toBe(304);
    const old = await fetch(url, {
      headers: {
        Authorization: `Bearer ${accessToken}`,
        'If-Modified-Since': 'Mon, 01 Jan 2001 00:00:00 GMT',
      },
    });
    expect(old.status).toBe(200);
  });
});
