import type { SalesforceClient } from './client.ts';

interface QueryAnswer<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/**
 * A SOQL query through the REST API, page by page (2,000 records a page, one API call each),
 * following `nextRecordsUrl`. `all` runs `queryAll`, which also returns deleted and archived
 * records (`IsDeleted = true`): the way to see deletes still in the recycle bin. Cheaper than a
 * Bulk API 2.0 job (create, poll, read) for the small sets an incremental run expects.
 */
export async function* restQuery<T = Record<string, unknown>>(
  client: SalesforceClient,
  soql: string,
  options: { all?: boolean; signal?: AbortSignal } = {},
): AsyncGenerator<T[], void, undefined> {
  let path: string | undefined = client.dataPath(
    `${options.all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`,
  );
  while (path) {
    const response = await client.fetch(path, { signal: options.signal });
    const answer = (await response.json()) as QueryAnswer<T>;
    yield answer.records.map((record) => {
      const { attributes: _attributes, ...fields } = record as T & { attributes?: unknown };
      return fields as T;
    });
    path = answer.done ? undefined : answer.nextRecordsUrl;
  }
}
