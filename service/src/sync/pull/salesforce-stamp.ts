/**
 * The instant a Salesforce row's values are of, to tell a stale snapshot from a newer change.
 *
 * - Rows read by SOQL (REST, Bulk API 2.0) carry `SystemModstamp`, which moves on every change
 *   to the record, system ones included, so it is the version stamp
 *   (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/system_fields.htm).
 * - Change Data Capture events do not carry `SystemModstamp`
 *   (https://developer.salesforce.com/docs/atlas.en-us.api_objects.meta/api_objects/sforce_api_associated_objects_change_event.htm:
 *   "The fields that a change event doesn't include are: ... The SystemModStamp system field"),
 *   but an UPDATE always changes and carries `LastModifiedDate` and a CREATE holds every field
 *   (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_event_fields_body.htm).
 *   The commit's `LastModifiedDate` is stamped by the same clock, at the same precision, as a
 *   later read's `SystemModstamp` of that version (which is the same instant, or later after a
 *   system change), so the two compare; `commitTimestamp` in the header is the commit time in
 *   milliseconds, finer than the stamps a read brings, and would make a read of the same
 *   second look older.
 *
 * Salesforce writes `2026-12-06T10:00:00.000+0000` (REST) or `...000Z` (Bulk CSV): both parse.
 */
import { readPath, type SalesforceRecord } from '../../mapping/index.ts';

const parse = (value: unknown): Date | undefined => {
  if (typeof value !== 'string' || value === '') return undefined;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : new Date(ms);
};

/** `SystemModstamp`, else `LastModifiedDate` (a change event's values), else undefined. */
export function salesforceStamp(row: SalesforceRecord): Date | undefined {
  return parse(readPath(row, 'SystemModstamp')) ?? parse(readPath(row, 'LastModifiedDate'));
}
