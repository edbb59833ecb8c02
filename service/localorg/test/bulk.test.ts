import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection, type Record as JsforceRecord } from 'jsforce';
import { startLocalOrg, type LocalOrg } from '../src/index.ts';

let local: LocalOrg;
let conn: Connection;
let instanceUrl: string;
let accessToken: string;

async function collect(stream: {
  on(ev: string, fn: (...args: unknown[]) => void): unknown;
}): Promise<JsforceRecord[]> {
  const records: JsforceRecord[] = [];
  return new Promise((resolve, reject) => {
    stream.on('record', (r) => records.push(r as JsforceRecord));
    stream.on('end', () => resolve(records));
    stream.on('error', (e) => reject(e as Error));
  });
}

type DataApi = (path: string, init?: RequestInit) => Promise<Response>;

/** Calls `/services/data/v62.0` of one org with its session, sending JSON. */
function dataApi(session: { instanceUrl: string; accessToken: string }): DataApi {
  return (path, init = {}) =>
    fetch(`${session.instanceUrl}/services/data/v62.0${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${session.accessToken}`,
        'Content-Type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
}

/** The shared `bulk` org's API. */
const api: DataApi = (path, init) => dataApi({ instanceUrl, accessToken })(path, init);

/** Creates a Bulk API 2.0 query job and returns the job as the org first shows it. */
async function createQueryJob(call: DataApi, query: string, operation = 'query') {
  const created = await call('/jobs/query', {
    method: 'POST',
    body: JSON.stringify({ operation, query }),
  });
  return (await created.json()) as Record<string, unknown> & { id: string; state: string };
}

async function waitFor(path: string, state: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const info = (await (await api(path)).json()) as Record<string, unknown>;
    if (info['state'] === state) return info;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job never reached ${state}`);
}

beforeAll(async () => {
  local = await startLocalOrg({ orgs: [{ myDomain: 'bulk' }] });
  const org = local.org('bulk');
  org.write(org.users[0]?.id ?? '', 'test', (tx, dml) => {
    const parent = dml.insert(tx, 'Account', { Name: 'Parent "Holdings", Inc.' }, 'json');
    for (let i = 0; i < 25; i++) {
      dml.insert(
        tx,
        'Account',
        {
          Name: `Child ${i}`,
          ParentId: parent.Id,
          NumberOfEmployees: i,
          Website: i % 2 ? null : 'https://x.example',
        },
        'json',
      );
    }
  });
  ({ accessToken, instanceUrl } = local.issueAccessToken('bulk'));
  conn = new Connection({ instanceUrl, accessToken, version: '62.0' });
});

afterAll(async () => {
  await local.close();
});

describe('Bulk API 2.0 query', () => {
  it('answers jsforce bulk2.query with parent paths', async () => {
    const stream = await conn.bulk2.query(
      "SELECT Id, Name, Parent.Name, NumberOfEmployees FROM Account WHERE Name LIKE 'Child%' ORDER BY NumberOfEmployees",
    );
    const records = await collect(stream);
    expect(records).toHaveLength(25);
    expect(records[3]).toMatchObject({
      Name: 'Child 3',
      'Parent.Name': 'Parent "Holdings", Inc.',
      NumberOfEmployees: '3',
    });
  });

  it('pages CSV results by locator and maxRecords with Salesforce quoting and nulls', async () => {
    const created = await createQueryJob(
      api,
      "SELECT Name, Website, Parent.Name FROM Account WHERE Name LIKE 'Child%' ORDER BY NumberOfEmployees",
    );
    expect(created).toMatchObject({
      operation: 'query',
      object: 'Account',
      state: 'UploadComplete',
      contentType: 'CSV',
      lineEnding: 'LF',
      columnDelimiter: 'COMMA',
      apiVersion: 62,
    });
    const id = String(created['id']);
    const done = await waitFor(`/jobs/query/${id}`, 'JobComplete');
    expect(done['numberRecordsProcessed']).toBe(25);
    const first = await api(`/jobs/query/${id}/results?maxRecords=10`);
    expect(first.headers.get('sforce-numberofrecords')).toBe('10');
    const locator = first.headers.get('sforce-locator') ?? '';
    expect(locator).not.toBe('null');
    const text = await first.text();
    expect(text.split('\n')[0]).toBe('"Name","Website","Parent.Name"');
    expect(text.split('\n')[1]).toBe('"Child 0","https://x.example","Parent ""Holdings"", Inc."');
    expect(text.split('\n')[2]).toBe('"Child 1",,"Parent ""Holdings"", Inc."');
    const last = await api(`/jobs/query/${id}/results?locator=${locator}&maxRecords=20`);
    expect(last.headers.get('sforce-locator')).toBe('null');
    expect(last.headers.get('sforce-numberofrecords')).toBe('15');
    const list = (await (await api('/jobs/query')).json()) as { records: { id: string }[] };
    expect(list.records.map((j) => j.id)).toContain(id);
    expect((await api(`/jobs/query/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/jobs/query/${id}`)).status).toBe(404);
  });
});

describe('Bulk API 2.0 ingest', () => {
  it('inserts and upserts through jsforce with per-row results', async () => {
    const inserted = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input:
        'LastName,FirstName,Email,Pryzm_ID__c\nLovelace,Ada,ada@example.com,c-1\nHopper,Grace,not-an-email,c-2\n,NoLast,,c-3\n',
      pollInterval: 50,
      pollTimeout: 10_000,
    });
    expect(inserted.successfulResults).toHaveLength(1);
    expect(inserted.successfulResults[0]).toMatchObject({
      sf__Created: 'true',
      LastName: 'Lovelace',
    });
    expect(inserted.failedResults.map((f) => f.sf__Error)).toEqual([
      'INVALID_EMAIL_ADDRESS:Email: invalid email address: not-an-email:Email --',
      'REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --',
    ]);

    const upserted = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'upsert',
      externalIdFieldName: 'Pryzm_ID__c',
      input: 'Pryzm_ID__c,LastName\nc-1,Lovelace-King\nc-9,Newcomer\n',
      pollInterval: 50,
      pollTimeout: 10_000,
    });
    expect(upserted.successfulResults.map((r) => r.sf__Created)).toEqual(['false', 'true']);
    const check = await conn.query("SELECT LastName FROM Contact WHERE Pryzm_ID__c = 'c-1'");
    expect(check.records[0]?.['LastName']).toBe('Lovelace-King');
  });

  it('runs an ingest job over raw HTTP: upload, UploadComplete, result files, delete by Id', async () => {
    const job = (await (
      await api('/jobs/ingest', {
        method: 'POST',
        body: JSON.stringify({ object: 'Account', operation: 'insert' }),
      })
    ).json()) as Record<string, unknown>;
    expect(job).toMatchObject({ state: 'Open', operation: 'insert', object: 'Account' });
    const id = String(job['id']);
    const put = await api(`/jobs/ingest/${id}/batches`, {
      method: 'PUT',
      body: 'Name,Industry\nBulk One,Banking\nBulk Two,Nonsense Industry\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(put.status).toBe(201);
    const closed = (await (
      await api(`/jobs/ingest/${id}`, {
        method: 'PATCH',
        body: JSON.stringify({ state: 'UploadComplete' }),
      })
    ).json()) as Record<string, unknown>;
    expect(closed['state']).toBe('UploadComplete');
    const done = await waitFor(`/jobs/ingest/${id}`, 'JobComplete');
    expect(done).toMatchObject({ numberRecordsProcessed: 2, numberRecordsFailed: 0 });
    const ok = await (await api(`/jobs/ingest/${id}/successfulResults`)).text();
    const lines = ok.trim().split('\n');
    expect(lines[0]).toBe('"sf__Id","sf__Created",Name,Industry');
    expect(lines[1]).toMatch(/^"001[A-Za-z0-9]{15}","true","Bulk One","Banking"$/);
    const failed = await (await api(`/jobs/ingest/${id}/failedResults`)).text();
    expect(failed).toBe('"sf__Id","sf__Error",Name,Industry\n');

    const ids = lines.slice(1).map((l) => l.split(',')[0]?.replace(/"/g, '') ?? '');
    const del = (await (
      await api('/jobs/ingest', {
        method: 'POST',
        body: JSON.stringify({ object: 'Account', operation: 'delete' }),
      })
    ).json()) as Record<string, unknown>;
    await api(`/jobs/ingest/${String(del['id'])}/batches`, {
      method: 'PUT',
      body: `Id\n${ids.join('\n')}\n`,
      headers: { 'Content-Type': 'text/csv' },
    });
    await api(`/jobs/ingest/${String(del['id'])}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'UploadComplete' }),
    });
    const delDone = await waitFor(`/jobs/ingest/${String(del['id'])}`, 'JobComplete');
    expect(delDone['numberRecordsProcessed']).toBe(2);
    const gone = await conn.query(`SELECT Id FROM Account WHERE Name LIKE 'Bulk %'`);
    expect(gone.totalSize).toBe(0);
  });
});

