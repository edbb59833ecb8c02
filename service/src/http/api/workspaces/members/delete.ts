import type { RequestHandler } from 'express';
import type { Services } from '../../../../services.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { memberView } from '../../../views-access.ts';
import { param } from '../../params.ts';
import { defineContract } from '../../../contract/route-contract.ts';
import { memberAnswer } from '../../access-answers.ts';

export const deleteMemberContract = defineContract({
  summary: 'Removes a member and their personal tokens (Admins)',
  responses: { 200: memberAnswer },
});

/** DELETE /api/workspaces/:workspaceId/members/:memberId: the member and their tokens go. */
export function deleteMember(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const member = unwrap(
      await services.members.remove(param(req, 'workspaceId'), param(req, 'memberId')),
    );
    res.json(memberView(member));
  });
}
