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
