/**
 * What an access pull reads: one entry per list the API serves, each from one Salesforce object
 * with its real field names (Object Reference, developer.salesforce.com/docs/platform/object-reference).
 *
 * `api` is how it is read. Bulk API 2.0 for the objects that grow with the user count (users,
 * assignments, members, logins): it reads any size in a few calls. The REST query API, paged by
 * `nextRecordsUrl`, for the small set-up objects, and for OauthToken, whose documented calls are
 * query() and delete() only (Object Reference, OauthToken): no Bulk API support is documented.
 */

export type Api = 'bulk' | 'rest';

/** A Salesforce row as the query APIs answer it: Bulk CSV gives strings, REST JSON types. */
export type SalesforceRow = Record<string, unknown>;

export interface AccessKind {
  /** The list's name in URLs (`users`, `permission-set-assignments`). */
  kind: string;
  object: string;
  fields: readonly string[];
  where?: string;
  api: Api;
  /** The columns lists filter on. */
  name(row: SalesforceRow): string | null;
  userId?: string;
  targetId?: string | ((row: SalesforceRow) => string | null);
  active?(row: SalesforceRow): boolean | null;
  at?: string;
}

const text = (value: unknown): string | null =>
  value === null || value === undefined || value === '' ? null : String(value);

/** Bulk CSV booleans are `true`/`false` strings; REST JSON gives booleans. */
export const bool = (value: unknown): boolean | null =>
  value === null || value === undefined || value === '' ? null : value === true || value === 'true';

/** Bulk CSV numbers are strings. */
export const num = (value: unknown): number | null =>
  value === null || value === undefined || value === '' ? null : Number(value);

