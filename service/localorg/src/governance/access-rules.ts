import type { StoredRecord, WriteTransaction } from '../core/contracts.ts';
import { err, type WriteRules } from '../org/dml-checks.ts';
import type { RecordStore } from '../org/store.ts';
import { DmlError } from '../org/transaction.ts';

/**
 * What Salesforce refuses on its access objects, beyond field checks:
 * - one assignment per user and permission set (group), permission set licence, package
 *   licence, and one membership per group and member: a second is `DUPLICATE_VALUE`;
 * - licences have seats: an assignment, or activating a user, past `TotalLicenses`
 *   (`AllowedLicenses` for packages, -1 meaning a site licence) is `LICENSE_LIMIT_EXCEEDED`;
 * - a role that users still hold cannot be deleted (`DELETE_FAILED`);
 * - users cannot be deleted at all (the User describe is not deletable: "You can't delete a user,
 *   but you can deactivate"; Salesforce Help, Deactivate Users), and deactivated users keep their
 *   records, assignments and ownership.
 * Sources: Object Reference for PermissionSetAssignment, PermissionSetLicenseAssign,
 * UserPackageLicense, GroupMember, UserRole, UserLicense (developer.salesforce.com/docs/atlas.en-us.object_reference.meta).
 */

/** Each assignment object: the two fields that make an assignment unique, and its seat source. */
const ASSIGNMENTS: Record<
  string,
  { holder: string; target: string; alternative?: string; seats?: SeatSource }
> = {
  PermissionSetAssignment: {
    holder: 'AssigneeId',
    target: 'PermissionSetId',
    alternative: 'PermissionSetGroupId',
  },
  PermissionSetLicenseAssign: {
    holder: 'AssigneeId',
    target: 'PermissionSetLicenseId',
    seats: { object: 'PermissionSetLicense', total: 'TotalLicenses' },
  },
  UserPackageLicense: {
    holder: 'UserId',
    target: 'PackageLicenseId',
    seats: { object: 'PackageLicense', total: 'AllowedLicenses' },
  },
  GroupMember: { holder: 'UserOrGroupId', target: 'GroupId' },
  PermissionSetGroupComponent: { holder: 'PermissionSetId', target: 'PermissionSetGroupId' },
};

interface SeatSource {
  object: string;
  total: string;
}

function live(records: Iterable<StoredRecord>): StoredRecord[] {
  return [...records].filter((r) => !r.IsDeleted);
}

export class AccessRules implements WriteRules {
  constructor(private readonly store: RecordStore) {}

  private rows(objectName: string): Iterable<StoredRecord> {
    return this.store.table(objectName)?.records.values() ?? [];
  }

  beforeInsert(objectName: string, record: StoredRecord): void {
    const rule = ASSIGNMENTS[objectName];
    if (!rule) return;
    const targetField =
      rule.alternative && record[rule.target] == null ? rule.alternative : rule.target;
    const holder = record[rule.holder];
    const target = record[targetField];
    const existing = live(this.rows(objectName)).filter((r) => r[targetField] === target);
    const duplicate = existing.find((r) => r[rule.holder] === holder);
    if (duplicate) {
      // PermissionSetAssignment answers with its own wording; the others with the generic one.
      throw new DmlError([
        objectName === 'PermissionSetAssignment'
          ? err('DUPLICATE_VALUE', 'Duplicate PermissionSetAssignment', [])
          : err(
              'DUPLICATE_VALUE',
              `duplicate value found: ${rule.holder} duplicates value on record with id: ${duplicate.Id}`,
              [],
            ),
      ]);
    }
    if (rule.seats) {
      const licence = this.store.table(rule.seats.object)?.get(String(target));
      const total = Number(licence?.[rule.seats.total] ?? -1);
      if (total >= 0 && existing.length >= total) {
        throw new DmlError([err('LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded', [])]);
      }
    }
  }

  beforeUpdate(objectName: string, before: StoredRecord, after: StoredRecord): void {
    if (objectName !== 'User' || before['IsActive'] === true || after['IsActive'] !== true) return;
    // Reactivating (or activating) a user takes a seat of the licence behind their profile.
    const licenceId = this.licenceOfProfile(after['ProfileId']);
    const licence = licenceId ? this.store.table('UserLicense')?.get(licenceId) : undefined;
    if (!licence) return;
    const used = this.activeUsersOn(licenceId!);
    if (used >= Number(licence['TotalLicenses'] ?? 0)) {
      throw new DmlError([err('LICENSE_LIMIT_EXCEEDED', 'License Limit Exceeded', [])]);
    }
  }

  beforeDelete(objectName: string, record: StoredRecord): void {
    if (objectName !== 'UserRole') return;
    const holders = live(this.rows('User')).filter((u) => u['UserRoleId'] === record.Id);
    if (holders.length > 0) {
      throw new DmlError([
        err(
          'DELETE_FAILED',
          `Your attempt to delete ${String(record['Name'] ?? record.Id)} could not be completed because it is associated with the following users: ${holders
            .slice(0, 5)
            .map((u) => String(u['Name'] ?? u.Id))
            .join(', ')}`,
          [],
        ),
      ]);
    }
  }

  private licenceOfProfile(profileId: unknown): string | undefined {
    const profile = this.store.table('Profile')?.get(String(profileId));
    const licence = profile?.['UserLicenseId'];
    return typeof licence === 'string' ? licence : undefined;
  }

  private activeUsersOn(licenceId: string): number {
    let count = 0;
    for (const user of this.rows('User')) {
      if (user.IsDeleted || user['IsActive'] !== true) continue;
      if (this.licenceOfProfile(user['ProfileId']) === licenceId) count += 1;
    }
    return count;
  }
}

const COUNTED = new Set(['User', 'PermissionSetLicenseAssign', 'UserPackageLicense']);

/** Whether a committed transaction changed what licence counts are made of. */
export function touchesSeats(tx: WriteTransaction): boolean {
  return tx.changes.some((change) => COUNTED.has(change.objectName));
}

/**
 * Sets `UsedLicenses` of every user, permission set and package licence from the records:
 * active users per profile licence, live assignments per licence. Run after each commit that
 * touched them and after seeding (the seed writes the store directly).
 */
export function recountSeats(store: RecordStore): void {
  const profiles = new Map<string, string>();
  for (const profile of store.table('Profile')?.records.values() ?? []) {
    if (typeof profile['UserLicenseId'] === 'string') {
      profiles.set(profile.Id, profile['UserLicenseId']);
    }
  }
  const users = new Map<string, number>();
  for (const user of store.table('User')?.records.values() ?? []) {
    if (user.IsDeleted || user['IsActive'] !== true) continue;
    const licence = profiles.get(String(user['ProfileId']));
    if (licence) users.set(licence, (users.get(licence) ?? 0) + 1);
  }
  setUsed(store, 'UserLicense', users);
  setUsed(
    store,
    'PermissionSetLicense',
    countBy(store, 'PermissionSetLicenseAssign', 'PermissionSetLicenseId'),
  );
  setUsed(store, 'PackageLicense', countBy(store, 'UserPackageLicense', 'PackageLicenseId'));
}

function countBy(store: RecordStore, objectName: string, field: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of store.table(objectName)?.records.values() ?? []) {
    if (row.IsDeleted) continue;
    const key = String(row[field]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function setUsed(store: RecordStore, objectName: string, counts: Map<string, number>): void {
  const table = store.table(objectName);
  if (!table) return;
  for (const licence of [...table.records.values()]) {
    const used = counts.get(licence.Id) ?? 0;
    if (licence['UsedLicenses'] !== used) table.put({ ...licence, UsedLicenses: used });
  }
}
