import type { StoredRecord } from '../core/contracts.ts';
import { normalizeId } from '../core/ids.ts';

/**
 * The values of a hierarchy custom setting that apply to one user. Salesforce resolves them from
 * the lowest level that defines a field: the user's row, then the profile's row, then the org
 * default (Visualforce Developer Guide, "$Setup"; Apex Reference, "Hierarchy Custom Setting
 * Methods": getInstance merges "based on the lowest level fields that are defined").
 */

export interface HierarchySettingSource {
  readonly id: string;
  readonly schema: {
    describe(name: string): Record<string, unknown> | object | undefined;
    packageName(name: string): string;
  };
  records(objectName: string): Iterable<StoredRecord>;
  findById(id: string): { objectName: string; record: StoredRecord } | undefined;
}

const SYSTEM_FIELDS = new Set([
  'Id',
  'IsDeleted',
  'Name',
  'SetupOwnerId',
  'CreatedDate',
  'CreatedById',
  'LastModifiedDate',
  'LastModifiedById',
  'SystemModstamp',
]);

export function hierarchySettingFor(
  org: HierarchySettingSource,
  userId: string,
  settingName: string,
): StoredRecord | undefined {
  const name = [settingName, org.schema.packageName(settingName)].find(
    (candidate) =>
      (org.schema.describe(candidate) as { customSetting?: unknown } | undefined)?.customSetting ===
      true,
  );
  if (!name) return undefined;
  const rows = new Map<string, StoredRecord>();
  for (const row of org.records(name)) {
    const owner = normalizeId(String(row['SetupOwnerId'] ?? ''));
    if (!row.IsDeleted && owner) rows.set(owner, row);
  }
  const user = normalizeId(userId);
  const profile = user ? org.findById(user)?.record['ProfileId'] : undefined;
  const levels = [
    rows.get(normalizeId(org.id) ?? ''),
    typeof profile === 'string' ? rows.get(normalizeId(profile) ?? '') : undefined,
    user ? rows.get(user) : undefined,
  ].filter((row): row is StoredRecord => row !== undefined);
  if (levels.length === 0) return undefined;
  const merged: StoredRecord = { ...levels[0]! };
  for (const row of levels.slice(1)) {
    for (const [field, value] of Object.entries(row)) {
      if (SYSTEM_FIELDS.has(field)) continue;
      if (value !== null && value !== undefined && value !== '') merged[field] = value;
    }
  }
  return merged;
}
