import type { StoredRecord } from '../core/contracts.ts';
import { recountSeats } from '../governance/access-rules.ts';
import type { Org } from '../org/org.ts';
import type { RecordTable } from '../org/store.ts';
import { formatDateTime } from '../org/values.ts';
import { FIRST_NAMES, LAST_NAMES, TITLES } from './names.ts';
import { random } from './random.ts';
import { seedLoginHistory, seedOauthTokens, type SeededUser } from './access-activity-seed.ts';

/**
 * A company's access set-up, deterministic for a seed: licences, profiles, a role hierarchy,
 * users (some inactive, some frozen, a few admins, some who stopped logging in), permission
 * sets and groups with their assignments, public groups and queues, permission set and package
 * licences, 120 days of login history and OAuth tokens of several apps. Written straight to the
 * store, like the rest of the seed, and relative to the org's clock so "90 days without a login"
 * means the same thing whenever it runs.
 */

export interface AccessSeedOptions {
  /** Users besides the org's configured ones. */
  users: number;
  /** LoginHistory rows over the last 120 days (default 20 per user). */
  logins?: number;
  seed?: number;
}

export interface AccessSeedResult {
  users: number;
  logins: number;
  oauthTokens: number;
}

const DAY = 86_400_000;

type Values = Record<string, string | number | boolean | null>;

const ROLES: [developerName: string, name: string, parent: string | null][] = [
  ['CEO', 'CEO', null],
  ['VP_Sales', 'VP, Sales', 'CEO'],
  ['VP_Service', 'VP, Service', 'CEO'],
  ['Sales_Manager_West', 'Sales Manager, West', 'VP_Sales'],
  ['Sales_Manager_East', 'Sales Manager, East', 'VP_Sales'],
  ['Sales_Rep_West', 'Sales Rep, West', 'Sales_Manager_West'],
  ['Sales_Rep_East', 'Sales Rep, East', 'Sales_Manager_East'],
  ['Support_Manager', 'Support Manager', 'VP_Service'],
  ['Support_Agent', 'Support Agent', 'Support_Manager'],
  ['Partner_Manager', 'Partner Manager', 'VP_Sales'],
];

/** Permission sets a company adds; `[name, label, modifyAll, viewAll]`. */
const PERMISSION_SETS: [string, string, boolean, boolean][] = [
  ['Data_Steward', 'Data Steward', true, true],
  ['Auditor_View_All', 'Auditor (View All Data)', false, true],
  ['Sales_Operations', 'Sales Operations', false, false],
  ['Marketing_User', 'Marketing User', false, false],
  ['API_Only_Access', 'API Only Access', false, false],
  ['Report_Builder', 'Report Builder', false, false],
];

