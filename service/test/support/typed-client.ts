import type { z } from 'zod';
import { CONTRACTS, type ContractKey } from '../../src/http/contract/contracts.ts';
import type { RouteContract } from '../../src/http/contract/route-contract.ts';

type Contract<K extends ContractKey> = (typeof CONTRACTS)[K];
type Schema<T> = T extends z.ZodTypeAny ? T : never;
type Input<K extends ContractKey> = {
  params?: Record<string, string>;
  query?: Contract<K> extends { query: infer Q } ? z.input<Schema<Q>> : never;
  body?: Contract<K> extends { body: infer B } ? z.input<Schema<B>> : never;
};
type Answers<K extends ContractKey> = Contract<K>['responses'];
type Answer<K extends ContractKey> = {
  [S in keyof Answers<K>]: Answers<K>[S] extends z.ZodTypeAny ? z.output<Answers<K>[S]> : null;
}[keyof Answers<K>];

export interface TypedResponse<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** Fills `:name` segments of a route's path from `params`. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(value);
  });
}

/**
 * A client typed by the API's contracts: the route is named as API_ROUTES spells it
 * (`'get /api/workspaces/:workspaceId/jobs'`), the query and body are checked by the compiler,
 * and every successful answer is parsed with the contract's schema for its status, so a handler
 * that answers something its contract does not describe fails the test that called it.
 */
export function typedClient(baseUrl: string, token?: string, prefix = '/api/v1') {
  async function request<K extends ContractKey>(
    route: K,
    input: Input<K> = {},
  ): Promise<TypedResponse<Answer<K>>> {
    const [method, path] = (route as string).split(' ') as [string, string];
    const contract = CONTRACTS[route] as RouteContract;
    const url = new URL(`${baseUrl}${prefix}${fillPath(path, input.params).slice('/api'.length)}`);
    for (const [name, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const response = await fetch(url, {
      method: method.toUpperCase(),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: input.body === undefined ? undefined : JSON.stringify(input.body),
    });
    const text = await response.text();
    const json: unknown =
      text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    const schema = contract.responses[response.status];
    if (response.ok) {
      if (schema === undefined) {
        throw new Error(`${route} answered ${response.status}, which its contract does not list`);
      }
      const parsed = schema ? schema.safeParse(json) : { success: true as const, data: null };
      if (!parsed.success) {
        throw new Error(
          `${route} answered ${response.status} outside its contract: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`,
        );
      }
    }
    return { status: response.status, body: json as Answer<K>, headers: response.headers };
  }

  /** Like `request`, but throws unless the answer is a success; returns the typed body. */
  async function ok<K extends ContractKey>(route: K, input: Input<K> = {}): Promise<Answer<K>> {
    const response = await request(route, input);
    if (response.status >= 300) {
      throw new Error(`${route} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body;
  }
  return { request, ok };
}

export type TypedClient = ReturnType<typeof typedClient>;
