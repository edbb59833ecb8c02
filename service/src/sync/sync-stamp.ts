import type { SObjectDescribe } from '../mapping/describe-types.ts';
import { resolveField } from '../mapping/field-paths.ts';

/**
 * The package's sync fields on a Salesforce record (force-app: `Pryzm_Last_Synced__c`,
 * `Pryzm_Sync_Status__c`, `Pryzm_Sync_Error__c`), which the record page's Pryzm card and the
 * Pryzm Sync Problems list view read. They ride along in the calls that already write the record
 * (the `Pryzm_ID__c` write-back and pushes), so they cost no API call of their own.
 */
export type SyncStamp = Record<string, string | null>;

const FIELDS = {
  lastSynced: 'Pryzm_Last_Synced__c',
  status: 'Pryzm_Sync_Status__c',
  error: 'Pryzm_Sync_Error__c',
} as const;

/** The org's API names of the sync fields present and writable. */
export type SyncStampFields = Partial<Record<keyof typeof FIELDS, string>>;

/** Those the connection's user may write; none in an org without the package. */
export function syncStampFields(describe: SObjectDescribe): SyncStampFields {
  const names: SyncStampFields = {};
  for (const [key, name] of Object.entries(FIELDS) as [keyof typeof FIELDS, string][]) {
    const field = resolveField(describe, name);
    if (field?.updateable) names[key] = field.name;
  }
  return names;
}

/** "Synced now": the time, the status, and the last error cleared (null). */
export function syncedStamp(fields: SyncStampFields, at: Date): SyncStamp {
  const stamp: SyncStamp = {};
  if (fields.lastSynced) stamp[fields.lastSynced] = at.toISOString();
  if (fields.status) stamp[fields.status] = 'Synced';
  if (fields.error) stamp[fields.error] = null;
  return stamp;
}
