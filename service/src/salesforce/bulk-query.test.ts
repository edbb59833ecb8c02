import { describe, expect, it } from 'vitest';
import { BulkQueryError, bulkQuery, type BulkQueryPage } from './bulk-query.ts';
import { SalesforceClient, type HttpFetch } from './client.ts';

const INSTANCE = 'https://acme.my.salesforce.com';
const JOB = '750R0000000zxr8IAA';
const BASE = `${INSTANCE}/services/data/v63.0/jobs/query`;

/** A Bulk API 2.0 query endpoint over `rows`, its job going through `states` one poll at a time. */
function fakeBulk(rows: string[][], states: string[] = ['JobComplete'], errorMessage?: string) {
  const requests: string[] = [];
  const bodies: unknown[] = [];
  let polls = 0;
  const info = (state: string) => ({
    id: JOB,
    operation: 'query',
    object: 'Account',
    state,
    numberRecordsProcessed: state === 'JobComplete' ? rows.length : 0,
    ...(errorMessage ? { errorMessage } : {}),
  });
  const httpFetch: HttpFetch = async (url, init) => {
    requests.push(`${init.method} ${url.replace(INSTANCE, '')}`);
    if (init.method === 'POST' && url === BASE) {
      bodies.push(JSON.parse(String(init.body)));
      return Response.json(info('UploadComplete'));
    }
    if (init.method === 'GET' && url === `${BASE}/${JOB}`) {
      const state = states[Math.min(polls, states.length - 1)] ?? 'JobComplete';
      polls++;
      return Response.json(info(state));
    }
    const results = new URL(url);
    if (init.method === 'GET' && results.pathname.endsWith(`/${JOB}/results`)) {
      const offset = Number(results.searchParams.get('locator') ?? '0');
      const max = Number(results.searchParams.get('maxRecords'));
      const page = rows.slice(offset, offset + max);
      const end = offset + page.length;
      const csv = ['"Id","Name"', ...page.map((r) => r.map((c) => (c ? `"${c}"` : '')).join(','))];
      return new Response(csv.join('\n') + '\n', {
        headers: {
          'content-type': 'text/csv',
          'sforce-locator': end < rows.length ? String(end) : 'null',
          'sforce-numberofrecords': String(page.length),
        },
      });
    }
    return Response.json([{ errorCode: 'NOT_FOUND', message: url }], { status: 404 });
  };
  const calls: string[] = [];
  const client = new SalesforceClient(
    {
      current: async () => ({ accessToken: 't', instanceUrl: INSTANCE }),
      refresh: () => Promise.reject(new Error('no refresh')),
    },
    '63.0',
    (kind) => calls.push(kind),
    undefined,
    httpFetch,
  );
  return { client, requests, bodies, calls };
}

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => [`001${String(i).padStart(15, '0')}`, i % 7 ? `A${i}` : '']);

