import type { RequestHandler } from 'express';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { apiKeyView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { accessKeyAnswer } from '../../../access-answers.ts';

export const deleteMemberTokenContract = defineContract({
  summary: 'Revokes a personal token and every key it minted (Admins)',
  responses: { 200: accessKeyAnswer },
});

/** DELETE /api/workspaces/:workspaceId/members/:memberId/tokens/:tokenId: revoked at once. */
export function deleteMemberToken(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const token = unwrap(
      await services.members.revokeToken(
        param(req, 'workspaceId'),
        param(req, 'memberId'),
        param(req, 'tokenId'),
      ),
    );
    res.json(apiKeyView(token));
  });
}
