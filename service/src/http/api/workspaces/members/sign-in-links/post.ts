import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../../../services.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { defineContract } from '../../../../contract/route-contract.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { memberSignInLinkAnswer } from '../../../access-answers.ts';
import { signInUrl } from '../../../session/links/post.ts';
import { param } from '../../../params.ts';

/** The route takes no options: a body, if any, must be empty. */
const body = z.object({}).strict();

export const postMemberSignInLinkContract = defineContract({
  summary:
    "A one-time console sign-in link for a member (15 minutes, single use, shown once); the session it opens acts with the member's role (Admins)",
  body,
  responses: { 201: memberSignInLinkAnswer },
});

/**
 * POST /api/workspaces/:workspaceId/members/:memberId/sign-in-links: a one-time link an Admin
 * hands to a member. Exchanged through POST /api/session like the operator's links, it opens a
 * console session in the member's workspace with the member's role (as it is at each request).
 * Only the link's hash is stored: this answer is the only place it is shown.
 */
export function postMemberSignInLink(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    parseInput(body, req.body);
    const member = unwrap(
      await services.members.get(param(req, 'workspaceId'), param(req, 'memberId')),
    );
    const link = await services.consoleSessions.createMemberSignInLink(member.id);
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json({
      memberId: member.id,
      link: link.secret,
      url: signInUrl(`${req.protocol}://${req.get('host') ?? 'localhost'}`, link.secret),
      expiresAt: link.expiresAt,
    });
  });
}