describe('Bulk API 2.0 ingest abort', () => {
  it('reports uploaded rows of an aborted job as unprocessed', async () => {
    const job = (await (
      await api('/jobs/ingest', {
        method: 'POST',
        body: JSON.stringify({ object: 'Account', operation: 'insert' }),
      })
    ).json()) as { id: string };
    await api(`/jobs/ingest/${job.id}/batches`, {
      method: 'PUT',
      body: 'Name\nNever One\nNever Two\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    const aborted = (await (
      await api(`/jobs/ingest/${job.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ state: 'Aborted' }),
      })
    ).json()) as { state: string };
    expect(aborted.state).toBe('Aborted');
    const unprocessed = await (await api(`/jobs/ingest/${job.id}/unprocessedrecords`)).text();
    expect(unprocessed).toBe('Name\n"Never One"\n"Never Two"\n');
    const again = await api(`/jobs/ingest/${job.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'UploadComplete' }),
    });
    expect(again.status).toBe(409);
  });
});

describe('Bulk API 2.0 ingest of a large job', () => {
  it('keeps answering while a job runs, and an abort between slices leaves the rest unprocessed', async () => {
    const total = 12_000;
    const job = (await (
      await api('/jobs/ingest', {
        method: 'POST',
        body: JSON.stringify({ object: 'Account', operation: 'insert' }),
      })
    ).json()) as { id: string };
    const names = Array.from({ length: total }, (_, i) => `Sliced ${i}`);
    await api(`/jobs/ingest/${job.id}/batches`, {
      method: 'PUT',
      body: `Name\n${names.join('\n')}\n`,
      headers: { 'Content-Type': 'text/csv' },
    });
    await api(`/jobs/ingest/${job.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'UploadComplete' }),
    });
    // The job yields between slices of rows: its info is answered while it is part way through.
    let partWay: { state: string; numberRecordsProcessed: number } | undefined;
    for (let look = 0; look < 2_000 && !partWay; look++) {
      const info = (await (await api(`/jobs/ingest/${job.id}`)).json()) as {
        state: string;
        numberRecordsProcessed: number;
      };
      if (info.state === 'JobComplete') break;
      if (info.state === 'InProgress' && info.numberRecordsProcessed > 0) partWay = info;
    }
    expect(partWay, 'seen in progress with some rows processed').toBeDefined();
    const aborted = await api(`/jobs/ingest/${job.id}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: 'Aborted' }),
    });
    expect(aborted.status).toBe(200);
    const info = (await (await api(`/jobs/ingest/${job.id}`)).json()) as {
      state: string;
      numberRecordsProcessed: number;
    };
    expect(info.state).toBe('Aborted');
    const lines = async (name: string) =>
      (await (await api(`/jobs/ingest/${job.id}/${name}`)).text()).trim().split('\n');
    const successful = await lines('successfulResults');
    const unprocessed = await lines('unprocessedrecords');
    expect(successful[0]).toBe('"sf__Id","sf__Created",Name');
    expect(unprocessed[0]).toBe('Name');
    expect(successful.length - 1).toBe(info.numberRecordsProcessed);
    expect(info.numberRecordsProcessed).toBeLessThan(total);
    // Every row once: processed, or unprocessed in the order uploaded.
    expect(successful.length - 1 + unprocessed.length - 1).toBe(total);
    expect(unprocessed[1]).toBe(`"Sliced ${info.numberRecordsProcessed}"`);
    expect(successful[1]).toMatch(/^"001[0-9A-Za-z]{15}","true","Sliced 0"$/);
  });
});

