import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOrg, type LocalOrg } from '../src/index.ts';

/** The access governance objects: seeded set-up, and what Salesforce refuses on them. */

let local: LocalOrg;
let base: string;
let auth: Record<string, string>;

beforeAll(async () => {
  local = await startLocalOrg();
  local.seed('pryzm-demo', { accounts: 0, contacts: 0, opportunities: 0, users: 120 });
  const { accessToken, instanceUrl } = local.issueAccessToken('pryzm-demo');
  base = `${instanceUrl}/services/data/v62.0`;
  auth = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
});

afterAll(async () => {
  await local.close();
});

async function query<T = Record<string, unknown>>(soql: string): Promise<T[]> {
  const response = await fetch(`${base}/query?q=${encodeURIComponent(soql)}`, { headers: auth });
  expect(response.status).toBe(200);
  return ((await response.json()) as { records: T[] }).records;
}

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}/${path}`, {
    method,
    headers: auth,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

describe('seeded access set-up', () => {
  it('has users with profiles, roles, logins, tokens and licence counts that add up', async () => {
    const users = await query<{ Id: string; IsActive: boolean }>('SELECT Id, IsActive FROM User');
    expect(users.length).toBe(122);
    expect(users.some((u) => !u.IsActive)).toBe(true);
    const frozen = await query('SELECT Id, UserId FROM UserLogin WHERE IsFrozen = true');
    expect(frozen.length).toBeGreaterThan(0);
    const roles = await query<{ ParentRoleId: string | null }>(
      'SELECT Id, Name, ParentRoleId FROM UserRole',
    );
    expect(roles.filter((r) => r.ParentRoleId === null)).toHaveLength(1);
    const logins = await query('SELECT Id, UserId, LoginTime, Status, SourceIp FROM LoginHistory');
    expect(logins.length).toBeGreaterThan(1000);
    const tokens = await query(
      'SELECT Id, AppName, UserId, LastUsedDate, UseCount FROM OauthToken',
    );
    expect(new Set(tokens.map((t) => t['AppName'])).size).toBeGreaterThan(2);
    const licences = await query<{ Id: string; UsedLicenses: number }>(
      'SELECT Id, PermissionSetLicenseId FROM PermissionSetLicenseAssign',
    );
    const seats = await query<{ Id: string; UsedLicenses: number; TotalLicenses: number }>(
      'SELECT Id, UsedLicenses, TotalLicenses FROM PermissionSetLicense',
    );
    expect(seats.reduce((sum, s) => sum + s.UsedLicenses, 0)).toBe(licences.length);
  });
});

describe('what Salesforce refuses', () => {
  it('refuses a duplicate permission set assignment with DUPLICATE_VALUE', async () => {
    const [assignment] = await query<{ AssigneeId: string; PermissionSetId: string }>(
      'SELECT AssigneeId, PermissionSetId FROM PermissionSetAssignment WHERE PermissionSetId != null LIMIT 1',
    );
    const answer = await send('POST', 'sobjects/PermissionSetAssignment', {
      AssigneeId: assignment!.AssigneeId,
      PermissionSetId: assignment!.PermissionSetId,
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual([
      { errorCode: 'DUPLICATE_VALUE', message: 'Duplicate PermissionSetAssignment', fields: [] },
    ]);
  });

  it('refuses an assignment past a licence total with LICENSE_LIMIT_EXCEEDED', async () => {
    const [full] = await query<{ Id: string }>(
      "SELECT Id, UsedLicenses, TotalLicenses FROM PermissionSetLicense WHERE DeveloperName = 'EinsteinAnalyticsPlusPsl'",
    );
    const holders = new Set(
      (
        await query<{ AssigneeId: string }>(
          `SELECT AssigneeId FROM PermissionSetLicenseAssign WHERE PermissionSetLicenseId = '${full!.Id}'`,
        )
      ).map((a) => a.AssigneeId),
    );
    const users = await query<{ Id: string }>('SELECT Id FROM User WHERE IsActive = true');
    const other = users.find((u) => !holders.has(u.Id))!;
    const answer = await send('POST', 'sobjects/PermissionSetLicenseAssign', {
      AssigneeId: other.Id,
      PermissionSetLicenseId: full!.Id,
    });
    expect(answer.status).toBe(400);
    expect((answer.body as { errorCode: string }[])[0]!.errorCode).toBe('LICENSE_LIMIT_EXCEEDED');
  });

  it('refuses to delete a role users hold, deletes a vacant one, never deletes a user', async () => {
    const [held] = await query<{ Id: string }>(
      "SELECT Id FROM UserRole WHERE DeveloperName = 'Sales_Rep_West'",
    );
    const refused = await send('DELETE', `sobjects/UserRole/${held!.Id}`);
    expect(refused.status).toBe(400);
    expect((refused.body as { errorCode: string }[])[0]!.errorCode).toBe('DELETE_FAILED');
    const [vacant] = await query<{ Id: string }>(
      "SELECT Id FROM UserRole WHERE DeveloperName = 'Vacant_Director'",
    );
    expect((await send('DELETE', `sobjects/UserRole/${vacant!.Id}`)).status).toBe(204);
    const [user] = await query<{ Id: string }>('SELECT Id FROM User WHERE IsActive = true LIMIT 1');
    const user_ = await send('DELETE', `sobjects/User/${user!.Id}`);
    expect(user_.status).toBe(400);
    expect(await query(`SELECT Id FROM User WHERE Id = '${user!.Id}'`)).toHaveLength(1);
  });

  it('keeps a deactivated user’s assignments and frees their seat', async () => {
    const [licence] = await query<{ Id: string; UsedLicenses: number }>(
      "SELECT Id, UsedLicenses FROM UserLicense WHERE Name = 'Salesforce'",
    );
    const [profile] = await query<{ Id: string }>(
      "SELECT Id FROM Profile WHERE Name = 'Standard User'",
    );
    const [user] = await query<{ Id: string }>(
      `SELECT Id FROM User WHERE IsActive = true AND ProfileId = '${profile!.Id}' LIMIT 1`,
    );
    const before = await query(
      `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${user!.Id}'`,
    );
    const deactivated = await send('PATCH', `sobjects/User/${user!.Id}`, { IsActive: false });
    expect(deactivated.body).toBeNull();
    expect(deactivated.status).toBe(204);
    const after = await query(
      `SELECT Id FROM PermissionSetAssignment WHERE AssigneeId = '${user!.Id}'`,
    );
    expect(after).toHaveLength(before.length);
    const [counted] = await query<{ UsedLicenses: number }>(
      `SELECT UsedLicenses FROM UserLicense WHERE Id = '${licence!.Id}'`,
    );
    expect(counted!.UsedLicenses).toBe(licence!.UsedLicenses - 1);
  });
});
