import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { PROVIDERS } from '../support/databases.ts';
import { testConnectedApp } from '../support/localorg.ts';
import {
  startServiceWithTwoOrgs,
  type ServiceWithTwoOrgs,
} from '../support/service-with-two-orgs.ts';

/**
 * Access governance end to end: the real service on each database, the local org seeded with a
 * company's users, roles, licences, assignments, logins and tokens, over loopback.
 */

const { app, privateKeyPem } = testConnectedApp();
const DAY = 86_400_000;

interface Pull {
  id: string;
  status: string;
  error: string | null;
  apiCalls: number;
  objects: { object: string; kind: string; api: string; rows: number; apiCalls: number }[];
}
interface AccessRecord {
  salesforceId: string;
  name: string | null;
  userId: string | null;
  targetId: string | null;
  active: boolean | null;
  personId: string | null;
  fields: Record<string, unknown>;
}
interface Finding {
  kind: string;
  subjectId: string;
  subjectName: string | null;
  details: Record<string, unknown>;
  suggestedAction: Record<string, unknown> | null;
}
interface Action {
  id: string;
  status: string;
  dryRun: boolean;
  results: { userId: string | null; status: string; error: { code: string } | null }[];
}

const id15 = (id: string | null | undefined) => (id ?? '').slice(0, 15);

