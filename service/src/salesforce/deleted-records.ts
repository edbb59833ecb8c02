import type { SalesforceClient } from './client.ts';

/**
 * getDeleted over REST (`GET sobjects/<Object>/deleted/?start=&end=`): the records of an object
 * deleted in a window, from the org's delete log, which outlives the recycle bin: a record
 * emptied from it (or hard-deleted) is gone from queryAll but still listed here, for about 15
 * days. A start before `earliestDateAvailable` (or more than 30 days ago, or not before the end)
 * is refused with `INVALID_REPLICATION_DATE`.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/resources_getdeleted.htm
 */

/** How far back Salesforce answers: "no more than 15 days previous to the day the call is executed". */
export const DELETE_LOG_DAYS = 15;

export interface DeletedRecords {
  deletedRecords: { id: string; deletedDate: string }[];
  earliestDateAvailable: string;
  /** Where the next call's window should start (at most the end asked for). */
  latestDateCovered: string;
}

const API_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** One API call. */
export async function getDeletedRecords(
  client: SalesforceClient,
  object: string,
  window: { start: Date; end: Date },
  signal?: AbortSignal,
): Promise<DeletedRecords> {
  if (!API_NAME.test(object)) throw new Error(`Not a Salesforce object name: ${object}`);
  const query = new URLSearchParams({
    start: window.start.toISOString(),
    end: window.end.toISOString(),
  });
  const response = await client.fetch(
    client.dataPath(`sobjects/${object}/deleted/?${query.toString()}`),
    { signal },
  );
  return (await response.json()) as DeletedRecords;
}
