import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { apiKeyView } from '../../../../views.ts';
import { param } from '../../../params.ts';

/** GET /api/workspaces/:workspaceId/members/:memberId/tokens: names and prefixes, never secrets. */
export function getMemberTokens(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const tokens = unwrap(
      await services.members.listTokens(param(req, 'workspaceId'), param(req, 'memberId')),
    );
    res.json({ data: tokens.map(apiKeyView) });
  });
}
