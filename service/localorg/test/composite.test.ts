import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from 'jsforce';
import type { WriteTransaction } from '../src/core/contracts.ts';
import { startLocalOrg, type LocalOrg } from '../src/index.ts';

let local: LocalOrg;
let conn: Connection;

beforeAll(async () => {
  local = await startLocalOrg({ orgs: [{ myDomain: 'composite' }] });
  conn = new Connection({ ...local.issueAccessToken('composite'), version: '62.0' });
});

afterAll(async () => {
  await local.close();
});

interface CompositeResponse {
  compositeResponse: {
    body: unknown;
    httpStatusCode: number;
    referenceId: string;
    httpHeaders: Record<string, string>;
  }[];
}

function composite(body: unknown): Promise<CompositeResponse> {
  return conn.request({
    method: 'POST',
    url: '/services/data/v62.0/composite',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('/composite', () => {
  it('runs subrequests with @{ref} references as one transaction counted as one call', async () => {
    const seen: WriteTransaction[] = [];
    const off = local.eventBusHost.onCommit((tx) => seen.push(tx));
    const before = local.org('composite').limits.apiUsed;
    const out = await composite({
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'acct',
          body: { Name: 'Composite Co' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Contact',
          referenceId: 'ct',
          body: { LastName: 'Ref', AccountId: '@{acct.id}' },
        },
        {
          method: 'GET',
          url: '/services/data/v62.0/sobjects/Contact/@{ct.id}?fields=AccountId',
          referenceId: 'read',
        },
        {
          method: 'GET',
          url: "/services/data/v62.0/query?q=SELECT+Id+FROM+Account+WHERE+Name='Composite+Co'",
          referenceId: 'q',
        },
        {
          method: 'PATCH',
          url: '/services/data/v62.0/sobjects/Account/@{q.records[0].Id}',
          referenceId: 'upd',
          body: { Industry: 'Retail' },
        },
      ],
    });
    off();
    expect(out.compositeResponse.map((r) => r.httpStatusCode)).toEqual([201, 201, 200, 200, 204]);
    const acct = out.compositeResponse[0]?.body as { id: string };
    expect(out.compositeResponse[0]?.httpHeaders['Location']).toBe(
      `/services/data/v62.0/sobjects/Account/${acct.id}`,
    );
    expect((out.compositeResponse[2]?.body as { AccountId: string }).AccountId).toBe(acct.id);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.changes.map((c) => c.changeType)).toEqual(['CREATE', 'CREATE', 'UPDATE']);
    expect(local.org('composite').limits.apiUsed).toBe(before + 1);
  });

  it('rolls every subrequest back under allOrNone when one fails', async () => {
    const out = await composite({
      allOrNone: true,
      compositeRequest: [
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'ok',
          body: { Name: 'Never Saved' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Opportunity',
          referenceId: 'bad',
          body: { Name: 'No stage' },
        },
        {
          method: 'POST',
          url: '/services/data/v62.0/sobjects/Account',
          referenceId: 'after',
          body: { Name: 'Never Either' },
        },
      ],
    });
    expect(out.compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400, 400]);
    expect(out.compositeResponse[0]?.body).toEqual([
      {
        message:
          'The transaction was rolled back since another operation in the same transaction failed.',
        errorCode: 'PROCESSING_HALTED',
      },
    ]);
    expect((out.compositeResponse[1]?.body as { errorCode: string }[])[0]?.errorCode).toBe(
      'REQUIRED_FIELD_MISSING',
    );
    const left = await conn.query("SELECT Id FROM Account WHERE Name LIKE 'Never%'");
    expect(left.totalSize).toBe(0);
  });
});

describe('request size limits', () => {
  it('refuses more than 200 collection records and more than 25 composite subrequests', async () => {
    const records = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Account' },
      Name: `Too many ${i}`,
    }));
    await expect(
      conn.request({
        method: 'POST',
        url: '/services/data/v62.0/composite/sobjects',
        body: JSON.stringify({ allOrNone: false, records }),
        headers: { 'Content-Type': 'application/json' },
      }),
    ).rejects.toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
    const ok = await conn
      .sobject('Account')
      .create(records.slice(0, 200) as { Name: string }[], { allOrNone: true });
    expect(ok.filter((r) => r.success)).toHaveLength(200);

    const subrequests = Array.from({ length: 26 }, (_, i) => ({
      method: 'GET',
      url: '/services/data/v62.0/limits',
      referenceId: `r${i}`,
    }));
    await expect(composite({ compositeRequest: subrequests })).rejects.toMatchObject({
      errorCode: 'LIMIT_EXCEEDED',
    });
    const fine = await composite({ compositeRequest: subrequests.slice(0, 25) });
    expect(fine.compositeResponse.map((r) => r.httpStatusCode)).toEqual(Array(25).fill(200));
  });
});

