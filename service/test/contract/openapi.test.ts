import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CONTRACTS } from '../../src/http/contract/contracts.ts';
import { buildOpenApiDocument, openApiPath } from '../../src/http/contract/openapi.ts';
import { defineContract, type RouteContract } from '../../src/http/contract/route-contract.ts';
import { API_ROUTES } from '../../src/http/routes.ts';
import { apiClient, testSecurityEnv } from '../support/api.ts';
import { freshDatabaseUrl } from '../support/databases.ts';
import { bootService } from '../support/service.ts';

type Document = { openapi: string; paths: Record<string, Record<string, unknown>> };

describe('the OpenAPI document', () => {
  let service: Awaited<ReturnType<typeof bootService>>;
  const security = testSecurityEnv();
  let document: Document;

  beforeAll(async () => {
    service = await bootService(await freshDatabaseUrl('sqlite'), security.env);
    const response = await fetch(`${service.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
  });
  afterAll(async () => {
    await service.stop();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(
      document as unknown as Parameters<Validator['validate']>[0],
    );
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists exactly the routes the service has', () => {
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`))
      .sort();
    const routes = API_ROUTES.map(([method, path]) => `${method} ${openApiPath(path)}`).sort();
    expect(documented).toEqual(routes);
  });

  it('has a contract for every route and no contract without a route', () => {
    const routeKeys = API_ROUTES.map(([method, path]) => `${method} ${path}`).sort();
    expect(Object.keys(CONTRACTS).sort()).toEqual(routeKeys);
  });

  it('pages every list: an answer with `data` has `nextCursor` and takes `limit` and `cursor`', () => {
    const lists = Object.entries(CONTRACTS as Record<string, RouteContract>).filter(
      ([, contract]) => {
        const answer = contract.responses[200];
        return answer instanceof z.ZodObject && 'data' in answer.shape;
      },
    );
    expect(lists.length).toBeGreaterThanOrEqual(10);
    for (const [key, contract] of lists) {
      const answer = contract.responses[200] as z.AnyZodObject;
      expect(Object.keys(answer.shape), key).toContain('nextCursor');
      const query = contract.query as z.AnyZodObject | undefined;
      expect(Object.keys(query?.shape ?? {}), key).toEqual(
        expect.arrayContaining(['limit', 'cursor']),
      );
    }
  });

  it('refuses to describe a route without a contract', () => {
    const contracts = CONTRACTS as Record<string, RouteContract>;
    expect(() =>
      buildOpenApiDocument(
        [...API_ROUTES, ['get', '/api/workspaces/:workspaceId/nothing']],
        contracts,
      ),
    ).toThrow(/No contract for GET \/api\/workspaces\/:workspaceId\/nothing/);
    const extra = defineContract({ summary: 'x', responses: { 200: z.object({}) } });
    expect(() =>
      buildOpenApiDocument([['get', '/api/workspaces/:workspaceId/nothing']], {
        'get /api/workspaces/:workspaceId/nothing': extra,
      }),
    ).not.toThrow();
  });

  it('documents path parameters, bodies and error answers', () => {
    const operation = document.paths['/workspaces/{workspaceId}/records/{recordId}']!.patch as {
      parameters: { name: string; in: string; required: boolean; schema: { format?: string } }[];
      requestBody: { content: Record<string, unknown> };
      responses: Record<string, unknown>;
    };
    expect(operation.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['workspaceId', 'path', true],
      ['recordId', 'path', true],
    ]);
    expect(operation.parameters[0]!.schema.format).toBe('uuid');
    expect(Object.keys(operation.requestBody.content)).toEqual(['application/json']);
    expect(Object.keys(operation.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '404', '409']),
    );
  });

  it('is served under /api/v1 too, and so is every route', async () => {
    const versioned = await fetch(`${service.url}/api/v1/openapi.json`);
    expect(await versioned.json()).toEqual(document);
    const admin = apiClient(service.url, security.adminToken);
    const v1 = await admin.get<{ data: unknown[] }>('/api/v1/workspaces');
    const plain = await admin.get<{ data: unknown[] }>('/api/workspaces');
    expect(v1.status).toBe(200);
    expect(v1.body).toEqual(plain.body);
    expect((await apiClient(service.url).get('/api/v1/workspaces')).status).toBe(401);
    expect((await admin.get('/api/v1/no-such-route')).status).toBe(404);
  });

  it('answers 400 for a malformed path parameter, before anything else', async () => {
    const admin = apiClient(service.url, security.adminToken);
    const response = await admin.get('/api/v1/workspaces/not-a-uuid/records/also-not');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      error: { code: 'invalid_path_parameter', parameter: 'workspaceId' },
    });
  });
});
