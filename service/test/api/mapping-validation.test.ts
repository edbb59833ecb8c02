import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import type { ApiClient } from '../support/api.ts';
import { openConnection } from '../support/connections.ts';
import { PROVIDERS } from '../support/databases.ts';
import { passwordConnectionRequest, testConnectedApp } from '../support/localorg.ts';
import type { ApiErrorBody, SavedMapping, ValidationReport } from '../support/mappings.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';
import { typedClient } from '../support/typed-client.ts';

const { app } = testConnectedApp();

const errors = (report: ValidationReport) =>
  report.problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.code}:${p.field ?? p.attribute ?? ''}`)
    .sort();

describe.each(PROVIDERS)('mappings checked against the org’s real describes on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: { id: string; client: ApiClient };
  let connectionId: string;
  let databaseUrl: string;

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Validation');
    ({ local, ws, databaseUrl } = stack);
    const connected = await ws.client.post<{ id: string; status: string }>(
      `/api/workspaces/${ws.id}/connections`,
      passwordConnectionRequest(app, local.orgs[0]!.users[0]!, { environment: 'production' }),
    );
    expect(connected.body.status).toBe('active');
    connectionId = connected.body.id;
    const saved = await ws.client.post<{ saved: unknown[] }>(`${mappings()}/defaults`);
    expect(saved.body.saved).toHaveLength(3);
  });
  afterAll(() => stack?.close());

  function mappings() {
    return `/api/workspaces/${ws.id}/connections/${connectionId}/mappings`;
  }
  async function saved(object: string): Promise<SavedMapping> {
    const list = await ws.client.get<{ data: SavedMapping[] }>(mappings());
    return list.body.data.find((m) => m.salesforceObject === object)!;
  }
  async function apiCalls(): Promise<number> {
    const shown = await ws.client.get<{ apiCallCount: number }>(
      `/api/workspaces/${ws.id}/connections/${connectionId}`,
    );
    return shown.body.apiCallCount;
  }
  const productionOrg = () => local.org(local.orgs[0]!.id);

  it('maps other standard objects and reports required fields a push leaves unmapped', async () => {
    const lead = await ws.client.post<ValidationReport>(`${mappings()}/validate`, {
      salesforceObject: 'Lead',
      recordType: 'person',
      direction: 'bidirectional',
      conflictStrategy: 'most_recent',
      schedule: { kind: 'realtime' },
      fields: [
        {
          kind: 'field',
          salesforceField: 'Email',
          attribute: 'primary_email',
          direction: 'bidirectional',
        },
      ],
    });
    expect(lead.status).toBe(200);
    expect(lead.body.valid).toBe(false);
    expect(errors(lead.body)).toEqual([
      'required_field_unmapped:Company',
      'required_field_unmapped:LastName',
    ]);
    // Pull only: nothing is created in Salesforce, so nothing is required.
    const pullLead = await ws.client.post<ValidationReport>(`${mappings()}/validate`, {
      salesforceObject: 'Lead',
      recordType: 'person',
      direction: 'pull',
      conflictStrategy: 'salesforce_wins',
      schedule: { kind: 'manual' },
      fields: [
        {
          kind: 'full_name',
          firstNameField: 'FirstName',
          lastNameField: 'LastName',
          attribute: 'full_name',
          direction: 'pull',
        },
        { kind: 'field', salesforceField: 'Email', attribute: 'primary_email', direction: 'pull' },
        {
          kind: 'field',
          salesforceField: 'Company',
          attribute: 'organization_name',
          direction: 'pull',
        },
      ],
    });
    expect(pullLead.body).toMatchObject({ valid: true });

    const ticket = await ws.client.post(`/api/workspaces/${ws.id}/record-types`, {
      key: 'ticket',
      name: 'Ticket',
      pluralName: 'Tickets',
      kind: 'custom',
      attributes: [
        { key: 'subject', name: 'Subject', type: 'text', maxLength: 255 },
        { key: 'number', name: 'Number', type: 'text', maxLength: 30 },
        { key: 'details', name: 'Details', type: 'long_text' },
      ],
    });
    expect(ticket.status).toBe(201);
    const kase = await ws.client.post<SavedMapping>(mappings(), {
      salesforceObject: 'Case',
      recordType: 'ticket',
      direction: 'bidirectional',
      conflictStrategy: 'manual',
      schedule: { kind: 'interval', minutes: 60 },
      fields: [
        {
          kind: 'field',
          salesforceField: 'Subject',
          attribute: 'subject',
          direction: 'bidirectional',
        },
        {
          kind: 'field',
          salesforceField: 'CaseNumber',
          attribute: 'number',
          direction: 'pull',
          readOnly: true,
        },
        { kind: 'field', salesforceField: 'Description', attribute: 'details', direction: 'push' },
      ],
    });
    expect(kase.status).toBe(201);
    expect(kase.body.validation.valid).toBe(true);
  });

  it('requires Pryzm_ID__c on objects Pryzm writes to, and only warns for a pull', async () => {
    const body = (direction: string) => ({
      salesforceObject: 'Event',
      recordType: 'ticket',
      direction,
      conflictStrategy: 'salesforce_wins',
      schedule: { kind: 'manual' },
      fields: [
        { kind: 'field', salesforceField: 'Subject', attribute: 'subject', direction: 'pull' },
      ],
    });
    const push = await ws.client.post<ValidationReport>(
      `${mappings()}/validate`,
      body('bidirectional'),
    );
    expect(push.body.valid).toBe(false);
    expect(errors(push.body)).toContain('pryzm_id_field_missing:Pryzm_ID__c');
    const pull = await ws.client.post<ValidationReport>(`${mappings()}/validate`, body('pull'));
    expect(pull.body.valid).toBe(true);
    expect(pull.body.problems).toEqual([
      expect.objectContaining({ code: 'pryzm_id_field_missing', severity: 'warning' }),
    ]);
  });

  it('takes configurable first-sync match rules and checks their fields', async () => {
    const contact = await saved('Contact');
    expect(contact.matchRules).toEqual([
      { parts: [{ salesforceField: 'Email', attribute: 'primary_email', normaliser: 'email' }] },
    ]);
    const rules = [
      {
        parts: [
          { salesforceField: 'LastName', attribute: 'full_name', normaliser: 'text' },
          { salesforceField: 'Phone', attribute: 'phone', normaliser: 'phone' },
        ],
      },
    ];
    const edited = await ws.client.patch<SavedMapping>(`${mappings()}/${contact.id}`, {
      matchRules: rules,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.matchRules).toEqual(rules);
    const broken = await ws.client.patch<ApiErrorBody>(`${mappings()}/${contact.id}`, {
      matchRules: [
        { parts: [{ salesforceField: 'Fone', attribute: 'phone', normaliser: 'phone' }] },
      ],
    });
    expect(broken.status).toBe(422);
    expect(errors(broken.body.error!.report!)).toEqual(['unknown_field:Fone']);
    const badNormaliser = await ws.client.patch<ApiErrorBody>(`${mappings()}/${contact.id}`, {
      matchRules: [
        { parts: [{ salesforceField: 'Phone', attribute: 'phone', normaliser: 'soundex' }] },
      ],
    });
    expect(badNormaliser.status).toBe(400);
    expect(badNormaliser.body.error?.code).toBe('invalid_request');
    expect((await saved('Contact')).matchRules).toEqual(rules);
  });

  it('goes back to the default match rules with "matchRules": null, audited like any edit', async () => {
    const contact = await saved('Contact');
    const path = `${mappings()}/${contact.id}`;
    const rules = [
      { parts: [{ salesforceField: 'Phone', attribute: 'phone', normaliser: 'phone' as const }] },
    ];
    expect((await ws.client.patch<SavedMapping>(path, { matchRules: rules })).status).toBe(200);
    // Strict: an unknown property next to the null refuses the whole edit, nothing changes.
    const refused = await ws.client.patch<ApiErrorBody>(path, { matchRules: null, rules: [] });
    expect(refused.status).toBe(400);
    expect((await saved('Contact')).matchRules).toEqual(rules);

    const typed = typedClient(stack!.service.url, stack!.ws.key);
    const params = { workspaceId: ws.id, connectionId, mappingId: contact.id };
    const reset = await typed.ok(
      'patch /api/workspaces/:workspaceId/connections/:connectionId/mappings/:mappingId',
      { params, body: { matchRules: null } },
    );
    expect('matchRules' in reset).toBe(false);
    expect(reset.validation?.valid).toBe(true);
    const stored = await saved('Contact');
    expect('matchRules' in stored).toBe(false);
    expect(stored.fields).toEqual(contact.fields);
    expect(stored.direction).toBe(contact.direction);
    // Still the defaults after another edit that leaves them out.
    await ws.client.patch(path, { enabled: contact.enabled });
    expect('matchRules' in (await saved('Contact'))).toBe(false);

    const audit = await ws.client.get<{
      data: { action: string; target: string; outcome: string }[];
    }>(`/api/workspaces/${ws.id}/audit`);
    const edits = audit.body.data.filter(
      (entry) => entry.action === 'PATCH /connections/:connectionId/mappings/:mappingId',
    );
    expect(edits.map((entry) => entry.outcome).slice(0, 4)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'succeeded',
    ]);
    expect(edits[0]!.target).toContain(contact.id);
  });

  it('accepts only conditions over real fields as a filter, so nothing can be injected', async () => {
    const account = await saved('Account');
    const attempts: [string, string][] = [
      ["Name = 'x' LIMIT 1", 'filter_clause_not_allowed'],
      ["Name = 'x'; DELETE FROM Account", 'filter_semicolon'],
      ["Name = 'x' OR Id IN (SELECT AccountId FROM Contact)", 'filter_subquery'],
      ['Name = :name', 'filter_bind_variable'],
      ["Name = 'x' ORDER BY Name", 'filter_clause_not_allowed'],
      ['Passwrd__c = 1', 'filter_unknown_field'],
    ];
    for (const [filter, code] of attempts) {
      const refused = await ws.client.patch<ApiErrorBody>(`${mappings()}/${account.id}`, {
        filter,
      });
      expect(refused.status, filter).toBe(422);
      const codes = refused.body.error!.report!.problems.map((p) => p.code);
      expect(codes, filter).toContain(code);
    }
    expect((await saved('Account')).filter).toBe(account.filter);
    const fine = await ws.client.patch<SavedMapping>(`${mappings()}/${account.id}`, {
      filter: "name like 'Acme%' and Website != null",
    });
    expect(fine.status).toBe(200);
    expect(fine.body.validation.valid).toBe(true);
  });

  it('refreshes the cached describe when a filter names a field added in Salesforce since', async () => {
    const account = await saved('Account');
    const describe = productionOrg().describe('Account')!;
    const industry = describe.fields.find((f) => f.name === 'Industry')!;
    describe.fields.push({ ...industry, name: 'Tier__c', label: 'Tier', custom: true });
    const edited = await ws.client.patch<SavedMapping>(`${mappings()}/${account.id}`, {
      filter: "Tier__c = 'Gold'",
    });
    expect(edited.status).toBe(200);
    expect(edited.body.validation.valid).toBe(true);
    const reset = await ws.client.patch<SavedMapping>(`${mappings()}/${account.id}`, {
      filter: null,
    });
    expect(reset.status).toBe(200);
  });

  it('checks every run against the org as it is now, one describe per object', async () => {
    const before = await apiCalls();
    const ready = await ws.client.post<{ ready: boolean; order: string[] }>(
      `${mappings()}/preflight`,
    );
    expect(ready.status).toBe(200);
    expect(ready.body.order).toEqual(['Account', 'Contact', 'Opportunity', 'Case']);
    // Account, Contact, Opportunity, Case and the parents User (Owner.Email): fetched once each.
    expect((await apiCalls()) - before).toBe(5);

    // An admin turns Account.Pryzm_ID__c into a plain text field after the mappings were saved.
    const pryzmId = productionOrg()
      .describe('Account')!
      .fields.find((f) => f.name === 'Pryzm_ID__c')!;
    pryzmId.externalId = false;
    pryzmId.unique = false;
    try {
      const refused = await ws.client.post<ApiErrorBody>(`${mappings()}/preflight`);
      expect(refused.status).toBe(422);
      expect(refused.body.error?.code).toBe('invalid_mapping');
      expect(refused.body.error?.message).toContain('Account');
      expect(refused.body.error?.message).toContain('External ID');
      const reports = refused.body.error!.reports!;
      expect(reports.map((r) => r.salesforceObject)).toEqual(['Account']);
      expect(errors(reports[0]!)).toEqual([
        'pryzm_id_field_not_external_id:Pryzm_ID__c',
        'pryzm_id_field_not_unique:Pryzm_ID__c',
      ]);
      expect((await saved('Account')).validation.valid).toBe(false);
    } finally {
      pryzmId.externalId = true;
      pryzmId.unique = true;
    }
    expect((await ws.client.post(`${mappings()}/preflight`)).status).toBe(200);
  });

  it('checks an edit of a saved mapping as that mapping, not as a second mapping of its object', async () => {
    const account = await saved('Account');
    // The saved mapping as the console's editor sends it back: the mapping, no stored metadata.
    const draft: Record<string, unknown> = { ...account };
    for (const key of ['id', 'connectionId', 'validation', 'validatedAt', 'createdAt', 'updatedAt'])
      delete draft[key];
    const asNew = await ws.client.post<ValidationReport>(`${mappings()}/validate`, draft);
    expect(asNew.status).toBe(200);
    expect(asNew.body.problems.map((p) => p.code)).toContain('duplicate_object_mapping');

    const asEdit = await ws.client.post<ValidationReport>(`${mappings()}/validate`, {
      ...draft,
      mappingId: account.id,
    });
    expect(asEdit.status).toBe(200);
    expect(asEdit.body.valid).toBe(true);
    expect(asEdit.body.problems.map((p) => p.code)).not.toContain('duplicate_object_mapping');

    const unknown = await ws.client.post<ApiErrorBody>(`${mappings()}/validate`, {
      ...draft,
      mappingId: 'no-such-mapping',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('mapping_not_found');
  });

  it('re-checks one saved mapping now: a field Salesforce no longer lets us write', async () => {
    const contact = await saved('Contact');
    const title = productionOrg()
      .describe('Contact')!
      .fields.find((f) => f.name === 'Title')!;
    title.updateable = false;
    title.createable = false;
    try {
      const report = await ws.client.post<ValidationReport>(`${mappings()}/${contact.id}/validate`);
      expect(report.status).toBe(200);
      expect(report.body.valid).toBe(false);
      expect(errors(report.body)).toEqual(['field_not_writable:Title']);
      expect(report.body.problems.find((p) => p.field === 'Title')?.message).toMatch(/Title/);
    } finally {
      title.updateable = true;
      title.createable = true;
    }
    const again = await ws.client.post<ValidationReport>(`${mappings()}/${contact.id}/validate`);
    expect(again.body.valid).toBe(true);
  });

  it('reports an object deleted in Salesforce since the cache was filled as unknown', async () => {
    // The cached global describe still lists an object the org no longer has.
    await ws.client.get(`/api/workspaces/${ws.id}/connections/${connectionId}/describe`);
    const db = await openConnection(databaseUrl);
    try {
      const [row] = await db.query<{ payload: unknown }>(
        `SELECT payload FROM "DescribeCache" WHERE "connectionId" = '${connectionId}' AND "objectName" = ''`,
      );
      const global = (
        typeof row!.payload === 'string' ? JSON.parse(row!.payload) : row!.payload
      ) as {
        sobjects: { name: string }[];
      };
      global.sobjects.push({ ...global.sobjects[0]!, name: 'Retired__c' });
      const json = JSON.stringify(global).replace(/'/g, "''");
      await db.query(
        `UPDATE "DescribeCache" SET payload = '${json}' WHERE "connectionId" = '${connectionId}' AND "objectName" = ''`,
      );
    } finally {
      await db.close();
    }
    const draft = await ws.client.post<ValidationReport>(`${mappings()}/validate`, {
      salesforceObject: 'Retired__c',
      recordType: 'ticket',
      direction: 'pull',
      conflictStrategy: 'salesforce_wins',
      schedule: { kind: 'manual' },
      fields: [],
    });
    expect(draft.status).toBe(200);
    expect(errors(draft.body)).toEqual(['unknown_object:']);
    const described = await ws.client.get<ApiErrorBody>(
      `/api/workspaces/${ws.id}/connections/${connectionId}/describe/Retired__c`,
    );
    expect(described.status).toBe(404);
    expect(described.body.error?.code).toBe('unknown_object');
  });
});