describe.each(PROVIDERS)('access governance on %s', (provider) => {
  let stack: ServiceWithTwoOrgs | undefined;
  let local: LocalOrg;
  let ws: ServiceWithTwoOrgs['ws'];
  let org: LocalOrg['orgs'][number];
  let connectionId: string;
  let base: string;
  let firstPull: Pull;

  /** Every record of a query, page after page (the REST API answers 2,000 a page). */
  const soql = async <T>(query: string): Promise<T[]> => {
    const { accessToken } = local.issueAccessToken(org.id);
    const out: T[] = [];
    let path: string | undefined = `/services/data/v63.0/query?q=${encodeURIComponent(query)}`;
    while (path) {
      const response = await fetch(`${org.instanceUrl}${path}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(response.status, query).toBe(200);
      const page = (await response.json()) as {
        records: T[];
        nextRecordsUrl?: string;
        done: boolean;
      };
      out.push(...page.records);
      path = page.done ? undefined : page.nextRecordsUrl;
    }
    return out;
  };
  const list = async <T = AccessRecord>(path: string) => {
    const answer = await ws.client.get<{ data: T[]; nextCursor: string | null }>(`${base}/${path}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body;
  };
  const all = async <T = AccessRecord>(path: string): Promise<T[]> => {
    const out: T[] = [];
    let cursor: string | null = null;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: { data: T[]; nextCursor: string | null } = await list<T>(
        `${path}${separator}limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      out.push(...page.data);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  };
  const pull = async (): Promise<Pull> => {
    const started = await ws.client.post<Pull>(`${base}/pulls`, {});
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const current = (await ws.client.get<Pull>(`${base}/pulls/${started.body.id}`)).body;
      if (current.status === 'succeeded' || current.status === 'failed') return current;
      if (Date.now() > deadline) throw new Error(`pull still ${current.status}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const act = (body: Record<string, unknown>) =>
    ws.client.post<
      Action & { error?: { code: string; message: string; details?: Record<string, unknown> } }
    >(`${base}/actions`, body);
  const findings = (kind: string) => all<Finding>(`findings?kind=${kind}`);

  beforeAll(async () => {
    stack = await startServiceWithTwoOrgs(app, provider, 'Access', {
      PRYZM_SYNC_PAGE_SIZE: '100',
      PRYZM_SYNC_POLL_MS: '20',
    });
    ({ local, ws } = stack);
    org = local.orgs[1]!;
    local.seed(org.id, { accounts: 0, contacts: 0, opportunities: 0, users: 150, logins: 3000 });
    const connected = await ws.client.post<{ id: string }>(`/api/workspaces/${ws.id}/connections`, {
      authFlow: 'jwt_bearer',
      environment: 'sandbox',
      clientId: app.clientId,
      username: org.users[0]!.username,
      privateKey: privateKeyPem,
    });
    expect(connected.status, JSON.stringify(connected.body)).toBe(201);
    connectionId = connected.body.id;
    base = `/api/workspaces/${ws.id}/connections/${connectionId}/access`;
    firstPull = await pull();
  });
  afterAll(() => stack?.close());

  it('should land every kind with its relationships, counted per object', async () => {
    expect(firstPull.status, firstPull.error ?? '').toBe('succeeded');
    const byObject = new Map(firstPull.objects.map((o) => [o.object, o]));
    for (const object of [
      'UserLicense',
      'Profile',
      'UserRole',
      'UserLogin',
      'User',
      'PermissionSetLicense',
      'PermissionSetLicenseAssign',
      'PackageLicense',
      'UserPackageLicense',
      'Group',
      'GroupMember',
      'PermissionSet',
      'PermissionSetAssignment',
      'PermissionSetGroup',
      'PermissionSetGroupComponent',
      'OauthToken',
      'LoginHistory',
    ]) {
      expect(byObject.get(object)?.rows, object).toBeGreaterThan(0);
      expect(byObject.get(object)?.apiCalls, object).toBeGreaterThan(0);
    }
    expect(byObject.get('User')?.api).toBe('bulk');
    expect(firstPull.apiCalls).toBe(firstPull.objects.reduce((sum, o) => sum + o.apiCalls, 0));

    const users = await all('lists/users');
    const sfUsers = await soql<{ Id: string; ProfileId: string; UserRoleId: string | null }>(
      'SELECT Id, ProfileId, UserRoleId FROM User',
    );
    expect(users).toHaveLength(sfUsers.length);
    const profiles = new Map((await all('lists/profiles')).map((p) => [p.salesforceId, p]));
    const licences = new Map((await all('lists/user-licences')).map((l) => [l.salesforceId, l]));
    const roles = new Map((await all('lists/roles')).map((r) => [r.salesforceId, r]));
    for (const user of users) {
      const profile = profiles.get(String(user.targetId))!;
      expect(user.fields['profileName']).toBe(profile.name);
      expect(user.fields['licenceName']).toBe(licences.get(String(profile.targetId))!.name);
      const roleId = user.fields['UserRoleId'];
      expect(user.fields['roleName']).toBe(roleId ? roles.get(String(roleId))!.name : null);
    }
    // The hierarchy: one top role, every other one's parent is a pulled role.
    expect([...roles.values()].filter((r) => r.targetId === null)).toHaveLength(1);
    for (const role of roles.values())
      if (role.targetId) expect(roles.has(role.targetId)).toBe(true);

    const frozen = await soql<{ UserId: string }>(
      'SELECT UserId FROM UserLogin WHERE IsFrozen = true',
    );
    expect(
      users
        .filter((u) => u.fields['frozen'] === true)
        .map((u) => id15(u.salesforceId))
        .sort(),
    ).toEqual(frozen.map((f) => id15(f.UserId)).sort());
    const assignments = await all('lists/permission-set-assignments');
    const sfAssignments = await soql<{ Id: string; AssigneeId: string }>(
      'SELECT Id, AssigneeId FROM PermissionSetAssignment',
    );
    expect(assignments).toHaveLength(sfAssignments.length);
    const userIds = new Set(users.map((u) => u.salesforceId));
    for (const a of assignments) expect(userIds.has(String(a.userId))).toBe(true);
    const members = await all(`lists/group-members?userId=${users[5]!.salesforceId}`);
    for (const m of members) expect(m.userId).toBe(users[5]!.salesforceId);

    const logins = await soql<{ Id: string }>('SELECT Id FROM LoginHistory');
    expect(byObject.get('LoginHistory')?.rows).toBe(logins.length);
    const failed = await list<{ status: string }>('login-history?failed=true&limit=50');
    expect(failed.data.length).toBeGreaterThan(0);
    expect(failed.data.every((l) => l.status !== 'Success')).toBe(true);
  });

  it('should read only newer login history on the next pull', async () => {
    const second = await pull();
    expect(second.status, second.error ?? '').toBe('succeeded');
    expect(second.objects.find((o) => o.object === 'LoginHistory')?.rows).toBe(0);
    const count = await soql<{ Id: string }>('SELECT Id FROM LoginHistory');
    const kept = await all('login-history');
    expect(kept).toHaveLength(count.length);
  });

  it('should report each finding for the seeded cases and not for the others', async () => {
    const now = Date.now();
    const users = await soql<{
      Id: string;
      Name: string;
      IsActive: boolean;
      LastLoginDate: string | null;
      ProfileId: string;
      UserRoleId: string | null;
      UserType: string;
      CreatedDate: string;
    }>(
      'SELECT Id, Name, IsActive, LastLoginDate, ProfileId, UserRoleId, UserType, CreatedDate FROM User',
    );
    const profiles = new Map(
      (
        await soql<{ Id: string; UserLicenseId: string }>('SELECT Id, UserLicenseId FROM Profile')
      ).map((p) => [p.Id, p]),
    );
    const licences = new Map(
      (
        await soql<{
          Id: string;
          Name: string;
          LicenseDefinitionKey: string;
          TotalLicenses: number;
          UsedLicenses: number;
        }>('SELECT Id, Name, LicenseDefinitionKey, TotalLicenses, UsedLicenses FROM UserLicense')
      ).map((l) => [l.Id, l]),
    );
    const paid = (u: (typeof users)[number]) =>
      !licences
        .get(profiles.get(u.ProfileId)!.UserLicenseId)!
        .LicenseDefinitionKey.startsWith('PID_Chatter');
    const idle = (u: (typeof users)[number]) =>
      Date.parse(u.LastLoginDate ?? u.CreatedDate) < now - 90 * DAY;
    const subjects = async (kind: string) =>
      (await findings(kind)).map((f) => id15(f.subjectId)).sort();

    const expectedIdle = users
      .filter((u) => u.IsActive && paid(u) && idle(u))
      .map((u) => id15(u.Id));
    expect(expectedIdle.length).toBeGreaterThan(0);
    expect(await subjects('inactive_paid_user')).toEqual(expectedIdle.sort());

    const frozen = new Set(
      (await soql<{ UserId: string }>('SELECT UserId FROM UserLogin WHERE IsFrozen = true')).map(
        (f) => id15(f.UserId),
      ),
    );
    const frozenActive = users
      .filter((u) => u.IsActive && frozen.has(id15(u.Id)))
      .map((u) => id15(u.Id));
    expect(frozenActive.length).toBeGreaterThan(0);
    expect(await subjects('frozen_active_user')).toEqual(frozenActive.sort());

    const nearLimit = (await findings('licence_near_limit')).map((f) => f.subjectName).sort();
    expect(nearLimit).toEqual(expect.arrayContaining(['CRM Analytics Plus', 'SBQQ', 'Salesforce']));
    expect(nearLimit).not.toContain('Sales Cloud Einstein');
    expect(nearLimit).not.toContain('Chatter Free');
    expect(nearLimit).not.toContain('dsfs');

    const admin = await findings('admin_permission');
    const adminSets = admin.map((f) => f.subjectName);
    expect(adminSets).toEqual(expect.arrayContaining(['Data Steward', 'Auditor (View All Data)']));
    expect(adminSets).not.toContain('Sales Operations');
    const steward = admin.find((f) => f.subjectName === 'Data Steward')!;
    expect(steward.details['grants']).toEqual(['Modify All Data', 'View All Data']);
    expect(steward.suggestedAction).toMatchObject({ action: 'remove-permission-set' });

    const sets = await soql<{ Id: string; IsOwnedByProfile: boolean }>(
      'SELECT Id, IsOwnedByProfile FROM PermissionSet',
    );
    const profileSets = new Set(sets.filter((s) => s.IsOwnedByProfile).map((s) => s.Id));
    const inactive = new Set(users.filter((u) => !u.IsActive).map((u) => u.Id));
    const psa = await soql<{ AssigneeId: string; PermissionSetId: string | null }>(
      'SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment',
    );
    const expectedInactive = [
      ...new Set(
        psa
          .filter((a) => inactive.has(a.AssigneeId) && !profileSets.has(String(a.PermissionSetId)))
          .map((a) => id15(a.AssigneeId)),
      ),
    ].sort();
    expect(expectedInactive.length).toBeGreaterThan(0);
    expect(await subjects('assigned_to_inactive_user')).toEqual(expectedInactive);

    const tokens = await soql<{ Id: string; LastUsedDate: string }>(
      'SELECT Id, LastUsedDate FROM OauthToken',
    );
    const unused = tokens
      .filter((t) => Date.parse(t.LastUsedDate) < now - 90 * DAY)
      .map((t) => id15(t.Id));
    expect(unused.length).toBeGreaterThan(0);
    expect(unused.length).toBeLessThan(tokens.length);
    expect(await subjects('unused_oauth_token')).toEqual(unused.sort());

    const noRole = users
      .filter((u) => u.IsActive && !u.UserRoleId && u.UserType === 'Standard')
      .map((u) => id15(u.Id));
    expect(noRole.length).toBeGreaterThan(0);
    expect(await subjects('user_without_role')).toEqual(noRole.sort());
  });

  it('should apply thresholds per connection from the next pull', async () => {
    // A Pryzm person with a Salesforce user's email (any case) is linked from the next pull.
    const [someone] = await soql<{ Id: string; Email: string }>(
      "SELECT Id, Email FROM User WHERE Email LIKE '%demo-corp%' LIMIT 1",
    );
    const person = await ws.client.post<{ id: string }>(
      `/api/workspaces/${ws.id}/record-types/person/records`,
      { values: { full_name: 'Linked Person', primary_email: someone!.Email.toUpperCase() } },
    );
    expect(person.status, JSON.stringify(person.body)).toBe(201);
    const changed = await ws.client.patch(`${base}/settings`, {
      tokenUnusedDays: 3650,
      licenceUsagePercent: 100,
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await pull()).status).toBe('succeeded');
    expect(await findings('unused_oauth_token')).toHaveLength(0);
    expect((await findings('licence_near_limit')).map((f) => f.subjectName)).toEqual([
      'CRM Analytics Plus',
    ]);
    const linked = (await all('lists/users')).filter((u) => u.personId !== null);
    expect(linked.map((u) => [id15(u.salesforceId), u.personId])).toEqual([
      [id15(someone!.Id), person.body.id],
    ]);

    const refused = await ws.client.patch(`${base}/settings`, { inactiveDays: 0 });
    expect(refused.status).toBe(400);
  });

  it('should export a list as CSV', async () => {
    const csv = await ws.client.get<string>(`${base}/lists/users/export`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('salesforceId,name,userId,targetId,active,at,email,personId,fields');
    const users = await soql<{ Id: string }>('SELECT Id FROM User');
    expect(lines).toHaveLength(users.length + 1);
    const findingsCsv = await ws.client.get<string>(
      `${base}/findings/export?kind=frozen_active_user`,
    );
    expect(findingsCsv.body.split('\n')[0]).toBe(
      'kind,subjectId,subjectName,details,suggestedAction,createdAt',
    );
  });

  describe('actions', () => {
    const someUsers = async (where: string, n: number) =>
      (await soql<{ Id: string }>(`SELECT Id FROM User WHERE ${where} LIMIT ${n}`)).map(
        (u) => u.Id,
      );
    const permissionSet = async (name: string) =>
      (await soql<{ Id: string }>(`SELECT Id FROM PermissionSet WHERE Name = '${name}'`))[0]!.Id;

    it('should preview a dry run, and change nothing without confirmation', async () => {
      const psId = await permissionSet('Marketing_User');
      const [user] = await someUsers('IsActive = true', 1);
      const before = await soql('SELECT Id FROM PermissionSetAssignment');
      const preview = await act({
        request: { action: 'assign-permission-set', permissionSetId: psId, userIds: [user] },
        dryRun: true,
      });
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body).toMatchObject({ dryRun: true, status: 'previewed' });
      expect(preview.body.results).toEqual([
        expect.objectContaining({ status: 'planned', userId: user }),
      ]);
      const unconfirmed = await act({
        request: { action: 'assign-permission-set', permissionSetId: psId, userIds: [user] },
      });
      expect(unconfirmed.status).toBe(400);
      expect(unconfirmed.body.error?.code).toBe('confirmation_required');
      expect(await soql('SELECT Id FROM PermissionSetAssignment')).toHaveLength(before.length);
    });

    it('should assign per user, answering a duplicate with Salesforce’s DUPLICATE_VALUE', async () => {
      const psId = await permissionSet('Report_Builder');
      const holder = (
        await soql<{ AssigneeId: string }>(
          `SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSetId = '${psId}' LIMIT 1`,
        )
      )[0]!.AssigneeId;
      const holders = new Set(
        (
          await soql<{ AssigneeId: string }>(
            `SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSetId = '${psId}'`,
          )
        ).map((a) => a.AssigneeId),
      );
      const other = (await someUsers('IsActive = true', 50)).find((u) => !holders.has(u))!;
      const bulk = await act({
        request: {
          action: 'assign-permission-set',
          permissionSetId: psId,
          userIds: [holder, other],
        },
        confirm: true,
      });
      expect(bulk.status, JSON.stringify(bulk.body)).toBe(200);
      expect(bulk.body.status).toBe('partially_succeeded');
      expect(bulk.body.results.map((r) => [r.userId, r.status, r.error?.code ?? null])).toEqual([
        [holder, 'failed', 'DUPLICATE_VALUE'],
        [other, 'succeeded', null],
      ]);
      const single = await act({
        request: { action: 'assign-permission-set', permissionSetId: psId, userIds: [holder] },
        confirm: true,
      });
      expect(single.status).toBe(422);
      expect(single.body.error).toMatchObject({
        code: 'DUPLICATE_VALUE',
        message: 'Duplicate PermissionSetAssignment',
      });
      const removed = await act({
        request: { action: 'remove-permission-set', permissionSetId: psId, userIds: [other] },
        confirm: true,
      });
      expect(removed.body.status).toBe('succeeded');
      expect(
        await soql(
          `SELECT Id FROM PermissionSetAssignment WHERE PermissionSetId = '${psId}' AND AssigneeId = '${other}'`,
        ),
      ).toHaveLength(0);
    });

    it('should refuse a licence with no seat left with LICENSE_LIMIT_EXCEEDED, changing nothing', async () => {
      const [licence] = await soql<{ Id: string; UsedLicenses: number }>(
        "SELECT Id, UsedLicenses FROM PermissionSetLicense WHERE DeveloperName = 'EinsteinAnalyticsPlusPsl'",
      );
      const holders = new Set(
        (
          await soql<{ AssigneeId: string }>(
            `SELECT AssigneeId FROM PermissionSetLicenseAssign WHERE PermissionSetLicenseId = '${licence!.Id}'`,
          )
        ).map((a) => a.AssigneeId),
      );
      const user = (await someUsers('IsActive = true', 50)).find((u) => !holders.has(u))!;
      const refused = await act({
        request: {
          action: 'assign-permission-set-licence',
          permissionSetLicenseId: licence!.Id,
          userIds: [user],
        },
        confirm: true,
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error?.code).toBe('LICENSE_LIMIT_EXCEEDED');
      const [after] = await soql<{ UsedLicenses: number }>(
        `SELECT UsedLicenses FROM PermissionSetLicense WHERE Id = '${licence!.Id}'`,
      );
      expect(after!.UsedLicenses).toBe(licence!.UsedLicenses);
      // Freeing a seat lets the same assignment through.
      const holder = [...holders][0]!;
      const freed = await act({
        request: {
          action: 'remove-permission-set-licence',
          permissionSetLicenseId: licence!.Id,
          userIds: [holder],
        },
        confirm: true,
      });
      expect(freed.body.status).toBe('succeeded');
      const assigned = await act({
        request: {
          action: 'assign-permission-set-licence',
          permissionSetLicenseId: licence!.Id,
          userIds: [user],
        },
        confirm: true,
      });
      expect(assigned.body.status).toBe('succeeded');
    });

    it('should refuse to delete a role users hold, and delete one it created', async () => {
      const [held] = await soql<{ Id: string }>(
        "SELECT Id FROM UserRole WHERE DeveloperName = 'Support_Agent'",
      );
      const refused = await act({
        request: { action: 'delete-role', roleId: held!.Id },
        confirm: true,
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error?.code).toBe('DELETE_FAILED');
      expect(await soql(`SELECT Id FROM UserRole WHERE Id = '${held!.Id}'`)).toHaveLength(1);
      const created = await act({
        request: {
          action: 'create-role',
          name: 'EMEA Sales',
          developerName: 'EMEA_Sales',
          parentRoleId: held!.Id,
        },
        confirm: true,
      });
      expect(created.body.status).toBe('succeeded');
      const roleId = (
        await soql<{ Id: string }>("SELECT Id FROM UserRole WHERE DeveloperName = 'EMEA_Sales'")
      )[0]!.Id;
      const [user] = await someUsers('IsActive = true', 1);
      expect(
        (await act({ request: { action: 'assign-role', roleId, userIds: [user] }, confirm: true }))
          .body.status,
      ).toBe('succeeded');
      expect(
        (await act({ request: { action: 'delete-role', roleId }, confirm: true })).status,
      ).toBe(422);
      expect(
        (await act({ request: { action: 'remove-role', userIds: [user] }, confirm: true })).body
          .status,
      ).toBe('succeeded');
      expect(
        (await act({ request: { action: 'delete-role', roleId }, confirm: true })).body.status,
      ).toBe('succeeded');
      expect(await soql(`SELECT Id FROM UserRole WHERE Id = '${roleId}'`)).toHaveLength(0);
    });

    it('should refuse to delete a user with Salesforce’s reason and offer deactivation', async () => {
      const [user] = await someUsers('IsActive = true', 1);
      const refused = await act({
        request: { action: 'delete-user', userIds: [user] },
        confirm: true,
      });
      expect(refused.status).toBe(422);
      expect(refused.body.error?.code).toBe('users_cannot_be_deleted');
      expect(
        (refused.body.error as Record<string, unknown> | undefined)?.['suggestedAction'],
      ).toEqual({
        action: 'deactivate-user',
        userIds: [user],
      });
      expect(
        await soql(`SELECT Id FROM User WHERE Id = '${user}' AND IsActive = true`),
      ).toHaveLength(1);
    });

    it('should deactivate, freeze and unfreeze users; deactivated users keep their records', async () => {
      const [a, b] = await someUsers("IsActive = true AND UserType = 'Standard'", 2);
      const kept = await soql(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${a}'`);
      const deactivated = await act({
        request: { action: 'deactivate-user', userIds: [a] },
        confirm: true,
      });
      expect(deactivated.body.status).toBe('succeeded');
      expect(await soql(`SELECT Id FROM User WHERE Id = '${a}' AND IsActive = false`)).toHaveLength(
        1,
      );
      expect(
        await soql(`SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${a}'`),
      ).toHaveLength(kept.length);
      expect(
        (await act({ request: { action: 'freeze-user', userIds: [b] }, confirm: true })).body
          .status,
      ).toBe('succeeded');
      expect(
        await soql(`SELECT Id FROM UserLogin WHERE UserId = '${b}' AND IsFrozen = true`),
      ).toHaveLength(1);
      expect(
        (await act({ request: { action: 'unfreeze-user', userIds: [b] }, confirm: true })).body
          .status,
      ).toBe('succeeded');
      expect(
        await soql(`SELECT Id FROM UserLogin WHERE UserId = '${b}' AND IsFrozen = true`),
      ).toHaveLength(0);
    });

    it('should revoke an OAuth token', async () => {
      const [token] = await soql<{ Id: string }>('SELECT Id FROM OauthToken LIMIT 1');
      const revoked = await act({
        request: { action: 'revoke-oauth-token', tokenIds: [token!.Id] },
        confirm: true,
      });
      expect(revoked.body.status).toBe('succeeded');
      expect(await soql(`SELECT Id FROM OauthToken WHERE Id = '${token!.Id}'`)).toHaveLength(0);
    });

    it('should create a public group, add and remove members, and delete it', async () => {
      const created = await act({
        request: { action: 'create-group', name: 'Renewal Desk', developerName: 'Renewal_Desk' },
        confirm: true,
      });
      expect(created.body.status).toBe('succeeded');
      const groupId = (
        await soql<{ Id: string }>("SELECT Id FROM Group WHERE DeveloperName = 'Renewal_Desk'")
      )[0]!.Id;
      const users = await someUsers('IsActive = true', 3);
      expect(
        (
          await act({
            request: { action: 'add-group-members', groupId, userIds: users },
            confirm: true,
          })
        ).body.status,
      ).toBe('succeeded');
      const again = await act({
        request: { action: 'add-group-members', groupId, userIds: [users[0]] },
        confirm: true,
      });
      expect(again.body.error?.code).toBe('DUPLICATE_VALUE');
      expect(
        (
          await act({
            request: { action: 'remove-group-members', groupId, userIds: users },
            confirm: true,
          })
        ).body.status,
      ).toBe('succeeded');
      expect(await soql(`SELECT Id FROM GroupMember WHERE GroupId = '${groupId}'`)).toHaveLength(0);
      expect(
        (await act({ request: { action: 'delete-group', groupId }, confirm: true })).body.status,
      ).toBe('succeeded');
    });

    it('should create a permission set group whole or not at all', async () => {
      const ps = await permissionSet('Marketing_User');
      const bad = await act({
        request: {
          action: 'create-permission-set-group',
          developerName: 'Half_Done',
          label: 'Half done',
          permissionSetIds: [ps, ps],
        },
        confirm: true,
      });
      expect(bad.status).toBe(422);
      expect(
        await soql("SELECT Id FROM PermissionSetGroup WHERE DeveloperName = 'Half_Done'"),
      ).toHaveLength(0);
      const good = await act({
        request: {
          action: 'create-permission-set-group',
          developerName: 'Renewals',
          label: 'Renewals',
          permissionSetIds: [ps],
        },
        confirm: true,
      });
      expect(good.body.status).toBe('succeeded');
      const groupId = (
        await soql<{ Id: string }>(
          "SELECT Id FROM PermissionSetGroup WHERE DeveloperName = 'Renewals'",
        )
      )[0]!.Id;
      expect(
        await soql(
          `SELECT Id FROM PermissionSetGroupComponent WHERE PermissionSetGroupId = '${groupId}'`,
        ),
      ).toHaveLength(1);
    });

    it('should record every action with who, what, when and Salesforce’s answer', async () => {
      const actions = await all<Action & { action: string; actor: string; createdAt: string }>(
        'actions',
      );
      expect(actions.length).toBeGreaterThanOrEqual(20);
      const duplicate = actions.find((a) =>
        a.results.some((r) => r.error?.code === 'DUPLICATE_VALUE'),
      )!;
      expect(duplicate.actor).toMatch(/^(api_key:|admin)/);
      expect(actions.find((a) => a.action === 'delete-user')?.status).toBe('refused');
      expect(actions.filter((a) => a.dryRun).map((a) => a.status)).toEqual(['previewed']);
      // The workspace's audit trail has an entry per call, naming the action it recorded.
      const trail = await ws.client.get<{
        data: { action: string; outcome: string; status: number | null; detail: unknown }[];
      }>(`/api/workspaces/${ws.id}/audit?limit=200`);
      expect(trail.status, JSON.stringify(trail.body)).toBe(200);
      const calls = trail.body.data.filter((e) => e.action.endsWith('/access/actions'));
      expect(calls.length).toBeGreaterThanOrEqual(actions.length);
      expect(calls.some((e) => e.outcome === 'failed' && e.status === 422)).toBe(true);
    });
  });

  it('should keep a disconnected org’s access data readable', async () => {
    const users = await all('lists/users');
    const disconnected = await ws.client.delete(
      `/api/workspaces/${ws.id}/connections/${connectionId}`,
    );
    expect(disconnected.status).toBe(200);
    expect(await all('lists/users')).toHaveLength(users.length);
    expect((await list<Finding>('findings')).data.length).toBeGreaterThan(0);
    const refused = await ws.client.post<{ error: { code: string } }>(`${base}/pulls`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('connection_not_active');
  });
});
