import { expect } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { parseDatabaseUrl } from '../../src/config/env.ts';
import { openDatabase, type Database } from '../../src/store/database.ts';
import { serviceDir } from '../../src/store/migrations/migration-files.ts';
import type { ApiClient } from './api.ts';

/** The database a service process runs on, opened by the test to read what it committed. */
export function openServiceDatabase(databaseUrl: string): Promise<Database> {
  return openDatabase(parseDatabaseUrl(databaseUrl, { serviceDir }));
}

/** Salesforce's REST API of one local org, as its admin: the test's view of Salesforce. */
export function salesforceAdmin(local: LocalOrg, orgId: string) {
  const org = local.orgs.find((candidate) => candidate.id === orgId)!;
  async function get<T>(path: string): Promise<T> {
    const { accessToken } = local.issueAccessToken(orgId);
    const url = path.startsWith('/')
      ? `${org.instanceUrl}${path}`
      : `${org.instanceUrl}/services/data/v63.0/${path}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
    if (!response.ok)
      throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
  return {
    get,
    /** Every row of a SOQL query, following `nextRecordsUrl`. */
    async soql<T>(query: string): Promise<T[]> {
      const rows: T[] = [];
      let page = await get<{ records: T[]; nextRecordsUrl?: string }>(
        `query?q=${encodeURIComponent(query)}`,
      );
      rows.push(...page.records);
      while (page.nextRecordsUrl) {
        page = await get(page.nextRecordsUrl);
        rows.push(...page.records);
      }
      return rows;
    },
    /** Bulk API 2.0 query jobs the org has, newest last. */
    async queryJobs(): Promise<{ id: string; object: string; state: string }[]> {
      const list = await get<{ records: { id: string; object: string; state: string }[] }>(
        'jobs/query',
      );
      return list.records;
    },
  };
}

export type SalesforceAdmin = ReturnType<typeof salesforceAdmin>;

export interface JobView {
  id: string;
  status: string;
  error: string | null;
  counts: Record<string, number>;
  objects: { salesforceObject: string; processed: number; total: number | null }[];
}

export const UNFINISHED = ['queued', 'running', 'waiting_for_allowance'];

/** Polls a job through the API until `done` says so (every 20 ms, up to `timeoutMs`). */
export async function pollJob(
  client: ApiClient,
  workspaceId: string,
  jobId: string,
  done: (job: JobView) => boolean,
  timeoutMs = 120_000,
): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await client.get<JobView>(`/api/workspaces/${workspaceId}/jobs/${jobId}`);
    if (response.status === 200 && done(response.body)) return response.body;
    if (Date.now() > deadline) {
      throw new Error(`job ${jobId} never got there: ${JSON.stringify(response.body)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const finished = (job: JobView) => !UNFINISHED.includes(job.status);

/**
 * Compares both sides record by record: every Salesforce record of each object has exactly one
 * link, to a Pryzm record of its own (none created twice, none left over), and `Pryzm_ID__c` in
 * Salesforce holds that record's id. Answers the number of records compared.
 */
export async function expectBothSidesMatch(input: {
  database: Database;
  salesforce: SalesforceAdmin;
  workspaceId: string;
  connectionId: string;
  objects: string[];
  pryzmIdField: string;
}): Promise<number> {
  const { prisma } = input.database;
  let compared = 0;
  const recordTypesSeen = new Set<string>();
  for (const object of input.objects) {
    const rows = await input.salesforce.soql<Record<string, string | null>>(
      `SELECT Id, ${input.pryzmIdField} FROM ${object}`,
    );
    const links = await prisma.link.findMany({
      where: { connectionId: input.connectionId, salesforceObject: object },
      include: {
        record: { select: { id: true, recordTypeId: true, deletedAt: true } },
        pendingIdWriteBack: { select: { seq: true } },
      },
    });
    const linkOf = new Map(links.map((link) => [link.salesforceId, link]));
    expect(links, `${object}: one link per Salesforce record`).toHaveLength(rows.length);
    expect(linkOf.size, `${object}: no Salesforce record linked twice`).toBe(links.length);
    expect(new Set(links.map((link) => link.recordId)).size, `${object}: no record shared`).toBe(
      links.length,
    );
    const wrong = rows.filter((row) => {
      const link = linkOf.get(row['Id']!);
      return !link || row[input.pryzmIdField] !== link.recordId || link.pendingIdWriteBack !== null;
    });
    expect(wrong.slice(0, 5), `${object}: Pryzm_ID__c equals the linked record's id`).toEqual([]);
    expect(links.filter((link) => link.record.deletedAt !== null)).toEqual([]);
    const types = new Set(links.map((link) => link.record.recordTypeId));
    expect(types.size, `${object}: one record type`).toBe(1);
    for (const type of types) {
      recordTypesSeen.add(type);
      const stored = await prisma.pryzmRecord.count({
        where: { workspaceId: input.workspaceId, recordTypeId: type },
      });
      expect(stored, `${object}: as many records of its type as Salesforce records`).toBe(
        rows.length,
      );
    }
    compared += rows.length;
  }
  const everyRecord = await prisma.pryzmRecord.count({ where: { workspaceId: input.workspaceId } });
  expect(everyRecord, 'no Pryzm record without its link').toBe(compared);
  return compared;
}
