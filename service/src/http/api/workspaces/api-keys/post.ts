import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { parseInput } from '../../../validation.ts';
import { apiKeyView } from '../../../views.ts';
import { param } from '../../params.ts';

const body = z.object({ name: z.string().trim().min(1).max(120) }).strict();

/** POST /api/workspaces/:workspaceId/api-keys: the secret is in this response only. */
export function postApiKey(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { name } = parseInput(body, req.body);
    const key = await services.workspaces.issueApiKey(param(req, 'workspaceId'), name);
    res.status(201).json({ ...apiKeyView(key), secret: key.secret });
  });
}