export const ACCESS_KINDS: readonly AccessKind[] = [
  {
    kind: 'user-licences',
    object: 'UserLicense',
    fields: [
      'Id',
      'Name',
      'MasterLabel',
      'LicenseDefinitionKey',
      'Status',
      'TotalLicenses',
      'UsedLicenses',
    ],
    api: 'rest',
    name: (r) => text(r['MasterLabel']) ?? text(r['Name']),
    active: (r) => r['Status'] === 'Active',
  },
  {
    kind: 'profiles',
    object: 'Profile',
    fields: ['Id', 'Name', 'UserLicenseId', 'UserType'],
    api: 'rest',
    name: (r) => text(r['Name']),
    targetId: 'UserLicenseId',
  },
  {
    kind: 'roles',
    object: 'UserRole',
    fields: ['Id', 'Name', 'DeveloperName', 'ParentRoleId'],
    api: 'rest',
    name: (r) => text(r['Name']),
    targetId: 'ParentRoleId',
  },
  {
    kind: 'user-logins',
    object: 'UserLogin',
    fields: ['Id', 'UserId', 'IsFrozen', 'IsPasswordLocked'],
    api: 'bulk',
    name: () => null,
    userId: 'UserId',
    active: (r) => !bool(r['IsFrozen']),
  },
  {
    kind: 'users',
    object: 'User',
    fields: [
      'Id',
      'Name',
      'Username',
      'Email',
      'IsActive',
      'UserType',
      'ProfileId',
      'UserRoleId',
      'LastLoginDate',
      'CreatedDate',
    ],
    api: 'bulk',
    name: (r) => text(r['Name']),
    targetId: 'ProfileId',
    active: (r) => bool(r['IsActive']),
    at: 'LastLoginDate',
  },
  {
    kind: 'permission-set-licences',
    object: 'PermissionSetLicense',
    fields: [
      'Id',
      'MasterLabel',
      'DeveloperName',
      'Status',
      'TotalLicenses',
      'UsedLicenses',
      'ExpirationDate',
    ],
    api: 'rest',
    name: (r) => text(r['MasterLabel']),
    active: (r) => r['Status'] === 'Active',
  },
  {
    kind: 'permission-set-licence-assignments',
    object: 'PermissionSetLicenseAssign',
    fields: ['Id', 'AssigneeId', 'PermissionSetLicenseId'],
    api: 'bulk',
    name: () => null,
    userId: 'AssigneeId',
    targetId: 'PermissionSetLicenseId',
  },
  {
    // Installed managed packages and their seats (InstalledSubscriberPackage is Tooling API only).
    kind: 'package-licences',
    object: 'PackageLicense',
    fields: [
      'Id',
      'NamespacePrefix',
      'Status',
      'IsProvisioned',
      'AllowedLicenses',
      'UsedLicenses',
      'ExpirationDate',
    ],
    api: 'rest',
    name: (r) => text(r['NamespacePrefix']),
    active: (r) => r['Status'] === 'Active' || r['Status'] === 'Free' || r['Status'] === 'Trial',
  },
  {
    kind: 'package-licence-assignments',
    object: 'UserPackageLicense',
    fields: ['Id', 'UserId', 'PackageLicenseId'],
    api: 'bulk',
    name: () => null,
    userId: 'UserId',
    targetId: 'PackageLicenseId',
  },
  {
    // Public groups and queues; role and territory groups are Salesforce's own plumbing.
    kind: 'groups',
    object: 'Group',
    fields: ['Id', 'Name', 'DeveloperName', 'Type'],
    where: "Type IN ('Regular', 'Queue')",
    api: 'rest',
    name: (r) => text(r['Name']),
  },
  {
    kind: 'group-members',
    object: 'GroupMember',
    fields: ['Id', 'GroupId', 'UserOrGroupId'],
    api: 'bulk',
    name: () => null,
    userId: 'UserOrGroupId',
    targetId: 'GroupId',
  },
  {
    kind: 'permission-sets',
    object: 'PermissionSet',
    fields: [
      'Id',
      'Name',
      'Label',
      'IsOwnedByProfile',
      'IsCustom',
      'ProfileId',
      'PermissionsModifyAllData',
      'PermissionsViewAllData',
    ],
    api: 'rest',
    name: (r) => text(r['Label']) ?? text(r['Name']),
    targetId: 'ProfileId',
  },
  {
    kind: 'permission-set-assignments',
    object: 'PermissionSetAssignment',
    fields: ['Id', 'AssigneeId', 'PermissionSetId', 'PermissionSetGroupId'],
    api: 'bulk',
    name: () => null,
    userId: 'AssigneeId',
    // An assignment of a permission set group carries the group's id (and its own set's).
    targetId: (r) => text(r['PermissionSetGroupId']) ?? text(r['PermissionSetId']),
  },
  {
    kind: 'permission-set-groups',
    object: 'PermissionSetGroup',
    fields: ['Id', 'DeveloperName', 'MasterLabel', 'Status'],
    api: 'rest',
    name: (r) => text(r['MasterLabel']),
  },
  {
    kind: 'permission-set-group-components',
    object: 'PermissionSetGroupComponent',
    fields: ['Id', 'PermissionSetGroupId', 'PermissionSetId'],
    api: 'rest',
    name: () => null,
    userId: 'PermissionSetId',
    targetId: 'PermissionSetGroupId',
  },
  {
    kind: 'oauth-tokens',
    object: 'OauthToken',
    fields: ['Id', 'AppName', 'UserId', 'CreatedDate', 'LastUsedDate', 'UseCount'],
    api: 'rest',
    name: (r) => text(r['AppName']),
    userId: 'UserId',
    at: 'LastUsedDate',
  },
];

export const KIND_NAMES = ACCESS_KINDS.map((k) => k.kind);

export function kindNamed(kind: string): AccessKind | undefined {
  return ACCESS_KINDS.find((k) => k.kind === kind);
}

/** LoginHistory: read incrementally into its own table. */
export const LOGIN_HISTORY = {
  object: 'LoginHistory',
  fields: ['Id', 'UserId', 'LoginTime', 'Status', 'SourceIp', 'LoginType', 'Application'],
} as const;

export function soql(kind: Pick<AccessKind, 'object' | 'fields' | 'where'>): string {
  return `SELECT ${kind.fields.join(', ')} FROM ${kind.object}${kind.where ? ` WHERE ${kind.where}` : ''}`;
}

export { text };
