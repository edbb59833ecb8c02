import { describe, expect, it } from 'vitest';
import type { AccessRecordRow } from '../../store/repositories/access.ts';
import { computeFindings, type Snapshot } from './findings.ts';

const NOW = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

function row(
  kind: string,
  salesforceId: string,
  extra: Partial<AccessRecordRow> = {},
): AccessRecordRow {
  return {
    id: salesforceId,
    connectionId: 'c',
    kind,
    pullId: 'p',
    salesforceId,
    name: salesforceId,
    userId: null,
    targetId: null,
    active: null,
    at: null,
    email: null,
    personId: null,
    fields: {},
    ...extra,
  };
}

const user = (id: string, fields: Record<string, unknown>, extra: Partial<AccessRecordRow> = {}) =>
  row('users', id, {
    active: true,
    targetId: 'profileStd',
    at: ago(1),
    fields: {
      UserType: 'Standard',
      UserRoleId: 'role1',
      CreatedDate: ago(400).toISOString(),
      ...fields,
    },
    ...extra,
  });

const snapshot: Snapshot = {
  'user-licences': [
    row('user-licences', 'licSf', {
      name: 'Salesforce',
      fields: { LicenseDefinitionKey: 'SFDC', TotalLicenses: 10, UsedLicenses: 9 },
    }),
    row('user-licences', 'licChatter', {
      name: 'Chatter Free',
      fields: { LicenseDefinitionKey: 'PID_Chatter', TotalLicenses: 10, UsedLicenses: 10 },
    }),
  ],
  profiles: [
    row('profiles', 'profileStd', { targetId: 'licSf' }),
    row('profiles', 'profileChatter', { targetId: 'licChatter' }),
  ],
  users: [
    user('active', {}),
    user('idle', {}, { at: ago(120) }),
    user('never', {}, { at: null }),
    user('newcomer', { CreatedDate: ago(3).toISOString() }, { at: null }),
    user(
      'chatterIdle',
      { UserType: 'CsnOnly', UserRoleId: null },
      { at: ago(200), targetId: 'profileChatter' },
    ),
    user('frozen', { frozen: true }),
    user('gone', {}, { active: false, at: ago(300) }),
    user('noRole', { UserRoleId: null }),
  ],
  'permission-sets': [
    row('permission-sets', 'psAdmin', {
      name: 'Data Steward',
      fields: { PermissionsModifyAllData: true, PermissionsViewAllData: true },
    }),
    row('permission-sets', 'psPlain', {
      name: 'Sales Ops',
      fields: { PermissionsModifyAllData: false },
    }),
  ],
  'permission-set-assignments': [
    row('permission-set-assignments', 'a1', {
      userId: 'active',
      targetId: 'psAdmin',
      fields: { PermissionSetId: 'psAdmin' },
    }),
    row('permission-set-assignments', 'a2', {
      userId: 'gone',
      targetId: 'psPlain',
      fields: { PermissionSetId: 'psPlain' },
    }),
  ],
  'oauth-tokens': [
    row('oauth-tokens', 'tOld', { userId: 'active', at: ago(100), fields: {} }),
    row('oauth-tokens', 'tNew', { userId: 'active', at: ago(2), fields: {} }),
  ],
};

describe('access findings', () => {
  const findings = computeFindings(
    snapshot,
    { inactiveDays: 90, tokenUnusedDays: 90, licenceUsagePercent: 90 },
    NOW,
  );
  const subjects = (kind: string) =>
    findings
      .filter((f) => f.kind === kind)
      .map((f) => f.subjectId)
      .sort();

  it('reports active users on a paid licence with no login for the threshold, not newcomers or free users', () => {
    expect(subjects('inactive_paid_user')).toEqual(['idle', 'never']);
  });

  it('reports frozen active users', () => {
    expect(subjects('frozen_active_user')).toEqual(['frozen']);
  });

  it('reports licences at or above the usage threshold, free ones included, with idle holders to act on', () => {
    expect(subjects('licence_near_limit')).toEqual(['licChatter', 'licSf']);
    const salesforce = findings.find((f) => f.subjectId === 'licSf')!;
    expect(salesforce.suggestedAction).toEqual({
      action: 'deactivate-user',
      userIds: ['idle', 'never'],
    });
  });

  it('reports Modify All Data and View All Data with their active holders', () => {
    expect(subjects('admin_permission')).toEqual(['psAdmin']);
    expect(findings.find((f) => f.kind === 'admin_permission')!.details['grants']).toEqual([
      'Modify All Data',
      'View All Data',
    ]);
  });

  it('reports assignments inactive users still hold', () => {
    expect(subjects('assigned_to_inactive_user')).toEqual(['gone']);
  });

  it('reports tokens unused for the threshold', () => {
    expect(subjects('unused_oauth_token')).toEqual(['tOld']);
  });

  it('reports standard users without a role in an org that uses roles', () => {
    expect(subjects('user_without_role')).toEqual(['noRole']);
    const noRoles = {
      ...snapshot,
      users: snapshot['users']!.map((u) => ({ ...u, fields: { ...u.fields, UserRoleId: null } })),
    };
    expect(
      computeFindings(
        noRoles,
        { inactiveDays: 90, tokenUnusedDays: 90, licenceUsagePercent: 90 },
        NOW,
      ).some((f) => f.kind === 'user_without_role'),
    ).toBe(false);
  });

  it('reports permission set and package licences near their limit, with the holders to free', () => {
    const assigned = (kind: string, id: string, licence: string, userId: string) =>
      row(kind, id, { userId, targetId: licence });
    const seats = computeFindings(
      {
        ...snapshot,
        'user-licences': [],
        'permission-set-licences': [
          row('permission-set-licences', 'pslFull', {
            fields: { TotalLicenses: 2, UsedLicenses: 2 },
          }),
          row('permission-set-licences', 'pslRoomy', {
            fields: { TotalLicenses: 9, UsedLicenses: 1 },
          }),
        ],
        'permission-set-licence-assignments': [
          assigned('permission-set-licence-assignments', 'pa1', 'pslFull', 'idle'),
          assigned('permission-set-licence-assignments', 'pa2', 'pslFull', 'active'),
        ],
        'package-licences': [
          row('package-licences', 'pkgFull', { fields: { AllowedLicenses: 3, UsedLicenses: 3 } }),
        ],
        'package-licence-assignments': [
          assigned('package-licence-assignments', 'ka1', 'pkgFull', 'gone'),
        ],
      },
      { inactiveDays: 90, tokenUnusedDays: 90, licenceUsagePercent: 90 },
      NOW,
    ).filter((f) => f.kind === 'licence_near_limit');
    expect(seats.map((f) => [f.subjectId, f.details['percent'], f.suggestedAction])).toEqual([
      [
        'pslFull',
        100,
        {
          action: 'remove-permission-set-licence',
          permissionSetLicenseId: 'pslFull',
          userIds: ['idle'],
        },
      ],
      [
        'pkgFull',
        100,
        { action: 'remove-package-licence', packageLicenseId: 'pkgFull', userIds: ['gone'] },
      ],
    ]);
  });
});
