import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, testSecurityEnv } from '../support/api.ts';
import { PROVIDERS, freshDatabaseUrl } from '../support/databases.ts';
import { bootService } from '../support/service.ts';
import { typedClient, type TypedClient } from '../support/typed-client.ts';

describe.each(PROVIDERS)('cursor paging of lists on %s', (provider) => {
  let service: Awaited<ReturnType<typeof bootService>>;
  const security = testSecurityEnv();
  let workspaceId: string;
  let client: TypedClient;

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl(provider), security.env);
    const workspace = await createWorkspace(service.url, security.adminToken, 'Paged');
    workspaceId = workspace.id;
    client = typedClient(service.url, workspace.key);
  });
  afterAll(async () => {
    await service.stop();
  });

  /** Follows `nextCursor` to the end of a list, a page of `limit` at a time. */
  async function everyPage<T>(
    read: (cursor?: string) => Promise<{ data: T[]; nextCursor: string | null }>,
  ): Promise<T[][]> {
    const pages: T[][] = [];
    let cursor: string | undefined;
    do {
      const page = await read(cursor);
      pages.push(page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 50);
    return pages;
  }

  it('pages records with limit and cursor, through the typed client', async () => {
    const route = 'post /api/workspaces/:workspaceId/record-types/:recordTypeKey/records';
    const params = { workspaceId, recordTypeKey: 'organization' };
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const record = await client.ok(route, { params, body: { values: { name: `Org ${i}` } } });
      created.push(record.id);
    }
    const pages = await everyPage((cursor) =>
      client.ok('get /api/workspaces/:workspaceId/record-types/:recordTypeKey/records', {
        params,
        query: { limit: 2, cursor },
      }),
    );
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((record) => record.id)).toEqual(created);
  });

  it('pages the short lists the same way', async () => {
    for (let i = 0; i < 3; i++) {
      await client.ok('post /api/workspaces/:workspaceId/api-keys', {
        params: { workspaceId },
        body: { name: `key ${i}` },
      });
    }
    const keys = await everyPage((cursor) =>
      client.ok('get /api/workspaces/:workspaceId/api-keys', {
        params: { workspaceId },
        query: { limit: 3, cursor },
      }),
    );
    expect(keys.map((page) => page.length)).toEqual([3, 1]);
    expect(new Set(keys.flat().map((key) => key.id)).size).toBe(4);

    const types = await everyPage((cursor) =>
      client.ok('get /api/workspaces/:workspaceId/record-types', {
        params: { workspaceId },
        query: { limit: 1, cursor },
      }),
    );
    expect(types.flat().map((type) => type.key)).toEqual(['organization', 'person']);
    expect(types.map((page) => page.length)).toEqual([1, 1]);

    const workspaces = await client.ok('get /api/workspaces', {});
    expect(workspaces).toEqual({
      data: [expect.objectContaining({ id: workspaceId })],
      nextCursor: null,
    });
    for (const route of [
      'get /api/workspaces/:workspaceId/connections',
      'get /api/workspaces/:workspaceId/jobs',
      'get /api/workspaces/:workspaceId/conflicts',
    ] as const) {
      expect(await client.ok(route, { params: { workspaceId } })).toEqual({
        data: [],
        nextCursor: null,
      });
    }
  });

  it('refuses a cursor that is not from the list, and an out-of-range limit', async () => {
    const unknown = await client.request('get /api/workspaces/:workspaceId/record-types', {
      params: { workspaceId },
      query: { cursor: 'no_such_type' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { code: 'invalid_cursor' } });
    const tooMany = await client.request('get /api/workspaces/:workspaceId/api-keys', {
      params: { workspaceId },
      query: { limit: 100000 },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
