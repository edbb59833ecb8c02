import { describe, expect, it } from 'vitest';
import { SalesforceApiError, SalesforceClient, type HttpFetch } from './client.ts';
import { readStamps, upsertOneWithStamp, upsertWithStamps } from './composite.ts';

const INSTANCE = 'https://acme.my.salesforce.com';
const STAMP = '2026-12-06T10:00:00.000+0000';

interface Sub {
  method: string;
  url: string;
  referenceId: string;
  body?: { records: Record<string, unknown>[] } & Record<string, unknown>;
}
type SubAnswer = { httpStatusCode: number; body: unknown };

/** A client whose org answers each Composite subrequest with `answer`. */
function compositeClient(answer: (sub: Sub, call: number) => SubAnswer) {
  const calls: { allOrNone: unknown; collateSubrequests: unknown; subs: Sub[] }[] = [];
  const httpFetch: HttpFetch = async (url, init) => {
    expect(url).toBe(`${INSTANCE}/services/data/v63.0/composite`);
    const body = JSON.parse(String(init.body)) as {
      allOrNone: unknown;
      collateSubrequests: unknown;
      compositeRequest: Sub[];
    };
    calls.push({ ...body, subs: body.compositeRequest });
    return Response.json({
      compositeResponse: body.compositeRequest.map((sub) => ({
        ...answer(sub, calls.length),
        httpHeaders: {},
        referenceId: sub.referenceId,
      })),
    });
  };
  const client = new SalesforceClient(
    {
      current: async () => ({ accessToken: 't', instanceUrl: INSTANCE }),
      refresh: () => Promise.reject(new Error('no refresh')),
    },
    '63.0',
    () => {},
    undefined,
    httpFetch,
  );
  return { client, calls };
}

const soqlOf = (sub: Sub) => decodeURIComponent(sub.url.split('?q=')[1] ?? '');
const keysIn = (soql: string) => [...soql.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
const idOf = (key: string) => `001${key.padStart(15, '0')}`;

/** Upserts succeed (created), the stamp query answers every key it names. */
function org(sub: Sub): SubAnswer {
  if (sub.method === 'PATCH') {
    return {
      httpStatusCode: 200,
      body: sub.body!.records.map((r) => ({
        id: idOf(String(r['Key__c'])),
        success: true,
        errors: [],
        created: true,
      })),
    };
  }
  return {
    httpStatusCode: 200,
    body: {
      totalSize: 0,
      done: true,
      records: keysIn(soqlOf(sub)).map((key) => ({
        Id: idOf(key),
        SystemModstamp: STAMP,
        Key__c: key.toUpperCase(),
      })),
    },
  };
}

const records = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ Key__c: `k${i}`, Name: `N${i}` }));

describe('upsertWithStamps', () => {
  it('sends four collections of 200 and one stamp query per Composite call, in order', async () => {
    const { client, calls } = compositeClient(org);
    const results = await upsertWithStamps(client, 'Account', 'Key__c', records(1_000));
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ allOrNone: false, collateSubrequests: false });
    expect(calls[0]!.subs.map((sub) => `${sub.method} ${sub.referenceId}`)).toEqual([
      'PATCH upsert0',
      'PATCH upsert1',
      'PATCH upsert2',
      'PATCH upsert3',
      'GET stamps',
    ]);
    expect(calls[0]!.subs[0]).toMatchObject({
      url: '/services/data/v63.0/composite/sobjects/Account/Key__c',
      body: { allOrNone: false },
    });
    expect(calls[0]!.subs[0]!.body!.records).toHaveLength(200);
    expect(soqlOf(calls[0]!.subs[4]!)).toMatch(
      /^SELECT Id, SystemModstamp, Key__c FROM Account WHERE Key__c IN \('k0','k1',/,
    );
    expect(keysIn(soqlOf(calls[1]!.subs.at(-1)!))).toHaveLength(200);
    expect(results).toHaveLength(1_000);
    // Matched without regard to case, as external ids are.
    expect(results[999]).toMatchObject({
      id: idOf('k999'),
      success: true,
      created: true,
      systemModstamp: STAMP,
    });
  });

  it('fails the records of a refused subrequest with its error, and keeps the others', async () => {
    const { client } = compositeClient((sub) =>
      sub.referenceId === 'upsert1'
        ? {
            httpStatusCode: 400,
            body: [{ message: 'No such column', errorCode: 'INVALID_FIELD', fields: ['X'] }],
          }
        : org(sub),
    );
    const results = await upsertWithStamps(client, 'Account', 'Key__c', records(300));
    expect(results[0]).toMatchObject({ success: true, systemModstamp: STAMP });
    expect(results[250]).toEqual({
      id: null,
      success: false,
      created: false,
      systemModstamp: null,
      errors: [{ statusCode: 'INVALID_FIELD', message: 'No such column', fields: ['X'] }],
    });
  });

  it('sends again what was not processed (PROCESSING_HALTED), and no stamp when the query fails', async () => {
    const { client, calls } = compositeClient((sub, call) => {
      if (call === 1 && sub.referenceId === 'upsert0') {
        return {
          httpStatusCode: 400,
          body: [{ message: 'The transaction was rolled back', errorCode: 'PROCESSING_HALTED' }],
        };
      }
      if (call === 2 && sub.method === 'GET') {
        return { httpStatusCode: 400, body: [{ message: 'bad', errorCode: 'MALFORMED_QUERY' }] };
      }
      return org(sub);
    });
    const results = await upsertWithStamps(client, 'Account', 'Key__c', records(3));
    expect(calls).toHaveLength(2);
    expect(calls[1]!.subs[0]!.body!.records).toHaveLength(3);
    expect(results.map((r) => [r.success, r.systemModstamp])).toEqual([
      [true, null],
      [true, null],
      [true, null],
    ]);
  });

  it('escapes quotes in the keys it queries', async () => {
    const { client, calls } = compositeClient(org);
    await upsertWithStamps(client, 'Account', 'Key__c', [{ Key__c: "o'k\\", Name: 'Q' }]);
    expect(soqlOf(calls[0]!.subs[1]!)).toContain("IN ('o\\'k\\\\')");
  });
});