export function seedAccess(org: Org, options: AccessSeedOptions): AccessSeedResult {
  const rnd = random(options.seed ?? 7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const today = Math.floor(org.now() / DAY) * DAY;
  const table = (name: string): RecordTable => {
    const t = org.store.table(name);
    if (!t) throw new Error(`${name} is not in the schema`);
    return t;
  };
  const adminId = org.users[0]?.id ?? '';
  const stamp = formatDateTime(today - 400 * DAY);
  const put = (objectName: string, prefix: string, values: Values): string => {
    const id = org.ids.next(prefix);
    const record: StoredRecord = {
      Id: id,
      IsDeleted: false,
      CreatedDate: stamp,
      CreatedById: adminId,
      LastModifiedDate: stamp,
      LastModifiedById: adminId,
      SystemModstamp: stamp,
      ...values,
    };
    table(objectName).put(record);
    return id;
  };

  // Licences and profiles. The org's first licence ("Salesforce") is sized at the end.
  const salesforceLicence = [...table('UserLicense').records.values()][0]!;
  const platformLicence = put('UserLicense', '100', {
    Name: 'Salesforce Platform',
    MasterLabel: 'Salesforce Platform',
    LicenseDefinitionKey: 'AUL',
    Status: 'Active',
    TotalLicenses: Math.max(20, Math.ceil(options.users * 0.2)),
    UsedLicenses: 0,
  });
  const chatterLicence = put('UserLicense', '100', {
    Name: 'Chatter Free',
    MasterLabel: 'Chatter Free',
    LicenseDefinitionKey: 'PID_Chatter',
    Status: 'Active',
    TotalLicenses: 5000,
    UsedLicenses: 0,
  });
  const adminProfile = [...table('Profile').records.values()][0]!.Id;
  const profile = (name: string, licence: string, userType: string) =>
    put('Profile', '00e', { Name: name, UserLicenseId: licence, UserType: userType });
  const standardProfile = profile('Standard User', salesforceLicence.Id, 'Standard');
  const readOnlyProfile = profile('Read Only', salesforceLicence.Id, 'Standard');
  const platformProfile = profile('Standard Platform User', platformLicence, 'Standard');
  const chatterProfile = profile('Chatter Free User', chatterLicence, 'CsnOnly');
  // Every profile owns a permission set holding its permissions (IsOwnedByProfile).
  const profileSets = new Map<string, string>();
  for (const [profileId, modifyAll] of [
    [adminProfile, true],
    [standardProfile, false],
    [readOnlyProfile, false],
    [platformProfile, false],
    [chatterProfile, false],
  ] as const) {
    profileSets.set(
      profileId,
      put('PermissionSet', '0PS', {
        Name: `X00ex${profileId.slice(-10)}`,
        Label: `Profile ${profileId.slice(-6)}`,
        IsOwnedByProfile: true,
        IsCustom: false,
        ProfileId: profileId,
        PermissionsModifyAllData: modifyAll,
        PermissionsViewAllData: modifyAll,
      }),
    );
  }

  const roleIds = new Map<string, string>();
  for (const [developerName, name, parent] of ROLES) {
    roleIds.set(
      developerName,
      put('UserRole', '00E', {
        Name: name,
        DeveloperName: developerName,
        ParentRoleId: parent ? (roleIds.get(parent) ?? null) : null,
        RollupDescription: name,
      }),
    );
  }
  // A role nobody holds yet: it can be deleted.
  roleIds.set(
    'Unused',
    put('UserRole', '00E', {
      Name: 'Regional Director (vacant)',
      DeveloperName: 'Vacant_Director',
      ParentRoleId: roleIds.get('VP_Sales') ?? null,
    }),
  );

  const permissionSets = new Map<string, string>();
  for (const [name, label, modifyAll, viewAll] of PERMISSION_SETS) {
    permissionSets.set(
      name,
      put('PermissionSet', '0PS', {
        Name: name,
        Label: label,
        IsOwnedByProfile: false,
        IsCustom: true,
        PermissionsModifyAllData: modifyAll,
        PermissionsViewAllData: viewAll,
      }),
    );
  }
  const salesBundle = put('PermissionSetGroup', '0PG', {
    DeveloperName: 'Sales_Bundle',
    MasterLabel: 'Sales Bundle',
    Description: 'Sales Operations and Marketing together',
    Status: 'Updated',
    HasActivationRequired: false,
  });
  for (const name of ['Sales_Operations', 'Marketing_User']) {
    put('PermissionSetGroupComponent', '0PC', {
      PermissionSetGroupId: salesBundle,
      PermissionSetId: permissionSets.get(name)!,
    });
  }

  const group = (name: string, developerName: string, type: 'Regular' | 'Queue') =>
    put('Group', '00G', {
      Name: name,
      DeveloperName: developerName,
      Type: type,
      DoesIncludeBosses: type === 'Regular',
      DoesSendEmailToMembers: false,
    });
  const allSales = group('All Sales', 'All_Sales', 'Regular');
  const managers = group('Managers', 'Managers', 'Regular');
  const supportQueue = group('Support Queue', 'Support_Queue', 'Queue');
  const leadQueue = group('Inbound Leads', 'Inbound_Leads', 'Queue');

  const seatLicence = (key: string, label: string, total: number) =>
    put('PermissionSetLicense', '0PL', {
      DeveloperName: key,
      MasterLabel: label,
      PermissionSetLicenseKey: key,
      Status: 'Active',
      TotalLicenses: total,
      UsedLicenses: 0,
    });
  const analyticsSeats = 10;
  const analytics = seatLicence('EinsteinAnalyticsPlusPsl', 'CRM Analytics Plus', analyticsSeats);
  const einstein = seatLicence('SalesCloudEinsteinPsl', 'Sales Cloud Einstein', 100);
  const packageLicence = (namespace: string, allowed: number, status: string) =>
    put('PackageLicense', '050', {
      NamespacePrefix: namespace,
      Status: status,
      IsProvisioned: true,
      AllowedLicenses: allowed,
      UsedLicenses: 0,
      ExpirationDate: null,
    });
  packageLicence('pryzm', -1, 'Active');
  const docusign = packageLicence('dsfs', 50, 'Active');
  const cpqSeats = 20;
  const cpq = packageLicence('SBQQ', cpqSeats, 'Active');

  // Users. Index decides the cohort, so each finding has seeded cases: a few admins, inactive
  // users (who keep their assignments), frozen active users, users who stopped logging in, users
  // without a role.
  const userTable = table('User');
  const psa = (assignee: string, values: Values) =>
    put('PermissionSetAssignment', '0Pa', { AssigneeId: assignee, IsActive: true, ...values });
  const users: SeededUser[] = [];
  for (const configured of org.users) {
    // The configured users: the admin heads the hierarchy; the integration user has no role.
    const record = userTable.get(configured.id)!;
    const first = configured === org.users[0];
    userTable.put({
      ...record,
      UserRoleId: first ? (roleIds.get('CEO') ?? null) : null,
      LastLoginDate: formatDateTime(today - DAY),
      DigestFrequency: 'N',
      DefaultGroupNotificationFrequency: 'N',
    });
    put('UserLogin', '060', { UserId: configured.id, IsFrozen: false, IsPasswordLocked: false });
    psa(configured.id, { PermissionSetId: profileSets.get(adminProfile)! });
    users.push({ id: configured.id, active: true, lastLogin: today - DAY });
  }
  const salesRoles = [
    'Sales_Rep_West',
    'Sales_Rep_East',
    'Sales_Manager_West',
    'Sales_Manager_East',
  ];
  const serviceRoles = ['Support_Agent', 'Support_Manager'];
  let activeSalesforce = org.users.length;
  const seats = { analytics: 0, docusign: 0, cpq: 0 };
  for (let i = 0; i < options.users; i++) {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const cohort = i % 50;
    const admin = cohort === 0 && i < 200; // a few admins
    const inactive = cohort === 3 || cohort === 13 || cohort === 23 || cohort === 33;
    const frozen = cohort === 7;
    const stale = cohort === 11 || cohort === 21 || cohort === 41; // no login for 100-300 days
    const neverLoggedIn = cohort === 31;
    const noRole = cohort === 17 || cohort === 27;
    const profileId = admin
      ? adminProfile
      : cohort % 10 === 9
        ? chatterProfile
        : cohort % 10 === 8
          ? platformProfile
          : cohort === 45
            ? readOnlyProfile
            : standardProfile;
    const service = i % 3 === 0;
    const roleId =
      noRole || profileId === chatterProfile
        ? null
        : admin
          ? roleIds.get('CEO')!
          : roleIds.get(pick(service ? serviceRoles : salesRoles))!;
    const lastLogin = neverLoggedIn
      ? null
      : stale
        ? today - (100 + Math.floor(rnd() * 200)) * DAY
        : today - Math.floor(rnd() * 20) * DAY - Math.floor(rnd() * 12) * 3_600_000;
    const username = `${first}.${last}.${i}@demo-corp.example.com`
      .toLowerCase()
      .replace(/[^a-z0-9.@-]/g, '');
    const id = put('User', '005', {
      Username: username,
      FirstName: first,
      LastName: last,
      Name: `${first} ${last}`,
      Email: username,
      Alias: (first.slice(0, 1) + last.slice(0, 4)).toLowerCase(),
      CommunityNickname: `${first}${i}`.toLowerCase(),
      Title: pick(TITLES),
      IsActive: !inactive,
      UserType: profileId === chatterProfile ? 'CsnOnly' : 'Standard',
      ProfileId: profileId,
      UserRoleId: roleId,
      LastLoginDate: lastLogin === null ? null : formatDateTime(lastLogin),
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      DigestFrequency: 'N',
      DefaultGroupNotificationFrequency: 'N',
    });
    put('UserLogin', '060', { UserId: id, IsFrozen: frozen, IsPasswordLocked: false });
    psa(id, { PermissionSetId: profileSets.get(profileId)! });
    if (
      !inactive &&
      (profileId === adminProfile || profileId === standardProfile || profileId === readOnlyProfile)
    ) {
      activeSalesforce += 1;
    }
    users.push({ id, active: !inactive, lastLogin });
    if (profileId === chatterProfile) continue;
    // Assignments. Inactive users keep theirs: deactivation removes nothing.
    if (cohort === 5 || cohort === 13)
      psa(id, { PermissionSetId: permissionSets.get('Data_Steward')! });
    if (cohort === 15) psa(id, { PermissionSetId: permissionSets.get('Auditor_View_All')! });
    if (!service && i % 4 === 0)
      psa(id, { PermissionSetGroupId: salesBundle, PermissionSetId: null });
    if (i % 6 === 1) psa(id, { PermissionSetId: permissionSets.get('Report_Builder')! });
    if (i % 9 === 2) psa(id, { PermissionSetId: permissionSets.get('Sales_Operations')! });
    const member = (groupId: string) =>
      put('GroupMember', '011', { GroupId: groupId, UserOrGroupId: id });
    if (!service) member(allSales);
    if (
      roleId === roleIds.get('Sales_Manager_West') ||
      roleId === roleIds.get('Sales_Manager_East')
    )
      member(managers);
    if (service && i % 2 === 0) member(supportQueue);
    if (!service && i % 7 === 0) member(leadQueue);
    // Seats: CRM Analytics Plus and CPQ end up full, the others have room.
    if (i % 3 === 1 && seats.analytics < analyticsSeats) {
      seats.analytics += 1;
      put('PermissionSetLicenseAssign', '2LA', {
        AssigneeId: id,
        PermissionSetLicenseId: analytics,
      });
    }
    if (i % 5 === 2 && i < 300) {
      put('PermissionSetLicenseAssign', '2LA', {
        AssigneeId: id,
        PermissionSetLicenseId: einstein,
      });
    }
    if (i % 4 === 3 && seats.docusign < 30) {
      seats.docusign += 1;
      put('UserPackageLicense', '051', { UserId: id, PackageLicenseId: docusign });
    }
    if (i % 4 === 1 && seats.cpq < cpqSeats - 1) {
      seats.cpq += 1;
      put('UserPackageLicense', '051', { UserId: id, PackageLicenseId: cpq });
    }
  }
  // A group inside a group, as public groups may hold.
  put('GroupMember', '011', { GroupId: allSales, UserOrGroupId: managers });
  // The Salesforce licence runs at about 95% of its seats: renewal time.
  table('UserLicense').put({
    ...salesforceLicence,
    TotalLicenses: Math.max(activeSalesforce + 2, Math.ceil(activeSalesforce / 0.95)),
  });

  const logins = seedLoginHistory(org, users, options.logins ?? users.length * 20, today, rnd);
  const oauthTokens = seedOauthTokens(org, users, today, rnd, pick);
  recountSeats(org.store);
  return { users: users.length, logins, oauthTokens };
}
