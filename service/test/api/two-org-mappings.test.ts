import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { createWorkspace, type ApiClient } from '../support/api.ts';
import { openConnection } from '../support/connections.ts';
import { PROVIDERS } from '../support/databases.ts';
import { runBrowserFlow, testConnectedApp } from '../support/localorg.ts';
import type { ApiErrorBody, SavedMapping, ValidationReport } from '../support/mappings.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

const { app, privateKeyPem } = testConnectedApp();

describe.each(PROVIDERS)('a workspace connected to production and a sandbox on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let service: ServiceWithTwoOrgs['service'];
  let databaseUrl: string;
  let security: ServiceWithTwoOrgs['security'];
  let ws: { id: string; client: ApiClient };
  let production: string;
  let sandbox: string;

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Two orgs');
    ({ local, service, databaseUrl, security, ws } = stack);
  });
  afterAll(() => stack?.close());

  const base = () => `/api/workspaces/${ws.id}/connections`;
  const mappingsOf = (connectionId: string) => `${base()}/${connectionId}/mappings`;

  it('connects production (web-server flow) and the sandbox (JWT bearer)', async () => {
    const started = await ws.client.post<{ authorizationUrl: string }>(base(), {
      authFlow: 'web_server',
      environment: 'production',
      label: 'Production',
    });
    const done = await runBrowserFlow(started.body.authorizationUrl, local.orgs[0]!.users[0]!);
    expect(done.body).toMatchObject({ status: 'active', orgName: 'Acme Production' });
    production = String(done.body.id);

    const jwt = await ws.client.post<ApiErrorBody>(base(), {
      authFlow: 'jwt_bearer',
      environment: 'sandbox',
      label: 'UAT sandbox',
      clientId: app.clientId,
      username: local.orgs[1]!.users[1]!.username,
      privateKey: privateKeyPem,
    });
    expect(jwt.status).toBe(201);
    expect(jwt.body).toMatchObject({ status: 'active', isSandbox: true, orgName: 'Acme UAT' });
    sandbox = String(jwt.body.id);

    const listed = await ws.client.get<{ data: { orgId: string; status: string }[] }>(base());
    expect(listed.body.data.map((c) => [c.orgId, c.status])).toEqual([
      [local.orgs[0]!.id, 'active'],
      [local.orgs[1]!.id, 'active'],
    ]);
  });

  it('saves the default mappings on both orgs, all valid against real describes', async () => {
    const preview = await ws.client.get<{ mappings: { salesforceObject: string }[] }>(
      `${mappingsOf(production)}/defaults`,
    );
    expect(preview.body.mappings.map((m) => m.salesforceObject)).toEqual([
      'Account',
      'Contact',
      'Opportunity',
    ]);
    for (const connectionId of [production, sandbox]) {
      const saved = await ws.client.post<{ saved: SavedMapping[]; skipped: unknown[] }>(
        `${mappingsOf(connectionId)}/defaults`,
      );
      expect(saved.status).toBe(201);
      expect(saved.body.skipped).toEqual([]);
      expect(saved.body.saved.map((m) => [m.salesforceObject, m.recordType])).toEqual([
        ['Account', 'organization'],
        ['Contact', 'person'],
        ['Opportunity', 'deal'],
      ]);
      for (const mapping of saved.body.saved) expect(mapping.validation.valid).toBe(true);
    }
    const deal = await ws.client.get<{
      kind: string;
      attributes: { key: string; options?: { value: string }[] }[];
    }>(`/api/workspaces/${ws.id}/record-types/deal`);
    expect(deal.body.kind).toBe('pipeline');
    const stages = deal.body.attributes
      .find((a) => a.key === 'stage')
      ?.options?.map((o) => o.value);
    expect(stages).toContain('Prospecting');
    expect(stages).toContain('Closed Won');

    const again = await ws.client.post<{ saved: unknown[]; skipped: { reason: string }[] }>(
      `${mappingsOf(production)}/defaults`,
    );
    expect(again.body.saved).toEqual([]);
    expect(again.body.skipped).toHaveLength(3);
  });

  it('creates another pipeline from the sandbox’s Opportunity stages', async () => {
    const created = await ws.client.post<{
      key: string;
      kind: string;
      attributes: { key: string; options?: { value: string }[] }[];
    }>(`/api/workspaces/${ws.id}/record-types/from-salesforce-stages`, {
      connectionId: sandbox,
      key: 'renewal',
      name: 'Renewal',
      pluralName: 'Renewals',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'renewal', kind: 'pipeline' });
    const stage = created.body.attributes.find((a) => a.key === 'stage');
    expect(stage?.options?.[0]?.value).toBe('Prospecting');
    const again = await ws.client.post<ApiErrorBody>(
      `/api/workspaces/${ws.id}/record-types/from-salesforce-stages`,
      { connectionId: sandbox, key: 'renewal' },
    );
    expect(again.status).toBe(409);
    const unknown = await ws.client.post<ApiErrorBody>(
      `/api/workspaces/${ws.id}/record-types/from-salesforce-stages`,
      { connectionId: 'nope' },
    );
    expect(unknown.status).toBe(404);
  });

  it('edits one mapping and validates the edit', async () => {
    const list = await ws.client.get<{ data: SavedMapping[] }>(mappingsOf(production));
    const contact = list.body.data.find((m) => m.salesforceObject === 'Contact')!;
    const edited = await ws.client.patch<SavedMapping>(`${mappingsOf(production)}/${contact.id}`, {
      direction: 'pull',
      filter: "Email != null AND Account.Name LIKE 'Acme%'",
      conflictStrategy: 'salesforce_wins',
      schedule: { kind: 'interval', minutes: 15 },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      direction: 'pull',
      filter: "Email != null AND Account.Name LIKE 'Acme%'",
      validation: { valid: true },
    });
    const sandboxContact = (
      await ws.client.get<{ data: SavedMapping[] }>(mappingsOf(sandbox))
    ).body.data.find((m) => m.salesforceObject === 'Contact')!;
    expect(sandboxContact.direction).toBe('bidirectional');
  });

  it('refreshes a cached describe when a mapping names a field added in Salesforce since', async () => {
    const list = await ws.client.get<{ data: SavedMapping[] }>(mappingsOf(sandbox));
    const account = list.body.data.find((m) => m.salesforceObject === 'Account')!;
    // An admin adds a text field to Account in the sandbox after the describe was cached.
    const describe = local.org(local.orgs[1]!.id).describe('Account')!;
    const website = describe.fields.find((f) => f.name === 'Website')!;
    describe.fields.push({
      ...website,
      name: 'Region__c',
      label: 'Region',
      type: 'string',
      custom: true,
    });
    const fields = account.fields.map((field) =>
      field.attribute === 'industry' ? { ...field, salesforceField: 'Region__c' } : field,
    );
    const edited = await ws.client.patch<SavedMapping>(`${mappingsOf(sandbox)}/${account.id}`, {
      fields,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.validation.valid).toBe(true);
    const cached = await ws.client.get<{ describe: { fields: { name: string }[] } }>(
      `${base()}/${sandbox}/describe/Account`,
    );
    expect(cached.body.describe.fields.map((f) => f.name)).toContain('Region__c');
  });

  it('answers a deliberately broken mapping with a precise report and saves nothing', async () => {
    const list = await ws.client.get<{ data: SavedMapping[] }>(mappingsOf(production));
    const account = list.body.data.find((m) => m.salesforceObject === 'Account')!;
    const broken = await ws.client.patch<ApiErrorBody>(`${mappingsOf(production)}/${account.id}`, {
      filter: "Nme = 'Acme'",
      fields: [
        { kind: 'field', salesforceField: 'Name', attribute: 'name', direction: 'bidirectional' },
        {
          kind: 'field',
          salesforceField: 'Websit',
          attribute: 'website',
          direction: 'bidirectional',
        },
        { kind: 'field', salesforceField: 'Industry', attribute: 'shoe_size', direction: 'pull' },
        {
          kind: 'field',
          salesforceField: 'NumberOfEmployees',
          attribute: 'owner_email',
          direction: 'pull',
        },
        {
          kind: 'field',
          salesforceField: 'CreatedDate',
          attribute: 'description',
          direction: 'push',
        },
      ],
    });
    expect(broken.status).toBe(422);
    expect(broken.body.error?.code).toBe('invalid_mapping');
    const report = broken.body.error?.report as ValidationReport;
    expect(report.valid).toBe(false);
    const found = report.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.code}:${p.field ?? p.attribute ?? ''}`)
      .sort();
    expect(found).toEqual([
      'field_not_writable:CreatedDate',
      'filter_unknown_field:Nme',
      'incompatible_types:CreatedDate',
      'incompatible_types:NumberOfEmployees',
      'unknown_attribute:shoe_size',
      'unknown_field:Websit',
    ]);
    for (const problem of report.problems) expect(problem.message.length).toBeGreaterThan(10);

    const unchanged = await ws.client.get<SavedMapping>(`${mappingsOf(production)}/${account.id}`);
    expect(unchanged.body.filter).toBe(account.filter);
    expect(unchanged.body.fields).toEqual(account.fields);

    const draft = await ws.client.post<ValidationReport>(`${mappingsOf(sandbox)}/validate`, {
      salesforceObject: 'Project__c',
      recordType: 'organization',
      direction: 'pull',
      conflictStrategy: 'salesforce_wins',
      schedule: { kind: 'manual' },
      fields: [],
    });
    expect(draft.status).toBe(200);
    expect(draft.body.valid).toBe(false);
    expect(draft.body.problems.map((p) => p.code)).toContain('unknown_object');
  });

  it('lets a run start only when every mapping is valid, and says why not', async () => {
    const ready = await ws.client.post<{ ready: boolean; order: string[] }>(
      `${mappingsOf(production)}/preflight`,
    );
    expect(ready.status).toBe(200);
    expect(ready.body.order).toEqual(['Account', 'Contact', 'Opportunity']);

    // The pipeline loses an attribute its Opportunity mappings use: runs must refuse.
    const deal = await ws.client.get<{ attributes: { key: string }[] }>(
      `/api/workspaces/${ws.id}/record-types/deal`,
    );
    const trimmed = await ws.client.patch(`/api/workspaces/${ws.id}/record-types/deal`, {
      attributes: deal.body.attributes.filter((a) => a.key !== 'next_step'),
    });
    expect(trimmed.status).toBe(200);
    const refused = await ws.client.post<ApiErrorBody>(`${mappingsOf(production)}/preflight`);
    expect(refused.status).toBe(422);
    expect(refused.body.error?.code).toBe('invalid_mapping');
    expect(refused.body.error?.message).toContain('Opportunity');
    expect(refused.body.error?.message).toContain('next_step');
    const stored = (
      await ws.client.get<{ data: SavedMapping[] }>(mappingsOf(production))
    ).body.data.find((m) => m.salesforceObject === 'Opportunity')!;
    expect(stored.validation.valid).toBe(false);
  });

  it('keeps tokens of both orgs unreadable in the database', async () => {
    const db = await openConnection(databaseUrl);
    try {
      const rows = await db.query<Record<string, unknown>>('SELECT * FROM "Connection"');
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(String(row.accessTokenEncrypted)).toMatch(/^enc1\./);
        expect(String(row.credentialEncrypted ?? row.refreshTokenEncrypted)).toMatch(/^enc1\./);
      }
      expect(JSON.stringify(rows)).not.toContain('BEGIN PRIVATE KEY');
    } finally {
      await db.close();
    }
  });

  it('disconnects the sandbox and leaves records, links and mappings in place', async () => {
    const record = await ws.client.post<ApiErrorBody>(
      `/api/workspaces/${ws.id}/record-types/organization/records`,
      { values: { name: 'Synced Co' } },
    );
    const db = await openConnection(databaseUrl);
    try {
      await db.query(
        `INSERT INTO "Link" (id, "connectionId", "recordId", "salesforceObject", "salesforceId", "baseValues", "lastSyncedAt", "createdAt", "updatedAt")
         VALUES ('link-1', '${sandbox}', '${String(record.body.id)}', 'Account', '001000000000001AAA', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`,
      );
    } finally {
      await db.close();
    }
    const disconnected = await ws.client.delete<ApiErrorBody>(`${base()}/${sandbox}`);
    expect(disconnected.body).toMatchObject({ status: 'disconnected', tokenRevoked: true });

    const kept = await ws.client.get<ApiErrorBody>(
      `/api/workspaces/${ws.id}/records/${String(record.body.id)}`,
    );
    expect(kept.body).toMatchObject({ values: { name: 'Synced Co' }, deletedAt: null });
    const mappings = (await ws.client.get<{ data: SavedMapping[] }>(mappingsOf(sandbox))).body.data;
    expect(mappings).toHaveLength(3);
    expect(mappings.every((m) => !m.enabled)).toBe(true);
    // Nothing runs for a disconnected org: the run gate finds no enabled mapping.
    const run = await ws.client.post<ApiErrorBody>(`${mappingsOf(sandbox)}/preflight`);
    expect(run.status).toBe(409);
    expect(run.body.error?.code).toBe('no_mappings');
    const reenable = await ws.client.patch<ApiErrorBody>(
      `${mappingsOf(sandbox)}/${mappings[0]!.id}`,
      {
        enabled: true,
      },
    );
    expect(reenable.status).toBe(409);
    expect(reenable.body.error?.code).toBe('connection_not_active');
    const linked = await ws.client.get<{ data: { connectionId: string; salesforceId: string }[] }>(
      `/api/workspaces/${ws.id}/records/${String(record.body.id)}/links`,
    );
    expect(linked.body.data).toEqual([
      expect.objectContaining({ connectionId: sandbox, salesforceId: '001000000000001AAA' }),
    ]);
    const production_ = await ws.client.get<ApiErrorBody>(`${base()}/${production}`);
    expect(production_.body.status).toBe('active');
  });

  it('keeps another workspace out of these connections and mappings', async () => {
    const other = await createWorkspace(service.url, security.adminToken, 'Outsider');
    const paths = [
      `/api/workspaces/${other.id}/connections/${production}`,
      `/api/workspaces/${other.id}/connections/${production}/mappings`,
      `/api/workspaces/${other.id}/connections/${production}/describe`,
    ];
    for (const path of paths) {
      const response = await other.client.get<ApiErrorBody>(path);
      expect(response.status).toBe(404);
      expect(response.body.error?.code).toBe('connection_not_found');
    }
    const mappingId = (await ws.client.get<{ data: SavedMapping[] }>(mappingsOf(production))).body
      .data[0]!.id;
    // A's Account mapping, sent as B's own: the answer must not say it exists (409 with its id).
    const saved = (
      await ws.client.get<{ data: (SavedMapping & Record<string, unknown>)[] }>(
        mappingsOf(production),
      )
    ).body.data.find((mapping) => mapping.salesforceObject === 'Account')!;
    const {
      id: _id,
      connectionId: _connectionId,
      enabled: _enabled,
      validation: _validation,
      validatedAt: _validatedAt,
      createdAt: _createdAt,
      updatedAt: _updatedAt,
      ...accountMapping
    } = saved;
    const foreignPaths: [string, string, unknown?][] = [
      ['POST', `/api/workspaces/${other.id}/connections/${production}/mappings`, accountMapping],
      ['POST', `/api/workspaces/${other.id}/connections/${production}/jobs`, { kind: 'pull' }],
      ['GET', `/api/workspaces/${other.id}/connections/${production}/mappings/${mappingId}`],
      [
        'PATCH',
        `/api/workspaces/${other.id}/connections/${production}/mappings/${mappingId}`,
        { direction: 'pull' },
      ],
      ['POST', `/api/workspaces/${other.id}/connections/${production}/mappings/preflight`, {}],
      ['POST', `/api/workspaces/${other.id}/connections/${production}/mappings/defaults`, {}],
      ['POST', `/api/workspaces/${other.id}/connections/${production}/reauthorize`, {}],
      [
        'POST',
        `/api/workspaces/${other.id}/record-types/from-salesforce-stages`,
        { connectionId: production, key: 'stolen' },
      ],
    ];
    for (const [method, path, body] of foreignPaths) {
      const response = await other.client.call<ApiErrorBody>(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error?.code).toBe('connection_not_found');
    }
    const foreign = await other.client.get<ApiErrorBody>(`${base()}/${production}`);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error?.code).toBe('workspace_not_found');
    const disconnect = await other.client.delete<ApiErrorBody>(
      `/api/workspaces/${other.id}/connections/${production}`,
    );
    expect(disconnect.status).toBe(404);
    expect((await ws.client.get<ApiErrorBody>(`${base()}/${production}`)).body.status).toBe(
      'active',
    );
  });
});