describe('Bulk API 2.0 job states', () => {
  it('shows InProgress while a job is being processed', async () => {
    const slow = await startLocalOrg({ orgs: [{ myDomain: 'slow', bulkJobMilliseconds: 300 }] });
    try {
      const call = dataApi(slow.issueAccessToken('slow'));
      const job = await createQueryJob(call, 'SELECT Id FROM Account');
      expect(job.state).toBe('UploadComplete');
      await new Promise((r) => setTimeout(r, 50));
      const during = (await (await call(`/jobs/query/${job.id}`)).json()) as { state: string };
      expect(during.state).toBe('InProgress');
      const early = await call(`/jobs/query/${job.id}/results`);
      expect(early.status).toBe(400);
      await new Promise((r) => setTimeout(r, 400));
      const after = (await (await call(`/jobs/query/${job.id}`)).json()) as { state: string };
      expect(after.state).toBe('JobComplete');
    } finally {
      await slow.close();
    }
  });
});

describe('Bulk API 2.0: queryAll, abort, update, and the daily query job count', () => {
  it('returns deleted rows to queryAll jobs only, and counts each query job', async () => {
    const org = local.org('bulk');
    const gone = (await conn.sobject('Account').create({ Name: 'Bulk Gone' })) as { id: string };
    await conn.sobject('Account').destroy(gone.id);
    const before = org.limits.report()['DailyBulkV2QueryJobs']?.Remaining ?? 0;
    const run = async (operation: string): Promise<string> => {
      const job = await createQueryJob(
        api,
        "SELECT Id, IsDeleted FROM Account WHERE Name = 'Bulk Gone'",
        operation,
      );
      expect(job.operation).toBe(operation);
      await waitFor(`/jobs/query/${job.id}`, 'JobComplete');
      return (await api(`/jobs/query/${job.id}/results`)).text();
    };
    expect(await run('query')).toBe('"Id","IsDeleted"\n');
    expect(await run('queryAll')).toBe(`"Id","IsDeleted"\n"${gone.id}","true"\n`);
    expect(org.limits.report()['DailyBulkV2QueryJobs']?.Remaining).toBe(Number(before) - 2);
  });

  it('aborts a query job still in progress', async () => {
    const slow = await startLocalOrg({
      orgs: [{ myDomain: 'slow-abort', bulkJobMilliseconds: 5_000 }],
    });
    try {
      const call = dataApi(slow.issueAccessToken('slow-abort'));
      const job = await createQueryJob(call, 'SELECT Id FROM Account');
      const aborted = (await (
        await call(`/jobs/query/${job.id}`, {
          method: 'PATCH',
          body: JSON.stringify({ state: 'Aborted' }),
        })
      ).json()) as { state: string };
      expect(aborted.state).toBe('Aborted');
      const info = (await (await call(`/jobs/query/${job.id}`)).json()) as { state: string };
      expect(info.state).toBe('Aborted');
    } finally {
      await slow.close();
    }
  });

  it('updates records by Id through an ingest job, failing only the bad rows', async () => {
    const created = (await conn
      .sobject('Account')
      .create([
        { Name: 'To Update 1' },
        { Name: 'To Update 2' },
        { Name: 'Deleted Before Update' },
      ])) as { id: string }[];
    await conn.sobject('Account').destroy(created[2]?.id ?? '');
    const result = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'update',
      input: `Id,Industry\n${created[0]?.id ?? ''},Banking\n${created[1]?.id ?? ''},Not An Industry\n${created[2]?.id ?? ''},Energy\n`,
      pollInterval: 50,
      pollTimeout: 10_000,
    });
    expect(result.successfulResults.map((r) => [r.sf__Id, r.sf__Created])).toEqual([
      [created[0]?.id, 'false'],
      [created[1]?.id, 'false'],
    ]);
    expect(result.failedResults).toHaveLength(1);
    expect(result.failedResults[0]?.sf__Error).toBe('ENTITY_IS_DELETED:entity is deleted:--');
    const back = await conn.sobject('Account').retrieve(created[0]?.id ?? '');
    expect(back['Industry']).toBe('Banking');
  });
});
