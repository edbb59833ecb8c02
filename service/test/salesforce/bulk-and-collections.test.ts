import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalOrg } from '../../localorg/src/index.ts';
import { bulkQuery, type BulkQueryPage } from '../../src/salesforce/bulk-query.ts';
import { SalesforceApiError, SalesforceClient, type Session } from '../../src/salesforce/client.ts';
import {
  deleteRecords,
  updateRecords,
  upsertByExternalId,
} from '../../src/salesforce/collections.ts';
import { upsertOneWithStamp } from '../../src/salesforce/composite.ts';
import type { CallKind, OrgApiUsage } from '../../src/salesforce/usage.ts';
import { startTwoOrgs, testConnectedApp } from '../support/localorg.ts';

/**
 * Bulk API 2.0 queries and sObject Collections against the local org over real HTTP: pages
 * followed by locator, resumed from a stored one, API calls counted exactly, per-record
 * failures alone. Both orgs: the production org has the package without a namespace, the
 * sandbox with the `pryzm` namespace.
 */

const SEEDED = 237;
const PAGE = 50;

let local: LocalOrg;

beforeAll(async () => {
  local = await startTwoOrgs(testConnectedApp().app);
  for (const org of local.orgs) {
    local.seed(org.id, { accounts: SEEDED, contacts: 0, opportunities: 0 });
  }
});

afterAll(async () => {
  await local?.close();
});

/** A client on a fresh session of the org, recording every call and usage report. */
function clientOf(orgId: string) {
  const calls: CallKind[] = [];
  const usage: OrgApiUsage[] = [];
  let refreshes = 0;
  let session: Session = local.issueAccessToken(orgId);
  const client = new SalesforceClient(
    {
      current: async () => session,
      refresh: async () => {
        refreshes++;
        session = local.issueAccessToken(orgId);
        return session;
      },
    },
    '63.0',
    (kind) => calls.push(kind),
    (reported) => usage.push(reported),
  );
  return {
    client,
    usage,
    /** API calls recorded since the last time this was asked. */
    spent: (() => {
      let seen = 0;
      return () => {
        const n = calls.filter((k) => k === 'api').length - seen;
        seen += n;
        return n;
      };
    })(),
    refreshes: () => refreshes,
  };
}

