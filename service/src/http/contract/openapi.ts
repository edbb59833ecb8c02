import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { PATH_PARAMS, paramNames, type PathParamName } from './path-params.ts';
import { errorAnswer, type RouteContract } from './route-contract.ts';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

// Lets the generator read descriptions set with `.describe()` and `.openapi()` metadata.
extendZodWithOpenApi(z);

/** The API's current version prefix; the unversioned `/api/...` paths answer the same. */
export const API_VERSION_PREFIX = '/api/v1';

/** `/api/workspaces/:workspaceId` → `/workspaces/{workspaceId}` (relative to the server URL). */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/^\/api/, '').replace(/:([A-Za-z]+)/g, '{$1}');
}

const ERROR_STATUSES: Record<number, string> = {
  400: 'Invalid request (the body, query or a path parameter)',
  401: 'No or an unknown bearer token',
  403: 'The token may not do this',
  404: 'Not found in this workspace',
  409: 'Conflicts with the current state',
  422: 'Refused by the rules of the data or by Salesforce',
};

const describeStatus = (status: number): string =>
  ({ 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content' })[status] ?? `HTTP ${status}`;

/** A route as the OpenAPI generator wants it, from its contract. */
function routeConfig(method: string, path: string, contract: RouteContract): RouteConfig {
  const names = paramNames(path) as PathParamName[];
  const params = names.length
    ? z.object(Object.fromEntries(names.map((name) => [name, PATH_PARAMS[name] ?? z.string()])))
    : undefined;
  const responses: RouteConfig['responses'] = {};
  for (const [status, schema] of Object.entries(contract.responses)) {
    const media = contract.produces ?? 'application/json';
    responses[status] = {
      description: describeStatus(Number(status)),
      ...(schema ? { content: { [media]: { schema } } } : {}),
    };
  }
  for (const [status, description] of Object.entries(ERROR_STATUSES)) {
    responses[status] ??= { description, content: { 'application/json': { schema: errorAnswer } } };
  }
  return {
    method: method as RouteConfig['method'],
    path: openApiPath(path),
    operationId: `${method}${openApiPath(path)
      .split('/')
      .map((part) => part.replace(/[{}]/g, ''))
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('')
      .replace(/[^A-Za-z0-9]/g, '')}`,
    summary: contract.summary,
    security: [{ bearer: [] }],
    request: {
      ...(params ? { params } : {}),
      ...(contract.query ? { query: contract.query } : {}),
      ...(contract.body
        ? {
            body: {
              required: true,
              content: { [contract.consumes ?? 'application/json']: { schema: contract.body } },
            },
          }
        : {}),
    },
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of the routes given (API_ROUTES with their contracts). Built once per
 * process: the contracts do not change while it runs.
 */
export function buildOpenApiDocument(
  routes: readonly (readonly [string, string, ...unknown[]])[],
  contracts: Readonly<Record<string, RouteContract>>,
  extra: (registry: OpenAPIRegistry) => void = () => undefined,
): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A workspace API key (`pryzm_live_…`), a personal token, or the operator token',
  });
  for (const [method, path] of routes) {
    const contract = contracts[`${method} ${path}`];
    if (!contract) throw new Error(`No contract for ${method.toUpperCase()} ${path}`);
    registry.registerPath(routeConfig(method, path, contract));
  }
  extra(registry);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Pryzm Connector API',
      version: '1',
      description:
        'Records, connections to Salesforce orgs, mappings, sync jobs, conflicts, webhooks and ' +
        'events of a Pryzm workspace. Every path is served under `/api/v1` and, unversioned, under `/api`.',
    },
    servers: [{ url: API_VERSION_PREFIX }],
  });
}
