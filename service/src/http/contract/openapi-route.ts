import type { RequestHandler } from 'express';
import { CONTRACTS } from './contracts.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.ts';
import type { RouteContract } from './route-contract.ts';

/**
 * GET /api/openapi.json (and /api/v1/openapi.json): the contract as OpenAPI 3.1. Public, like a
 * published API reference: it describes routes, never data. Built on first request.
 */
export function getOpenApiDocument(
  routes: readonly (readonly [string, string, ...unknown[]])[],
): RequestHandler {
  let document: OpenApiDocument | undefined;
  return (_req, res) => {
    document ??= buildOpenApiDocument(routes, CONTRACTS as Record<string, RouteContract>);
    res.json(document);
  };
}