async function all(pages: AsyncIterable<BulkQueryPage>): Promise<BulkQueryPage[]> {
  const out: BulkQueryPage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('bulkQuery', () => {
  it('creates the job, polls until complete and follows the locator to the last page', async () => {
    const bulk = fakeBulk(rows(25), ['InProgress', 'InProgress', 'JobComplete']);
    const pages = await all(
      bulkQuery(bulk.client, 'SELECT Id, Name FROM Account', { maxRecords: 10, pollIntervalMs: 1 }),
    );
    expect(bulk.bodies).toEqual([
      expect.objectContaining({ operation: 'query', query: 'SELECT Id, Name FROM Account' }),
    ]);
    expect(pages.map((p) => [p.locator, p.nextLocator, p.records.length, p.totalRecords])).toEqual([
      [null, '10', 10, 25],
      ['10', '20', 10, 25],
      ['20', null, 5, 25],
    ]);
    expect(pages[0]?.records[0]).toEqual({ Id: '001000000000000000', Name: null });
    expect(pages[0]?.records[1]).toEqual({ Id: '001000000000000001', Name: 'A1' });
    expect(bulk.requests).toEqual([
      'POST /services/data/v63.0/jobs/query',
      `GET /services/data/v63.0/jobs/query/${JOB}`,
      `GET /services/data/v63.0/jobs/query/${JOB}`,
      `GET /services/data/v63.0/jobs/query/${JOB}`,
      `GET /services/data/v63.0/jobs/query/${JOB}/results?maxRecords=10`,
      `GET /services/data/v63.0/jobs/query/${JOB}/results?locator=10&maxRecords=10`,
      `GET /services/data/v63.0/jobs/query/${JOB}/results?locator=20&maxRecords=10`,
    ]);
    expect(bulk.calls).toHaveLength(7);
  });

  it('asks for queryAll when scanning all', async () => {
    const bulk = fakeBulk(rows(1));
    await all(
      bulkQuery(bulk.client, 'SELECT Id FROM Account', { scanAll: true, pollIntervalMs: 1 }),
    );
    expect(bulk.bodies).toEqual([expect.objectContaining({ operation: 'queryAll' })]);
  });

  it('resumes a job from a stored locator without creating another', async () => {
    const bulk = fakeBulk(rows(25));
    const pages = await all(
      bulkQuery(bulk.client, 'ignored', { maxRecords: 10, resume: { jobId: JOB, locator: '20' } }),
    );
    expect(pages.map((p) => [p.locator, p.nextLocator, p.records.length])).toEqual([
      ['20', null, 5],
    ]);
    expect(bulk.requests).toEqual([
      `GET /services/data/v63.0/jobs/query/${JOB}`,
      `GET /services/data/v63.0/jobs/query/${JOB}/results?locator=20&maxRecords=10`,
    ]);
  });

  it("fails with the job's error message when the job failed", async () => {
    const bulk = fakeBulk(rows(3), ['InProgress', 'Failed'], 'Query timed out');
    const error = await all(bulkQuery(bulk.client, 'SELECT Id FROM Account', { pollIntervalMs: 1 }))
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BulkQueryError);
    expect(error).toMatchObject({ jobId: JOB, state: 'Failed' });
    expect((error as Error).message).toContain('Query timed out');
  });

  it('fails on an aborted job and on a job that outlives the timeout', async () => {
    const aborted = fakeBulk(rows(3), ['Aborted']);
    await expect(
      all(bulkQuery(aborted.client, 'SELECT Id FROM Account', { pollIntervalMs: 1 })),
    ).rejects.toMatchObject({ name: 'BulkQueryError', state: 'Aborted' });
    const slow = fakeBulk(rows(3), ['InProgress']);
    await expect(
      all(bulkQuery(slow.client, 'SELECT Id FROM Account', { pollIntervalMs: 5, timeoutMs: 30 })),
    ).rejects.toMatchObject({ name: 'BulkQueryError', state: 'InProgress' });
  });

  it('stops polling when the signal aborts', async () => {
    const bulk = fakeBulk(rows(3), ['InProgress']);
    const controller = new AbortController();
    const run = all(
      bulkQuery(bulk.client, 'SELECT Id FROM Account', {
        pollIntervalMs: 5,
        signal: controller.signal,
      }),
    );
    setTimeout(() => controller.abort(new Error('stopped')), 40);
    await expect(run).rejects.toThrow('stopped');
    const made = bulk.requests.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(bulk.requests.length).toBe(made);
  });

  it('reads nothing more once the consumer leaves', async () => {
    const bulk = fakeBulk(rows(25));
    for await (const page of bulkQuery(bulk.client, 'SELECT Id FROM Account', {
      maxRecords: 10,
      pollIntervalMs: 1,
    })) {
      expect(page.records).toHaveLength(10);
      break;
    }
    expect(bulk.requests.filter((r) => r.includes('/results'))).toHaveLength(1);
  });

  it('requests the next page while the caller works on this one (readAhead)', async () => {
    const bulk = fakeBulk(rows(25));
    const seen: number[] = [];
    for await (const page of bulkQuery(bulk.client, 'SELECT Id FROM Account', {
      maxRecords: 10,
      pollIntervalMs: 1,
      readAhead: true,
    })) {
      // The next page's request went out before this one was handed over, not when asked for.
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(bulk.requests.filter((r) => r.includes('/results')).length);
      expect(page.records.length).toBeGreaterThan(0);
    }
    expect(seen).toEqual([2, 3, 3]);
    expect(bulk.calls).toHaveLength(5);
  });

  it('drops the page it read ahead when the caller leaves', async () => {
    const bulk = fakeBulk(rows(25));
    const pages: BulkQueryPage[] = [];
    for await (const page of bulkQuery(bulk.client, 'SELECT Id FROM Account', {
      maxRecords: 10,
      pollIntervalMs: 1,
      readAhead: true,
    })) {
      pages.push(page);
      break;
    }
    expect(pages.map((page) => page.records.length)).toEqual([10]);
    // One results request more than the caller used, and none after it left.
    expect(bulk.requests.filter((r) => r.includes('/results'))).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(bulk.requests.filter((r) => r.includes('/results'))).toHaveLength(2);
  });

  it('refuses a page whose record count differs from Sforce-NumberOfRecords', async () => {
    const client = new SalesforceClient(
      {
        current: async () => ({ accessToken: 't', instanceUrl: INSTANCE }),
        refresh: () => Promise.reject(new Error('no refresh')),
      },
      '63.0',
      () => {},
      undefined,
      async (url) =>
        url.includes('/results')
          ? new Response('"Id"\n"001A"\n', {
              headers: { 'sforce-locator': 'null', 'sforce-numberofrecords': '2' },
            })
          : Response.json({ id: JOB, state: 'JobComplete', numberRecordsProcessed: 2 }),
    );
    await expect(
      all(bulkQuery(client, 'x', { resume: { jobId: JOB, locator: null } })),
    ).rejects.toThrow('announced 2 records');
  });
});
