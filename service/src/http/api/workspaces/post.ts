import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../services.ts';
import { requireAdmin } from '../../auth/principal.ts';
import { asyncHandler } from '../../async-handler.ts';
import { unwrap } from '../../outcome.ts';
import { parseInput } from '../../validation.ts';
import { apiKeyView, workspaceView } from '../../views.ts';
import { defineContract } from '../../contract/route-contract.ts';
import { issuedApiKeyAnswer, workspaceAnswer } from '../../contract/answers.ts';

const body = z
  .object({
    name: z.string().trim().min(1).max(120),
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes (2-63)')
      .optional(),
  })
  .strict();

export const postWorkspaceContract = defineContract({
  summary: 'Creates a workspace with the built-in record types and a first API key (operator)',
  body,
  responses: { 201: workspaceAnswer.extend({ apiKey: issuedApiKeyAnswer }) },
});

/** POST /api/workspaces (admin): a workspace with the built-in record types and a first API key. */
export function postWorkspace(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    requireAdmin(req);
    const input = parseInput(postWorkspaceContract.body, req.body);
    const slug = input.slug ?? slugify(input.name);
    const { workspace, apiKey } = unwrap(
      await services.workspaces.create({ name: input.name, slug }),
    );
    res.status(201).json({
      ...workspaceView(workspace),
      apiKey: { ...apiKeyView(apiKey), secret: apiKey.secret },
    });
  });
}

function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  return base.length >= 2 ? base : `workspace-${base}`.replace(/-$/, '');
}
