import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { apiKeyView } from '../../../views.ts';
import { param } from '../../params.ts';
import { parseInput } from '../../../validation.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { pageAnswer, pageOfList, pageQuery } from '../../../contract/paging.ts';
import { apiKeyAnswer } from '../../../contract/answers.ts';
import { z } from 'zod';

export const getApiKeysContract = defineContract({
  summary: 'API keys of the workspace: names and prefixes, never secrets',
  query: z.object(pageQuery).strict(),
  responses: { 200: pageAnswer(apiKeyAnswer) },
});

/** GET /api/workspaces/:workspaceId/api-keys: names and prefixes, never secrets. */
export function getApiKeys(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const pageRequest = parseInput(getApiKeysContract.query, req.query);
    const keys = await services.workspaces.listApiKeys(param(req, 'workspaceId'));
    const page = pageOfList(keys, (key) => key.id, pageRequest);
    res.json({ data: page.data.map(apiKeyView), nextCursor: page.nextCursor });
  });
}
