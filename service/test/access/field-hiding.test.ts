import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hideFieldEntries, withoutSensitive } from '../../src/access/field-hiding.ts';
import { apiClient, createWorkspace, testSecurityEnv, type ApiClient } from '../support/api.ts';
import { freshDatabaseUrl, PROVIDERS } from '../support/databases.ts';
import { bootService } from '../support/service.ts';
import { addMemberWithToken } from './support.ts';

type Values = Record<string, unknown>;

describe.each(PROVIDERS)('sensitive attributes on %s', (provider) => {
  let service: Awaited<ReturnType<typeof bootService>>;
  let workspaceId: string;
  let admin: ApiClient;
  let editor: ApiClient;
  let viewer: ApiClient;
  let recordId: string;
  const security = testSecurityEnv();
  const ws = (path: string) => `/api/workspaces/${workspaceId}${path}`;
  const values = {
    full_name: 'Grace Sensitive',
    primary_email: 'grace@example.com',
    birthdate: '1906-12-09',
  };

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl(provider), security.env);
    const created = await createWorkspace(service.url, security.adminToken, 'Hidden');
    workspaceId = created.id;
    admin = created.client;
    editor = apiClient(
      service.url,
      (await addMemberWithToken(admin, workspaceId, 'editor')).secret,
    );
    viewer = apiClient(
      service.url,
      (await addMemberWithToken(admin, workspaceId, 'viewer')).secret,
    );
    const record = await admin.post<{ id: string }>(ws('/record-types/person/records'), { values });
    recordId = record.body.id;
  });
  afterAll(async () => {
    await service.stop();
  });

  it('shows every attribute to everyone until an Admin marks some sensitive', async () => {
    const read = await viewer.get<{ values: Values }>(ws(`/records/${recordId}`));
    expect(read.body.values).toMatchObject(values);
  });

  it('hides marked attributes from Viewers in single and listed reads only', async () => {
    const marked = await admin.call<{ attributes: { key: string; sensitive?: boolean }[] }>(
      'PUT',
      ws('/record-types/person/sensitive-attributes'),
      { attributes: ['primary_email', 'birthdate'] },
    );
    expect(marked.status).toBe(200);
    expect(marked.body.attributes.filter((a) => a.sensitive).map((a) => a.key)).toEqual([
      'primary_email',
      'birthdate',
    ]);

    const one = await viewer.get<{ values: Values }>(ws(`/records/${recordId}`));
    expect(one.body.values).toEqual({ full_name: 'Grace Sensitive' });
    const list = await viewer.get<{ data: { values: Values }[] }>(
      ws('/record-types/person/records'),
    );
    for (const record of list.body.data) {
      expect(record.values).not.toHaveProperty('primary_email');
      expect(record.values).not.toHaveProperty('birthdate');
    }
    for (const client of [admin, editor]) {
      const full = await client.get<{ values: Values }>(ws(`/records/${recordId}`));
      expect(full.body.values).toMatchObject(values);
    }
  });

  it('lets only Admins mark, and refuses attributes the type does not have', async () => {
    const body = { attributes: ['primary_email'] };
    const path = ws('/record-types/person/sensitive-attributes');
    expect((await editor.call('PUT', path, body)).status).toBe(403);
    expect((await viewer.call('PUT', path, body)).status).toBe(403);
    const unknown = await admin.call('PUT', path, { attributes: ['no_such'] });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'unknown_attribute' } } });
    // Unmarking shows the values again.
    await admin.call('PUT', path, { attributes: [] });
    const read = await viewer.get<{ values: Values }>(ws(`/records/${recordId}`));
    expect(read.body.values).toMatchObject(values);
  });

  it('gives webhooks values without sensitive attributes', () => {
    const attributes = [
      { key: 'full_name', name: 'Name', type: 'text' as const },
      { key: 'primary_email', name: 'Email', type: 'email' as const, sensitive: true },
    ];
    expect(
      withoutSensitive({ full_name: 'A', primary_email: 'a@example.com' }, attributes),
    ).toEqual({ full_name: 'A' });
  });

  it('keeps the name and drops the values of hidden per-field entries (conflicts, job results)', () => {
    const fields = [
      { attribute: 'full_name', base: 'A', pryzm: 'B', salesforce: 'C' },
      { attribute: 'primary_email', base: 'a@x.io', pryzm: 'b@x.io', salesforce: 'c@x.io' },
    ];
    expect(hideFieldEntries(fields, new Set(['primary_email']))).toEqual([
      fields[0],
      { attribute: 'primary_email', hidden: true },
    ]);
    expect(hideFieldEntries(fields, new Set())).toBe(fields);
  });
});