describe('sObject Collections and queries inside /composite', () => {
  const api = '/services/data/v62.0';
  async function rawComposite(body: unknown) {
    const { accessToken, instanceUrl } = local.issueAccessToken('composite');
    const response = await fetch(`${instanceUrl}${api}/composite`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      limitInfo: response.headers.get('sforce-limit-info'),
      body: (await response.json()) as CompositeResponse,
    };
  }
  const upsert = (referenceId: string, records: Record<string, unknown>[]) => ({
    method: 'PATCH',
    url: `${api}/composite/sobjects/Account/Pryzm_ID__c`,
    referenceId,
    body: {
      allOrNone: false,
      records: records.map((r) => ({ attributes: { type: 'Account' }, ...r })),
    },
  });
  const query = (referenceId: string, soql: string) => ({
    method: 'GET',
    url: `${api}/query?q=${encodeURIComponent(soql)}`,
    referenceId,
  });

  it('runs collections upserts, then a query that reads their SystemModstamp, as one API call', async () => {
    const before = local.org('composite').limits.apiUsed;
    const out = await rawComposite({
      allOrNone: false,
      collateSubrequests: false,
      compositeRequest: [
        upsert('a', [{ Pryzm_ID__c: 'stamp-1', Name: 'Stamped One' }]),
        upsert('b', [{ Pryzm_ID__c: 'stamp-2', Name: 'Stamped Two' }]),
        query(
          'stamps',
          "SELECT Id, SystemModstamp, Name FROM Account WHERE Pryzm_ID__c IN ('stamp-1','stamp-2') ORDER BY Name",
        ),
      ],
    });
    expect(out.status).toBe(200);
    const [a, b, stamps] = out.body.compositeResponse;
    expect(a).toMatchObject({ httpStatusCode: 200, referenceId: 'a' });
    expect(a!.body).toEqual([expect.objectContaining({ success: true, created: true })]);
    expect(b!.httpStatusCode).toBe(200);
    expect(stamps).toMatchObject({ httpStatusCode: 200, referenceId: 'stamps' });
    const rows = (stamps!.body as { records: { Name: string; SystemModstamp: string }[] }).records;
    expect(rows.map((row) => row.Name)).toEqual(['Stamped One', 'Stamped Two']);
    expect(rows.every((row) => /^\d{4}-\d\d-\d\dT.*\+0000$/.test(row.SystemModstamp))).toBe(true);
    const used = local.org('composite').limits.apiUsed;
    expect(used - before).toBe(1);
    expect(out.limitInfo).toBe(local.org('composite').limits.header());
  });

  it('runs what does not depend on a failed subrequest when allOrNone is false', async () => {
    const out = await rawComposite({
      allOrNone: false,
      compositeRequest: [
        upsert(
          'bad',
          Array.from({ length: 201 }, (_, i) => ({ Pryzm_ID__c: `over-${i}`, Name: 'Over' })),
        ),
        {
          method: 'GET',
          url: `${api}/sobjects/Account/@{bad[0].id}?fields=Id`,
          referenceId: 'dependent',
        },
        query('independent', "SELECT Id FROM Account WHERE Pryzm_ID__c = 'stamp-1'"),
      ],
    });
    const [bad, dependent, independent] = out.body.compositeResponse;
    expect(bad!.httpStatusCode).toBe(400);
    expect(bad!.body).toEqual([expect.objectContaining({ errorCode: 'EXCEEDED_ID_LIMIT' })]);
    expect(dependent).toMatchObject({
      httpStatusCode: 400,
      body: [expect.objectContaining({ errorCode: 'PROCESSING_HALTED' })],
    });
    expect(independent!.httpStatusCode).toBe(200);
  });

  it('takes 5 collections or query subrequests and refuses a sixth (LIMIT_EXCEEDED)', async () => {
    const five = Array.from({ length: 5 }, (_, i) =>
      query(`q${i}`, "SELECT Id FROM Account WHERE Pryzm_ID__c = 'stamp-1'"),
    );
    const fine = await rawComposite({ compositeRequest: five });
    expect(fine.body.compositeResponse.map((r) => r.httpStatusCode)).toEqual(Array(5).fill(200));
    await expect(
      composite({
        compositeRequest: [...five, upsert('sixth', [{ Pryzm_ID__c: 'stamp-4', Name: 'Six' }])],
      }),
    ).rejects.toMatchObject({ errorCode: 'LIMIT_EXCEEDED' });
    // Other subrequests do not count toward the five.
    const mixed = await rawComposite({
      compositeRequest: [...five, { method: 'GET', url: `${api}/limits`, referenceId: 'limits' }],
    });
    expect(mixed.status).toBe(200);
  });

  it('meets faults and the daily limit once, as the call: its subrequests are part of it', async () => {
    const limits = local.org('composite').limits;
    const faults = local.faults('composite');
    faults.failRequests(2, 503);
    const subrequests = [
      query('one', 'SELECT Id FROM Account LIMIT 1'),
      query('two', 'SELECT Id FROM Account LIMIT 1'),
    ];
    expect((await rawComposite({ compositeRequest: subrequests })).status).toBe(503);
    const second = await rawComposite({ compositeRequest: subrequests });
    expect(second.status).toBe(503);
    const third = await rawComposite({ compositeRequest: subrequests });
    expect(third.body.compositeResponse.map((r) => r.httpStatusCode)).toEqual([200, 200]);
    // The call that spends the last request of the day runs all its subrequests.
    faults.setApiUsage(limits.apiMax - 1);
    const last = await rawComposite({ compositeRequest: subrequests });
    expect(last.body.compositeResponse.map((r) => r.httpStatusCode)).toEqual([200, 200]);
    expect(limits.apiUsed).toBe(limits.apiMax);
    expect((await rawComposite({ compositeRequest: subrequests })).status).toBe(403);
    faults.setApiUsage(0);
  });

  it('answers 414 to a request URI over 16,384 bytes, and runs the same query as a subrequest', async () => {
    const ids = Array.from({ length: 2_000 }, (_, i) => `'001${String(i).padStart(15, '0')}'`);
    const soql = `SELECT Id, SystemModstamp FROM Account WHERE Id IN (${ids.join(',')})`;
    const { accessToken, instanceUrl } = local.issueAccessToken('composite');
    const plain = await fetch(`${instanceUrl}${api}/query?q=${encodeURIComponent(soql)}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(plain.status).toBe(414);
    const out = await rawComposite({ compositeRequest: [query('long', soql)] });
    expect(out.body.compositeResponse[0]).toMatchObject({
      httpStatusCode: 200,
      body: expect.objectContaining({ totalSize: 0, done: true }),
    });
  });
});
