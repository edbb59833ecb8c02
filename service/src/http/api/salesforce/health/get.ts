import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { asyncHandler } from '../../../async-handler.ts';
import { defineContract } from '../../../contract/route-contract.ts';

/**
 * The service's version, from its package.json (the same two folders up from src/ and dist/).
 * Read once: the package's Connect step shows it to the admin.
 */
const SERVICE_VERSION = (
  JSON.parse(readFileSync(new URL('../../../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

export const getSalesforceHealthContract = defineContract({
  summary:
    "The package's Connect step: the service is up and accepts the Named Credential's API key",
  responses: {
    200: z.object({ status: z.literal('ok'), version: z.string() }).strict(),
  },
});

/**
 * GET /api/salesforce/health: what PryzmServiceClient.health() asks through the Pryzm_Service
 * Named Credential. Reaching the handler means the key was accepted (a wrong one is 401 before).
 */
export function getSalesforceHealth(): RequestHandler {
  return asyncHandler(async (_req, res) => {
    res.json({ status: 'ok', version: SERVICE_VERSION });
  });
}