async function pagesOf(pages: AsyncIterable<BulkQueryPage>): Promise<BulkQueryPage[]> {
  const out: BulkQueryPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

async function accountCount(client: SalesforceClient, where = ''): Promise<number> {
  const soql = `SELECT COUNT() FROM Account ${where}`;
  const response = await client.fetch(client.dataPath(`query?q=${encodeURIComponent(soql)}`));
  return ((await response.json()) as { totalSize: number }).totalSize;
}

describe.each(['acme', 'acme--uat'])('the %s org', (myDomain) => {
  let orgId: string;
  let pryzmId: string;

  beforeAll(async () => {
    const org = local.orgs.find((o) => o.myDomain === myDomain);
    if (!org) throw new Error(`no org ${myDomain}`);
    orgId = org.id;
    const { client } = clientOf(orgId);
    const describe = (await client.describe('Account')) as { fields: { name: string }[] };
    pryzmId = describe.fields.map((f) => f.name).find((n) => /^(pryzm__)?Pryzm_ID__c$/.test(n))!;
    expect(pryzmId).toBe(org.namespace ? `${org.namespace}__Pryzm_ID__c` : 'Pryzm_ID__c');
  });

  describe('Bulk API 2.0 query', () => {
    it('reads every Account page by page: one call to create, one per poll, one per page', async () => {
      const { client, spent, usage } = clientOf(orgId);
      const total = await accountCount(client);
      expect(total).toBeGreaterThanOrEqual(SEEDED);
      spent();
      const orgUsed = local.faults(orgId).snapshot().apiUsage;

      const soql = `SELECT Id, Name, Owner.Name, ${pryzmId} FROM Account ORDER BY Id`;
      const pages = await pagesOf(
        bulkQuery(client, soql, { maxRecords: PAGE, pollIntervalMs: 100 }),
      );

      const expectedPages = Math.ceil(total / PAGE);
      expect(pages).toHaveLength(expectedPages);
      // Create, one poll (the local org completes the job before the first poll), the pages.
      expect(spent()).toBe(1 + 1 + expectedPages);
      expect(local.faults(orgId).snapshot().apiUsage - orgUsed).toBe(2 + expectedPages);
      expect(usage.at(-1)?.used).toBe(local.faults(orgId).snapshot().apiUsage);

      const records = pages.flatMap((p) => p.records);
      expect(records).toHaveLength(total);
      expect(new Set(records.map((r) => r['Id'])).size).toBe(total);
      expect(pages.every((p) => p.totalRecords === total)).toBe(true);
      expect(Object.keys(records[0] ?? {})).toEqual(['Id', 'Name', 'Owner.Name', pryzmId]);
      expect(records[0]?.['Owner.Name']).toEqual(expect.any(String));
      expect(records[0]?.[pryzmId]).toBeNull();
      expect(pages[0]?.locator).toBeNull();
      for (let i = 1; i < pages.length; i++) {
        expect(pages[i]?.locator).toBe(pages[i - 1]?.nextLocator);
        expect(pages[i]?.locator).toEqual(expect.any(String));
      }
      expect(pages.at(-1)?.nextLocator).toBeNull();
      expect(pages.slice(0, -1).every((p) => p.records.length === PAGE)).toBe(true);
    });

    it('resumes a job from the locator stored with the last handled page', async () => {
      const { client, spent } = clientOf(orgId);
      const soql = 'SELECT Id FROM Account';
      const first: BulkQueryPage[] = [];
      for await (const page of bulkQuery(client, soql, { maxRecords: PAGE, pollIntervalMs: 50 })) {
        first.push(page);
        if (first.length === 2) break; // the process stops here; page 2 was committed
      }
      const stored = first[1]!;
      expect(spent()).toBe(1 + 1 + 2);

      const rest = await pagesOf(
        bulkQuery(client, soql, {
          maxRecords: PAGE,
          resume: { jobId: stored.jobId, locator: stored.nextLocator },
        }),
      );
      // One poll (the job is complete), then the remaining pages.
      expect(spent()).toBe(1 + rest.length);
      expect(rest[0]?.locator).toBe(stored.nextLocator);
      expect(rest.every((p) => p.jobId === stored.jobId)).toBe(true);
      const ids = [...first, ...rest].flatMap((p) => p.records.map((r) => r['Id']));
      expect(ids).toHaveLength(stored.totalRecords);
      expect(new Set(ids).size).toBe(stored.totalRecords);
    });

    it('refreshes an expired session mid-query and carries on', async () => {
      const { client, spent, refreshes } = clientOf(orgId);
      const pages: BulkQueryPage[] = [];
      for await (const page of bulkQuery(client, 'SELECT Id FROM Account', {
        maxRecords: 100,
        pollIntervalMs: 50,
      })) {
        pages.push(page);
        if (pages.length === 1) local.faults(orgId).expireTokens();
      }
      expect(refreshes()).toBe(1);
      expect(pages.at(-1)?.nextLocator).toBeNull();
      // The refused request counts as a call too.
      expect(spent()).toBe(1 + 1 + pages.length + 1);
    });

    it("fails on a field Salesforce does not know with Salesforce's error code", async () => {
      const { client, spent } = clientOf(orgId);
      const error = await pagesOf(bulkQuery(client, 'SELECT Id, Nope__c FROM Account')).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SalesforceApiError);
      expect(error).toMatchObject({ errorCode: 'INVALID_FIELD', status: 400 });
      expect((error as Error).message).toContain('Nope__c');
      expect(spent()).toBe(1);
    });
  });

  describe('sObject Collections', () => {
    it('upserts 450 records by the Pryzm ID in 3 calls; a record failing validation fails alone', async () => {
      const { client, spent } = clientOf(orgId);
      const keys = Array.from({ length: 450 }, () => randomUUID());
      const before = await accountCount(client);
      // 150 exist already (one call), so the big upsert updates them and creates the rest.
      const existing = await upsertByExternalId(
        client,
        'Account',
        pryzmId,
        keys.slice(0, 150).map((key, i) => ({ [pryzmId]: key, Name: `Old ${i}` })),
      );
      expect(existing.every((r) => r.success && r.created)).toBe(true);
      spent();

      const invalid = 321; // a new record without its required Name
      const results = await upsertByExternalId(
        client,
        'Account',
        pryzmId,
        keys.map((key, i) =>
          i === invalid ? { [pryzmId]: key } : { [pryzmId]: key, Name: `N ${i}` },
        ),
      );
      expect(spent()).toBe(3);
      expect(results).toHaveLength(450);
      expect(results.slice(0, 150).every((r) => r.success && !r.created)).toBe(true);
      expect(results.slice(0, 150).map((r) => r.id)).toEqual(existing.map((r) => r.id));
      const created = results.filter((r, i) => i >= 150 && i !== invalid);
      expect(created.every((r) => r.success && r.created && /^001/.test(r.id ?? ''))).toBe(true);
      expect(results[invalid]).toMatchObject({
        id: null,
        success: false,
        created: false,
        errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['Name'] }],
      });
      expect(await accountCount(client)).toBe(before + 449);
      spent();

      // Update by Id: a record that does not exist fails alone.
      const [a, b] = [results[0]!.id!, results[200]!.id!];
      const missing = '001000000000000AAA';
      const updated = await updateRecords(client, [
        { Id: a, attributes: { type: 'Account' }, Name: 'Renamed A' },
        { Id: missing, attributes: { type: 'Account' }, Name: 'Nobody' },
        { Id: b, attributes: { type: 'Account' }, Name: 'Renamed B' },
      ]);
      expect(spent()).toBe(1);
      expect(updated.map((r) => r.success)).toEqual([true, false, true]);
      expect(updated[1]?.errors[0]?.statusCode).toEqual(expect.any(String));
      expect(await accountCount(client, "WHERE Name LIKE 'Renamed %'")).toBe(2);
      spent();

      // Delete all 449 (3 calls); an id deleted already fails alone.
      const ids = results.flatMap((r) => (r.id ? [r.id] : []));
      const [gone] = await deleteRecords(client, [ids[0]!]);
      expect(gone?.success).toBe(true);
      spent();
      const deleted = await deleteRecords(client, ids);
      expect(spent()).toBe(3);
      expect(deleted.map((r) => r.id)).toEqual(ids);
      expect(deleted[0]).toMatchObject({
        success: false,
        errors: [{ statusCode: 'ENTITY_IS_DELETED' }],
      });
      expect(deleted.slice(1).every((r) => r.success)).toBe(true);
      expect(await accountCount(client)).toBe(before);
    });

    it('upserts one record with its SystemModstamp: created, then updated, one call each', async () => {
      const { client, spent } = clientOf(orgId);
      const key = randomUUID();
      const upsertOne = (externalIdField: string, value: string, fields: Record<string, unknown>) =>
        upsertOneWithStamp(client, 'Account', externalIdField, value, fields);
      const first = await upsertOne(pryzmId, key, { Name: 'Single' });
      expect(first).toEqual({
        id: expect.stringMatching(/^001/),
        created: true,
        systemModstamp: expect.any(String),
      });
      const second = await upsertOne(pryzmId, key, { Name: 'Single 2' });
      expect(second).toEqual({ id: first.id, created: false, systemModstamp: expect.any(String) });
      expect(Date.parse(second.systemModstamp!)).toBeGreaterThanOrEqual(
        Date.parse(first.systemModstamp!),
      );
      expect(spent()).toBe(2);
      expect(await accountCount(client, "WHERE Name = 'Single 2'")).toBe(1);

      await expect(upsertOne(pryzmId, randomUUID(), {})).rejects.toMatchObject({
        name: 'SalesforceApiError',
        errorCode: 'REQUIRED_FIELD_MISSING',
        status: 400,
      });
      await expect(upsertOne('Nope__c', key, { Name: 'x' })).rejects.toMatchObject({
        errorCode: 'NOT_FOUND',
        status: 404,
      });
      const [removed] = await deleteRecords(client, [first.id]);
      expect(removed?.success).toBe(true);
    });
  });
});
