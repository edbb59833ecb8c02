import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Services } from '../../../services.ts';
import { asyncHandler } from '../../async-handler.ts';
import { ApiError } from '../../errors/api-error.ts';
import { sessionCookies } from '../../auth/session-cookies.ts';
import { parseInput } from '../../validation.ts';
import { defineContract } from '../../contract/route-contract.ts';
import { openedSessionAnswer } from '../access-answers.ts';

const body = z.object({ link: z.string().min(1).max(200) }).strict();

export const postSessionContract = defineContract({
  summary: 'Exchanges a one-time sign-in link for a console session (cookies)',
  body,
  responses: { 201: openedSessionAnswer },
});

/**
 * POST /api/session {link}: exchanges a one-time sign-in link for a console session (the
 * operator's, or a member's acting with the member's role in the member's workspace). The
 * session secret goes into an httpOnly cookie; the CSRF token into a readable cookie and this
 * body, for the console to repeat in `X-CSRF-Token` on every write.
 */
export function postSession(services: Services, secureCookies: () => boolean): RequestHandler {
  return asyncHandler(async (req, res) => {
    const { link } = parseInput(body, req.body);
    const session = await services.consoleSessions.exchange(link);
    await services.audit.record({
      // A member's sign-in belongs to the member's workspace (its Admins read it there).
      workspaceId: session?.member?.workspaceId ?? null,
      actor: { kind: session ? 'console_session' : 'operator', id: session?.id ?? null },
      action: 'console.sign_in',
      ip: req.ip ?? null,
      outcome: session ? 'succeeded' : 'denied',
      status: session ? 201 : 401,
    });
    if (!session) {
      throw new ApiError(401, 'invalid_link', 'The sign-in link is unknown, used or expired');
    }
    res.setHeader('Set-Cookie', sessionCookies(session, secureCookies()));
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(
      session.member
        ? {
            kind: 'workspace',
            workspaceId: session.member.workspaceId,
            memberId: session.member.id,
            role: session.member.role,
            csrfToken: session.csrfToken,
            expiresAt: session.expiresAt,
          }
        : { kind: 'operator', csrfToken: session.csrfToken, expiresAt: session.expiresAt },
    );
  });
}
