import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTRIBUTE_TYPES } from '../../src/mapping/index.ts';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';
import { bootService } from '../support/service.ts';
import { apiClient, createWorkspace, testSecurityEnv, type ApiClient } from '../support/api.ts';

type Body = Record<string, unknown> & { error?: { code: string; message: string } };

describe.each(PROVIDERS)('workspaces, record types and records on %s', (provider) => {
  let service: Awaited<ReturnType<typeof bootService>>;
  const security = testSecurityEnv();
  let a: { id: string; client: ApiClient; apiKeyId: string };
  let b: { id: string; client: ApiClient };

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl(provider), security.env);
    a = await createWorkspace(service.url, security.adminToken, 'Acme Sales');
    b = await createWorkspace(service.url, security.adminToken, 'Globex');
  });
  afterAll(async () => {
    await service.stop();
  });

  it('creates a workspace with the built-in record types and a key shown once', async () => {
    const admin = apiClient(service.url, security.adminToken);
    const created = await admin.post<Body>('/api/workspaces', { name: 'Initech', slug: 'initech' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Initech', slug: 'initech' });
    const key = (created.body.apiKey as { secret: string }).secret;
    expect(key).toMatch(/^pryzm_live_[A-Za-z0-9_-]{43}$/);
    const types = await apiClient(service.url, key).get<{
      data: { key: string; builtIn: boolean }[];
    }>(`/api/workspaces/${String(created.body.id)}/record-types`);
    expect(types.body.data.map((t) => [t.key, t.builtIn])).toEqual([
      ['organization', true],
      ['person', true],
    ]);
    const keys = await apiClient(service.url, key).get<{ data: Record<string, unknown>[] }>(
      `/api/workspaces/${String(created.body.id)}/api-keys`,
    );
    expect(JSON.stringify(keys.body)).not.toContain(key);
    expect(keys.body.data[0]).not.toHaveProperty('secret');

    const duplicate = await admin.post<Body>('/api/workspaces', { name: 'Again', slug: 'initech' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error?.code).toBe('slug_taken');
  });

  it('refuses workspace creation to a workspace key and bad bodies with every issue', async () => {
    expect((await a.client.post('/api/workspaces', { name: 'Nope' })).status).toBe(403);
    const admin = apiClient(service.url, security.adminToken);
    const bad = await admin.post<Body>('/api/workspaces', { name: '', extra: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe('invalid_request');
    expect((bad.body.error as unknown as { issues: unknown[] }).issues.length).toBe(2);
  });

  it('lists only the caller’s workspace for a workspace key', async () => {
    const listed = await a.client.get<{ data: { id: string }[] }>('/api/workspaces');
    expect(listed.body.data.map((w) => w.id)).toEqual([a.id]);
  });

  it('creates, reads, updates with versions and soft-deletes records', async () => {
    const org = await a.client.post<Body>(
      `/api/workspaces/${a.id}/record-types/organization/records`,
      {
        values: { name: 'Acme Corp', website: 'https://acme.example' },
      },
    );
    expect(org.status).toBe(201);
    expect(org.body).toMatchObject({ recordType: 'organization', version: 1, deletedAt: null });
    expect(String(org.body.id)).toMatch(/^[0-9a-f-]{36}$/);

    const person = await a.client.post<Body>(
      `/api/workspaces/${a.id}/record-types/person/records`,
      {
        values: {
          full_name: 'Ada Lovelace',
          primary_email: 'ada@acme.example',
          organization: org.body.id,
        },
      },
    );
    expect(person.status).toBe(201);
    const path = `/api/workspaces/${a.id}/records/${String(person.body.id)}`;

    const updated = await a.client.patch<Body>(path, { values: { job_title: 'CTO' }, version: 1 });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      version: 2,
      values: { full_name: 'Ada Lovelace', job_title: 'CTO' },
    });

    const stale = await a.client.patch<Body>(
      path,
      { values: { job_title: 'CEO' } },
      { 'if-match': '"1"' },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('version_conflict');
    expect((await a.client.get<Body>(path)).body.values).toMatchObject({ job_title: 'CTO' });

    const deleted = await a.client.delete<Body>(path);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).not.toBeNull();
    const listed = await a.client.get<{ data: unknown[] }>(
      `/api/workspaces/${a.id}/record-types/person/records`,
    );
    expect(listed.body.data).toHaveLength(0);
    const withDeleted = await a.client.get<{ data: unknown[] }>(
      `/api/workspaces/${a.id}/record-types/person/records?includeDeleted=true`,
    );
    expect(withDeleted.body.data).toHaveLength(1);
  });

  it('answers bad values with every issue and changes nothing', async () => {
    const response = await a.client.post<Body>(
      `/api/workspaces/${a.id}/record-types/person/records`,
      {
        values: {
          primary_email: 'not-an-email',
          shoe_size: 44,
          organization: '00000000-0000-4000-8000-000000000000',
        },
      },
    );
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe('invalid_values');
    const issues = (
      response.body.error as unknown as { issues: { attribute: string; code: string }[] }
    ).issues;
    expect(issues.map((i) => [i.attribute, i.code]).sort()).toEqual([
      ['full_name', 'required'],
      ['organization', 'invalid_value'],
      ['primary_email', 'invalid_value'],
      ['shoe_size', 'unknown_attribute'],
    ]);
    const listed = await a.client.get<{ data: unknown[] }>(
      `/api/workspaces/${a.id}/record-types/person/records`,
    );
    expect(listed.body.data).toHaveLength(0);
  });

  it('pages records with a cursor', async () => {
    for (const name of ['One', 'Two', 'Three']) {
      await b.client.post(`/api/workspaces/${b.id}/record-types/organization/records`, {
        values: { name },
      });
    }
    const first = await b.client.get<{ data: { values: { name: string } }[]; nextCursor: string }>(
      `/api/workspaces/${b.id}/record-types/organization/records?limit=2`,
    );
    expect(first.body.data.map((r) => r.values.name)).toEqual(['One', 'Two']);
    const second = await b.client.get<{ data: { values: { name: string } }[]; nextCursor: null }>(
      `/api/workspaces/${b.id}/record-types/organization/records?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.data.map((r) => r.values.name)).toEqual(['Three']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('creates pipeline record types and guards built-in ones', async () => {
    const pipeline = await a.client.post<Body>(`/api/workspaces/${a.id}/record-types`, {
      key: 'work_order',
      name: 'Work order',
      pluralName: 'Work orders',
      kind: 'pipeline',
      attributes: [
        { key: 'name', name: 'Name', type: 'text', required: true },
        {
          key: 'stage',
          name: 'Stage',
          type: 'select',
          options: [
            { value: 'open', label: 'Open' },
            { value: 'done', label: 'Done' },
          ],
        },
        { key: 'site', name: 'Site', type: 'reference', targetRecordType: 'organization' },
      ],
    });
    expect(pipeline.status).toBe(201);
    const badStage = await a.client.post<Body>(
      `/api/workspaces/${a.id}/record-types/work_order/records`,
      {
        values: { name: 'Fix', stage: 'lost' },
      },
    );
    expect(badStage.status).toBe(400);

    const unknownTarget = await a.client.post<Body>(`/api/workspaces/${a.id}/record-types`, {
      key: 'ticket',
      name: 'Ticket',
      pluralName: 'Tickets',
      kind: 'custom',
      attributes: [{ key: 'owner', name: 'Owner', type: 'reference', targetRecordType: 'nobody' }],
    });
    expect(unknownTarget.status).toBe(400);
    expect(unknownTarget.body.error?.code).toBe('unknown_target_record_type');

    const removeBuiltIn = await a.client.patch<Body>(
      `/api/workspaces/${a.id}/record-types/person`,
      {
        attributes: [{ key: 'full_name', name: 'Full name', type: 'text', required: true }],
      },
    );
    expect(removeBuiltIn.status).toBe(409);
    expect(
      (await a.client.delete<Body>(`/api/workspaces/${a.id}/record-types/person`)).status,
    ).toBe(409);

    const renamed = await a.client.patch<Body>(`/api/workspaces/${a.id}/record-types/work_order`, {
      name: 'Job',
      pluralName: 'Jobs',
    });
    expect(renamed.body).toMatchObject({ name: 'Job', key: 'work_order' });
    expect((await a.client.delete(`/api/workspaces/${a.id}/record-types/work_order`)).status).toBe(
      204,
    );
  });

  it('holds records of a type with every attribute type, and refuses a bad value of each', async () => {
    const options = [
      { value: 'a', label: 'A' },
      { value: 'b', label: 'B' },
    ];
    const attributes = [
      { key: 'title', name: 'Title', type: 'text', required: true, maxLength: 20 },
      { key: 'notes', name: 'Notes', type: 'long_text' },
      { key: 'seats', name: 'Seats', type: 'number', decimals: 0 },
      { key: 'budget', name: 'Budget', type: 'currency', currencyCode: 'EUR', decimals: 2 },
      { key: 'done', name: 'Done', type: 'percent' },
      { key: 'starts', name: 'Starts', type: 'date' },
      { key: 'kickoff', name: 'Kickoff', type: 'datetime' },
      { key: 'billable', name: 'Billable', type: 'boolean' },
      { key: 'tier', name: 'Tier', type: 'select', options },
      { key: 'tags', name: 'Tags', type: 'multi_select', options },
      { key: 'contact', name: 'Contact', type: 'email' },
      { key: 'hotline', name: 'Hotline', type: 'phone' },
      { key: 'site', name: 'Site', type: 'url' },
      { key: 'client', name: 'Client', type: 'reference', targetRecordType: 'organization' },
    ];
    const created = await a.client.post<{ attributes: { type: string }[] }>(
      `/api/workspaces/${a.id}/record-types`,
      { key: 'project', name: 'Project', pluralName: 'Projects', kind: 'custom', attributes },
    );
    expect(created.status).toBe(201);
    expect(created.body.attributes.map((attribute) => attribute.type).sort()).toEqual(
      [...ATTRIBUTE_TYPES].sort(),
    );
    const client = await a.client.post<Body>(
      `/api/workspaces/${a.id}/record-types/organization/records`,
      { values: { name: 'Client Co' } },
    );
    const person = await a.client.post<Body>(
      `/api/workspaces/${a.id}/record-types/person/records`,
      { values: { full_name: 'Not an organization' } },
    );
    const values = {
      title: 'Rollout',
      notes: 'Line one\nLine two',
      seats: 12,
      budget: 1234.56,
      done: 12.5,
      starts: '2026-03-29',
      kickoff: '2026-03-29T01:30:00.000Z',
      billable: true,
      tier: 'a',
      tags: ['a', 'b'],
      contact: 'pm@client.example',
      hotline: '+33 1 23 45 67 89',
      site: 'https://client.example/project',
      client: client.body.id,
    };
    const path = `/api/workspaces/${a.id}/record-types/project/records`;
    const record = await a.client.post<Body>(path, { values });
    expect(record.status).toBe(201);
    expect(record.body.values).toEqual(values);
    const read = await a.client.get<Body>(
      `/api/workspaces/${a.id}/records/${String(record.body.id)}`,
    );
    expect(read.body).toMatchObject({ values, version: 1, deletedAt: null });
    expect(Date.parse(String(read.body.createdAt))).not.toBeNaN();
    expect(read.body.updatedAt).toBe(read.body.createdAt);

    const bad = await a.client.post<Body>(path, {
      values: {
        title: 'x'.repeat(21),
        notes: 42,
        seats: 'twelve',
        budget: '1,234',
        done: '50%',
        starts: '2026-02-30',
        kickoff: '2026-03-29 01:30',
        billable: 'yes',
        tier: 'c',
        tags: ['a', 'z'],
        contact: 'pm@',
        hotline: 'call me',
        site: 'javascript:alert(1)',
        client: person.body.id,
      },
    });
    expect(bad.status).toBe(400);
    const issues = (bad.body.error as unknown as { issues: { attribute: string }[] }).issues;
    expect(issues.map((issue) => issue.attribute).sort()).toEqual(
      attributes.map((attribute) => attribute.key).sort(),
    );
    const emptied = await a.client.post<Body>(path, {
      values: { ...values, title: 'Empty', notes: null, tags: [], client: null, site: null },
    });
    expect(emptied.status).toBe(201);
    expect(emptied.body.values).toMatchObject({ notes: null, tags: [], client: null, site: null });
  });

  it('keeps workspaces isolated: another workspace’s record is not found', async () => {
    const mine = await b.client.post<Body>(
      `/api/workspaces/${b.id}/record-types/organization/records`,
      {
        values: { name: 'Private' },
      },
    );
    const id = String(mine.body.id);
    // A's key cannot reach B's workspace, nor B's record through A's own workspace.
    expect((await a.client.get(`/api/workspaces/${b.id}/records/${id}`)).status).toBe(404);
    expect((await a.client.get(`/api/workspaces/${a.id}/records/${id}`)).status).toBe(404);
    expect(
      (await a.client.patch(`/api/workspaces/${a.id}/records/${id}`, { values: { name: 'x' } }))
        .status,
    ).toBe(404);
    expect((await a.client.delete(`/api/workspaces/${a.id}/records/${id}`)).status).toBe(404);
    expect((await b.client.get<Body>(`/api/workspaces/${b.id}/records/${id}`)).body.values).toEqual(
      {
        name: 'Private',
      },
    );
  });

  it('revokes API keys at once', async () => {
    const issued = await a.client.post<{ id: string; secret: string }>(
      `/api/workspaces/${a.id}/api-keys`,
      {
        name: 'CI',
      },
    );
    expect(issued.status).toBe(201);
    const ci = apiClient(service.url, issued.body.secret);
    expect((await ci.get(`/api/workspaces/${a.id}`)).status).toBe(200);
    expect(
      (await a.client.delete(`/api/workspaces/${a.id}/api-keys/${issued.body.id}`)).status,
    ).toBe(200);
    expect((await ci.get(`/api/workspaces/${a.id}`)).status).toBe(401);
  });
});
