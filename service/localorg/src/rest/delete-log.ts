import type { Org } from '../org/org.ts';

/**
 * The org's delete log, as `sobjects/<Object>/deleted` reads it: records in the recycle bin
 * (still in the store with `IsDeleted`), and records removed from the store for good (a Bulk API
 * `hardDelete`, an emptied recycle bin), which queryAll no longer returns but getDeleted still
 * lists. Salesforce keeps the log for 15 days: "Results are returned for no more than 15 days
 * previous to the day the call is executed (or earlier if an administrator has purged the
 * Recycle Bin)" (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/resources_getdeleted.htm).
 */

export const DELETE_LOG_DAYS = 15;

interface PurgedRecord {
  id: string;
  /** `SystemModstamp` of the delete, as the REST API formats it. */
  deletedDate: string;
}

const purged = new WeakMap<Org, Map<string, PurgedRecord[]>>();

function purgedOf(org: Org, objectName: string): PurgedRecord[] {
  let byObject = purged.get(org);
  if (!byObject) purged.set(org, (byObject = new Map()));
  const key = objectName.toLowerCase();
  let list = byObject.get(key);
  if (!list) byObject.set(key, (list = []));
  return list;
}

/**
 * Removes deleted records of an object from the store for good (`hardDelete`, emptying the
 * recycle bin): queryAll stops returning them, and the delete log keeps their ids.
 */
export function purgeDeletedRecords(org: Org, objectName: string, ids: readonly string[]): void {
  const table = org.store.table(objectName);
  if (!table) return;
  const log = purgedOf(org, table.name);
  for (const id of ids) {
    const record = table.get(id);
    if (!record?.IsDeleted) continue;
    log.push({ id: record.Id, deletedDate: String(record['SystemModstamp']) });
    table.remove(record.Id);
  }
}

/** Every deleted record of an object the log still holds: in the recycle bin or purged. */
export function* deletedRecords(org: Org, objectName: string): Generator<PurgedRecord> {
  for (const record of org.records(objectName)) {
    if (record.IsDeleted) yield { id: record.Id, deletedDate: String(record['SystemModstamp']) };
  }
  yield* purgedOf(org, objectName);
}
