import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../src/index.ts';

/**
 * `sobjects/<Object>/deleted` (getDeleted) as Salesforce documents it: the delete log outlives
 * the recycle bin (a Bulk API `hardDelete` leaves queryAll blind but getDeleted not), and a
 * window it cannot answer is refused with INVALID_REPLICATION_DATE.
 */
let local: LocalOrg;
let conn: Connection;
let instanceUrl: string;
let accessToken: string;

beforeAll(async () => {
  local = await startLocalOrg();
  ({ accessToken, instanceUrl } = local.issueAccessToken('pryzm-demo'));
  conn = new Connection({ instanceUrl, accessToken, version: '63.0' });
});

afterAll(async () => {
  await local.close();
});

const getDeleted = (object: string, start: Date, end: Date) =>
  fetch(
    `${instanceUrl}/services/data/v63.0/sobjects/${object}/deleted/?${new URLSearchParams({
      start: start.toISOString(),
      end: end.toISOString(),
    }).toString()}`,
    { headers: { authorization: `Bearer ${accessToken}` } },
  );

describe('getDeleted', () => {
  it('lists records a hardDelete removed for good, which queryAll no longer returns', async () => {
    const start = new Date(Date.now() - 60_000);
    const soft = (await conn.sobject('Account').create({ Name: 'Recycled' })) as { id: string };
    const hard = (await conn.sobject('Account').create({ Name: 'Purged' })) as { id: string };
    await conn.sobject('Account').destroy(soft.id);
    const purged = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'hardDelete',
      input: `Id\n${hard.id}\n`,
      pollInterval: 20,
      pollTimeout: 10_000,
    });
    expect(purged.successfulResults).toHaveLength(1);
    const all = await conn.query(
      `SELECT Id FROM Account WHERE Id IN ('${soft.id}', '${hard.id}')`,
      { scanAll: true },
    );
    expect(all.records.map((record) => record.Id)).toEqual([soft.id]);

    const response = await getDeleted('Account', start, new Date(Date.now() + 60_000));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      deletedRecords: { id: string; deletedDate: string }[];
      earliestDateAvailable: string;
      latestDateCovered: string;
    };
    expect(body.deletedRecords.map((record) => record.id).sort()).toEqual(
      [soft.id, hard.id].sort(),
    );
    expect(body.deletedRecords[0]!.deletedDate).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+\+0000$/);
    // Fifteen days of log, to the minute; coverage up to now at most.
    const earliest = Date.parse(body.earliestDateAvailable.replace('+0000', 'Z'));
    expect(Date.now() - earliest).toBeGreaterThan(15 * 86_400_000 - 120_000);
    expect(Date.now() - earliest).toBeLessThan(15 * 86_400_000 + 120_000);
    expect(Date.parse(body.latestDateCovered.replace('+0000', 'Z'))).toBeLessThanOrEqual(
      Date.now(),
    );
  });

  it('refuses a start before the earliest date available, or not before the end', async () => {
    const now = Date.now();
    for (const [start, end] of [
      [new Date(now - 16 * 86_400_000), new Date(now)],
      [new Date(now - 31 * 86_400_000), new Date(now)],
      [new Date(now), new Date(now - 60_000)],
    ] as const) {
      const response = await getDeleted('Account', start, end);
      expect(response.status).toBe(400);
      const [error] = (await response.json()) as { errorCode: string; message: string }[];
      expect(error!.errorCode).toBe('INVALID_REPLICATION_DATE');
    }
  });
});
