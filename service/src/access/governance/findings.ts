import type { AccessFindingInput, AccessRecordRow } from '../../store/repositories/access.ts';
import { bool, num } from './kinds.ts';

/**
 * The problems an access pull shows, computed from what it read (pure: records in, findings
 * out). Each finding names the records concerned and the action that fixes it, in the shape
 * the actions route takes.
 */

export const FINDING_KINDS = [
  'inactive_paid_user',
  'frozen_active_user',
  'licence_near_limit',
  'admin_permission',
  'assigned_to_inactive_user',
  'unused_oauth_token',
  'user_without_role',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export interface Thresholds {
  inactiveDays: number;
  tokenUnusedDays: number;
  licenceUsagePercent: number;
}

export type Snapshot = Record<string, readonly AccessRecordRow[]>;

const DAY = 86_400_000;

/** Licences that cost nothing (Chatter Free and External, guests): never "paid". */
export function isFreeLicence(definitionKey: unknown): boolean {
  const key = String(definitionKey ?? '');
  return /^PID_Chatter|Guest/i.test(key);
}

function ref(object: string, row: AccessRecordRow) {
  return { object, id: row.salesforceId, name: row.name };
}

export function computeFindings(
  snapshot: Snapshot,
  thresholds: Thresholds,
  now: Date,
): (AccessFindingInput & { kind: FindingKind })[] {
  const out: (AccessFindingInput & { kind: FindingKind })[] = [];
  const users = snapshot['users'] ?? [];
  const byId = new Map(users.map((u) => [u.salesforceId, u]));
  const licences = new Map((snapshot['user-licences'] ?? []).map((l) => [l.salesforceId, l]));
  const profiles = new Map((snapshot['profiles'] ?? []).map((p) => [p.salesforceId, p]));
  const licenceOf = (user: AccessRecordRow) => {
    const profile = profiles.get(String(user.targetId));
    return profile ? licences.get(String(profile.targetId)) : undefined;
  };
  const inactiveSince = now.getTime() - thresholds.inactiveDays * DAY;
  const idle = (user: AccessRecordRow) => {
    const created = Date.parse(String(user.fields['CreatedDate'] ?? ''));
    const last = user.at?.getTime() ?? (Number.isNaN(created) ? 0 : created);
    return last < inactiveSince;
  };

  const idleByLicence = new Map<string, AccessRecordRow[]>();
  for (const user of users) {
    if (!user.active) continue;
    const licence = licenceOf(user);
    if (licence && !isFreeLicence(licence.fields['LicenseDefinitionKey']) && idle(user)) {
      idleByLicence.set(licence.salesforceId, [
        ...(idleByLicence.get(licence.salesforceId) ?? []),
        user,
      ]);
      out.push({
        kind: 'inactive_paid_user',
        subjectId: user.salesforceId,
        subjectName: user.name,
        details: {
          records: [ref('User', user), ref('UserLicense', licence)],
          lastLoginDate: user.at?.toISOString() ?? null,
          days: thresholds.inactiveDays,
          reason: user.at
            ? `No login for ${Math.floor((now.getTime() - user.at.getTime()) / DAY)} days on a paid ${licence.name} licence`
            : `Never logged in, on a paid ${licence.name} licence`,
        },
        suggestedAction: { action: 'deactivate-user', userIds: [user.salesforceId] },
      });
    }
    if (user.fields['frozen'] === true) {
      out.push({
        kind: 'frozen_active_user',
        subjectId: user.salesforceId,
        subjectName: user.name,
        details: {
          records: [ref('User', user)],
          reason: 'Frozen (cannot log in) but still active: the licence stays taken',
        },
        suggestedAction: { action: 'deactivate-user', userIds: [user.salesforceId] },
      });
    }
  }

  const seatFinding = (
    object: string,
    licence: AccessRecordRow,
    total: number | null,
    used: number | null,
    holders: AccessRecordRow[],
    action: Record<string, unknown> | null,
  ) => {
    if (total === null || used === null || total <= 0) return;
    const percent = Math.round((used / total) * 1000) / 10;
    if (percent < thresholds.licenceUsagePercent) return;
    out.push({
      kind: 'licence_near_limit',
      subjectId: licence.salesforceId,
      subjectName: licence.name,
      details: {
        records: [ref(object, licence), ...holders.map((u) => ref('User', u))],
        total,
        used,
        percent,
        reason: `${used} of ${total} seats used (${percent}%)`,
      },
      suggestedAction: action,
    });
  };
  for (const licence of licences.values()) {
    const idleHolders = idleByLicence.get(licence.salesforceId) ?? [];
    seatFinding(
      'UserLicense',
      licence,
      num(licence.fields['TotalLicenses']),
      num(licence.fields['UsedLicenses']),
      idleHolders,
      idleHolders.length
        ? { action: 'deactivate-user', userIds: idleHolders.map((u) => u.salesforceId) }
        : null,
    );
  }
  const holdersOf = (kind: string) => {
    const map = new Map<string, AccessRecordRow[]>();
    for (const row of snapshot[kind] ?? []) {
      const user = byId.get(String(row.userId));
      if (user) map.set(String(row.targetId), [...(map.get(String(row.targetId)) ?? []), user]);
    }
    return map;
  };
  // Licences assigned user by user: seats held by inactive or idle users are the ones to free.
  const assignedLicences = [
    {
      object: 'PermissionSetLicense',
      licences: 'permission-set-licences',
      assignments: 'permission-set-licence-assignments',
      seatsField: 'TotalLicenses',
      action: 'remove-permission-set-licence',
      licenceIdKey: 'permissionSetLicenseId',
    },
    {
      object: 'PackageLicense',
      licences: 'package-licences',
      assignments: 'package-licence-assignments',
      seatsField: 'AllowedLicenses',
      action: 'remove-package-licence',
      licenceIdKey: 'packageLicenseId',
    },
  ];
  for (const kind of assignedLicences) {
    const holders = holdersOf(kind.assignments);
    for (const licence of snapshot[kind.licences] ?? []) {
      const idleHolders = (holders.get(licence.salesforceId) ?? []).filter(
        (u) => !u.active || idle(u),
      );
      seatFinding(
        kind.object,
        licence,
        num(licence.fields[kind.seatsField]),
        num(licence.fields['UsedLicenses']),
        idleHolders,
        idleHolders.length
          ? {
              action: kind.action,
              [kind.licenceIdKey]: licence.salesforceId,
              userIds: idleHolders.map((u) => u.salesforceId),
            }
          : null,
      );
    }
  }

  const permissionSets = new Map(
    (snapshot['permission-sets'] ?? []).map((p) => [p.salesforceId, p]),
  );
  const groupSets = new Map<string, string[]>();
  for (const component of snapshot['permission-set-group-components'] ?? []) {
    const group = String(component.targetId);
    groupSets.set(group, [...(groupSets.get(group) ?? []), String(component.userId)]);
  }
  const setHolders = new Map<string, AccessRecordRow[]>();
  const inactiveAssignments = new Map<string, AccessRecordRow[]>();
  for (const assignment of snapshot['permission-set-assignments'] ?? []) {
    const user = byId.get(String(assignment.userId));
    if (!user) continue;
    const groupId = assignment.fields['PermissionSetGroupId'];
    const sets = groupId
      ? (groupSets.get(String(groupId)) ?? [])
      : [String(assignment.fields['PermissionSetId'])];
    for (const setId of sets) setHolders.set(setId, [...(setHolders.get(setId) ?? []), user]);
    const ownedByProfile = bool(
      permissionSets.get(String(assignment.fields['PermissionSetId']))?.fields['IsOwnedByProfile'],
    );
    if (!user.active && !ownedByProfile) {
      inactiveAssignments.set(user.salesforceId, [
        ...(inactiveAssignments.get(user.salesforceId) ?? []),
        assignment,
      ]);
    }
  }
  for (const set of permissionSets.values()) {
    const grants = [
      bool(set.fields['PermissionsModifyAllData']) ? 'Modify All Data' : null,
      bool(set.fields['PermissionsViewAllData']) ? 'View All Data' : null,
    ].filter((g): g is string => g !== null);
    const holders = (setHolders.get(set.salesforceId) ?? []).filter((u) => u.active);
    if (grants.length === 0 || holders.length === 0) continue;
    const ownedByProfile = bool(set.fields['IsOwnedByProfile']) === true;
    out.push({
      kind: 'admin_permission',
      subjectId: set.salesforceId,
      subjectName: set.name,
      details: {
        records: [ref('PermissionSet', set), ...holders.map((u) => ref('User', u))],
        grants,
        ownedByProfile,
        reason: `${grants.join(' and ')}, held by ${holders.length} active user${holders.length === 1 ? '' : 's'}${ownedByProfile ? ' through their profile' : ''}`,
      },
      // A profile's own set cannot be unassigned; review who holds the profile instead.
      suggestedAction: ownedByProfile
        ? null
        : {
            action: 'remove-permission-set',
            permissionSetId: set.salesforceId,
            userIds: holders.map((u) => u.salesforceId),
          },
    });
  }
  for (const [userId, assignments] of inactiveAssignments) {
    const user = byId.get(userId)!;
    out.push({
      kind: 'assigned_to_inactive_user',
      subjectId: userId,
      subjectName: user.name,
      details: {
        records: [
          ref('User', user),
          ...assignments.map((a) => ({
            object: 'PermissionSetAssignment',
            id: a.salesforceId,
            name: null,
          })),
        ],
        permissionSetIds: assignments.map((a) => a.targetId),
        reason: `Inactive, still assigned ${assignments.length} permission set${assignments.length === 1 ? '' : 's'} or group${assignments.length === 1 ? '' : 's'}`,
      },
      suggestedAction: {
        action: 'remove-assignments',
        assignmentIds: assignments.map((a) => a.salesforceId),
      },
    });
  }

  const tokenSince = now.getTime() - thresholds.tokenUnusedDays * DAY;
  for (const token of snapshot['oauth-tokens'] ?? []) {
    const created = Date.parse(String(token.fields['CreatedDate'] ?? ''));
    const last = token.at?.getTime() ?? (Number.isNaN(created) ? 0 : created);
    if (last >= tokenSince) continue;
    const user = byId.get(String(token.userId));
    out.push({
      kind: 'unused_oauth_token',
      subjectId: token.salesforceId,
      subjectName: token.name,
      details: {
        records: [ref('OauthToken', token), ...(user ? [ref('User', user)] : [])],
        lastUsedDate: token.at?.toISOString() ?? null,
        days: thresholds.tokenUnusedDays,
        reason: `${token.name ?? 'A token'} unused for ${Math.floor((now.getTime() - last) / DAY)} days`,
      },
      suggestedAction: { action: 'revoke-oauth-token', tokenIds: [token.salesforceId] },
    });
  }

  // Roles matter only in an org that uses them: some active user holds one.
  const usesRoles = users.some((u) => u.active && u.fields['UserRoleId']);
  if (usesRoles) {
    for (const user of users) {
      if (!user.active || user.fields['UserRoleId'] || user.fields['UserType'] !== 'Standard')
        continue;
      out.push({
        kind: 'user_without_role',
        subjectId: user.salesforceId,
        subjectName: user.name,
        details: {
          records: [ref('User', user)],
          reason: 'No role in an org that uses the role hierarchy: record access may not follow',
        },
        suggestedAction: { action: 'assign-role', userIds: [user.salesforceId], roleId: null },
      });
    }
  }
  return out;
}
