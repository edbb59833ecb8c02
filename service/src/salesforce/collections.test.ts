import { describe, expect, it } from 'vitest';
import { SalesforceClient, type HttpFetch } from './client.ts';
import { deleteRecords, updateRecords, upsertByExternalId } from './collections.ts';

const INSTANCE = 'https://acme.my.salesforce.com';

function clientWith(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const requests: { method: string; path: string; body: unknown }[] = [];
  const httpFetch: HttpFetch = async (url, init) => {
    requests.push({
      method: String(init.method),
      path: url.replace(INSTANCE, ''),
      body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
    });
    return answer(url, init);
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
  return { client, requests };
}

/** Answers a collection call with one result per record, failing those without a Name. */
function collectionAnswer(_url: string, init: RequestInit): Response {
  const body = JSON.parse(String(init.body)) as { records: Record<string, unknown>[] };
  return Response.json(
    body.records.map((r, i) =>
      r['Name']
        ? {
            id: `001${String(r['Key__c'] ?? i).padStart(15, '0')}`,
            success: true,
            errors: [],
            created: i % 2 === 0,
          }
        : {
            success: false,
            errors: [
              {
                statusCode: 'REQUIRED_FIELD_MISSING',
                message: 'Required fields are missing: [Name]',
                fields: ['Name'],
              },
            ],
          },
    ),
  );
}

describe('upsertByExternalId', () => {
  it('sends 200 records per call with their type, allOrNone false, results in input order', async () => {
    const { client, requests } = clientWith(collectionAnswer);
    const records = Array.from({ length: 450 }, (_, i) => ({
      Key__c: String(i),
      ...(i === 201 ? {} : { Name: `Account ${i}` }),
    }));
    const results = await upsertByExternalId(client, 'Account', 'Key__c', records);
    expect(requests.map((r) => [r.method, r.path])).toEqual([
      ['PATCH', '/services/data/v63.0/composite/sobjects/Account/Key__c'],
      ['PATCH', '/services/data/v63.0/composite/sobjects/Account/Key__c'],
      ['PATCH', '/services/data/v63.0/composite/sobjects/Account/Key__c'],
    ]);
    const bodies = requests.map((r) => r.body as { allOrNone: boolean; records: unknown[] });
    expect(bodies.map((b) => [b.allOrNone, b.records.length])).toEqual([
      [false, 200],
      [false, 200],
      [false, 50],
    ]);
    expect(bodies[0]?.records[0]).toEqual({
      Key__c: '0',
      Name: 'Account 0',
      attributes: { type: 'Account' },
    });
    expect(results).toHaveLength(450);
    expect(results[449]).toEqual({
      id: '001000000000000449',
      success: true,
      errors: [],
      created: false,
    });
    expect(results[201]).toEqual({
      id: null,
      success: false,
      created: false,
      errors: [
        {
          statusCode: 'REQUIRED_FIELD_MISSING',
          message: 'Required fields are missing: [Name]',
          fields: ['Name'],
        },
      ],
    });
  });

  it('makes no call for no records and refuses names that are not API names', async () => {
    const { client, requests } = clientWith(collectionAnswer);
    expect(await upsertByExternalId(client, 'Account', 'Key__c', [])).toEqual([]);
    await expect(upsertByExternalId(client, 'Account', 'Key__c/../x', [{}])).rejects.toThrow();
    expect(requests).toHaveLength(0);
  });

  it('throws when Salesforce answers a different number of results', async () => {
    const { client } = clientWith(() => Response.json([]));
    await expect(
      upsertByExternalId(client, 'Account', 'Key__c', [{ Key__c: '1', Name: 'x' }]),
    ).rejects.toMatchObject({ errorCode: 'UNEXPECTED_RESPONSE' });
  });

  it('throws the error of a refused call', async () => {
    const { client } = clientWith(() =>
      Response.json(
        [{ errorCode: 'NOT_FOUND', message: 'Provided external ID field does not exist' }],
        { status: 404 },
      ),
    );
    await expect(
      upsertByExternalId(client, 'Account', 'Nope__c', [{ Nope__c: '1' }]),
    ).rejects.toMatchObject({ errorCode: 'NOT_FOUND', status: 404 });
  });
});

describe('updateRecords and deleteRecords', () => {
  it('update by Id through PATCH composite/sobjects', async () => {
    const { client, requests } = clientWith(collectionAnswer);
    const results = await updateRecords(client, [
      { Id: '001000000000000001', attributes: { type: 'Account' }, Name: 'New' },
    ]);
    expect(requests).toEqual([
      {
        method: 'PATCH',
        path: '/services/data/v63.0/composite/sobjects',
        body: {
          allOrNone: false,
          records: [{ Id: '001000000000000001', attributes: { type: 'Account' }, Name: 'New' }],
        },
      },
    ]);
    expect(results[0]?.success).toBe(true);
  });

  it('delete 200 ids per call with allOrNone false', async () => {
    const { client, requests } = clientWith((url) => {
      const ids = (new URL(url).searchParams.get('ids') ?? '').split(',');
      return Response.json(ids.map((id) => ({ id, success: true, errors: [] })));
    });
    const ids = Array.from({ length: 201 }, (_, i) => `001${String(i).padStart(15, '0')}`);
    const results = await deleteRecords(client, ids);
    expect(requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
    const query = new URL(`${INSTANCE}${requests[0]?.path}`).searchParams;
    expect(query.get('allOrNone')).toBe('false');
    expect(query.get('ids')?.split(',')).toHaveLength(200);
    expect(results.map((r) => r.id)).toEqual(ids);
    await expect(deleteRecords(client, ['001x,002'])).rejects.toThrow();
  });
});

describe('row locks', () => {
  it('sends again only the records another transaction had locked, and gives up after two more calls', async () => {
    let call = 0;
    const { client, requests } = clientWith((_url, init) => {
      call += 1;
      const body = JSON.parse(String(init.body)) as { records: Record<string, unknown>[] };
      return Response.json(
        body.records.map((record) =>
          // "Locked" stays locked on every call; "Busy" is free on the second.
          record['Name'] === 'Locked' || (record['Name'] === 'Busy' && call === 1)
            ? {
                success: false,
                errors: [
                  {
                    statusCode: 'UNABLE_TO_LOCK_ROW',
                    message: 'unable to obtain exclusive access to this record',
                    fields: [],
                  },
                ],
              }
            : { id: `001${String(record['Key__c']).padStart(15, '0')}`, success: true, errors: [] },
        ),
      );
    });
    const results = await upsertByExternalId(client, 'Account', 'Key__c', [
      { Key__c: '1', Name: 'Free' },
      { Key__c: '2', Name: 'Busy' },
      { Key__c: '3', Name: 'Locked' },
    ]);
    expect(results.map((result) => result.success)).toEqual([true, true, false]);
    expect(results[2]?.errors[0]?.statusCode).toBe('UNABLE_TO_LOCK_ROW');
    expect(
      requests.map((request) => (request.body as { records: unknown[] }).records.length),
    ).toEqual([3, 2, 1]);
  });
});