describe('upsertOneWithStamp', () => {
  it('upserts by external id and reads Id and SystemModstamp in the same call', async () => {
    const { client, calls } = compositeClient((sub) =>
      sub.method === 'PATCH'
        ? { httpStatusCode: 201, body: { id: '001A', success: true, errors: [], created: true } }
        : { httpStatusCode: 200, body: { Id: '001A', SystemModstamp: STAMP } },
    );
    const saved = await upsertOneWithStamp(client, 'Account', 'Key__c', 'a/b', {
      Key__c: 'a/b',
      attributes: { type: 'Account' },
      Name: 'One',
    });
    expect(saved).toEqual({ id: '001A', created: true, systemModstamp: STAMP });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.subs).toEqual([
      {
        method: 'PATCH',
        url: '/services/data/v63.0/sobjects/Account/Key__c/a%2Fb',
        referenceId: 'upsert',
        body: { Name: 'One' },
      },
      {
        method: 'GET',
        url: '/services/data/v63.0/sobjects/Account/Key__c/a%2Fb?fields=Id,SystemModstamp',
        referenceId: 'stamp',
      },
    ]);
  });

  it('takes the id from the read when the upsert answers 204 (API versions before 46.0)', async () => {
    const { client } = compositeClient((sub) =>
      sub.method === 'PATCH'
        ? { httpStatusCode: 204, body: null }
        : { httpStatusCode: 200, body: { Id: '001B', SystemModstamp: STAMP } },
    );
    expect(await upsertOneWithStamp(client, 'Account', 'Key__c', 'b', { Name: 'B' })).toEqual({
      id: '001B',
      created: false,
      systemModstamp: STAMP,
    });
  });

  it("throws Salesforce's error for a refused upsert, DUPLICATE_EXTERNAL_ID for 300", async () => {
    const refused = compositeClient((sub) =>
      sub.method === 'PATCH'
        ? {
            httpStatusCode: 400,
            body: [{ message: 'Required fields are missing', errorCode: 'REQUIRED_FIELD_MISSING' }],
          }
        : { httpStatusCode: 404, body: [{ message: 'Not found', errorCode: 'NOT_FOUND' }] },
    );
    await expect(
      upsertOneWithStamp(refused.client, 'Account', 'Key__c', 'c', { Name: null }),
    ).rejects.toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', status: 400 });
    const duplicate = compositeClient(() => ({ httpStatusCode: 300, body: ['/a', '/b'] }));
    const error = await upsertOneWithStamp(duplicate.client, 'Account', 'Key__c', 'd', {}).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SalesforceApiError);
    expect(error).toMatchObject({ errorCode: 'DUPLICATE_EXTERNAL_ID' });
  });
});

describe('readStamps', () => {
  it('reads 2,000 Ids a query and five queries a Composite call', async () => {
    const { client, calls } = compositeClient((sub) => ({
      httpStatusCode: 200,
      body: {
        done: true,
        records: keysIn(soqlOf(sub)).map((id) => ({ Id: id, SystemModstamp: STAMP })),
      },
    }));
    const ids = Array.from({ length: 12_001 }, (_, i) => idOf(String(i)));
    const stamps = await readStamps(client, 'Account', ids);
    expect(calls.map((call) => call.subs.length)).toEqual([5, 2]);
    expect(keysIn(soqlOf(calls[0]!.subs[0]!))).toHaveLength(2_000);
    expect(soqlOf(calls[0]!.subs[0]!)).toMatch(
      /^SELECT Id, SystemModstamp FROM Account WHERE Id IN/,
    );
    expect(stamps.size).toBe(12_001);
  });
});
