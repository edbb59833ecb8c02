import type { RequestHandler } from 'express';
import type { Services } from '../../../services.ts';
import { auditActorOf, principalOf } from '../../auth/principal.ts';
import { clearedSessionCookies } from '../../auth/session-cookies.ts';
import { asyncHandler } from '../../async-handler.ts';
import { defineContract } from '../../contract/route-contract.ts';

export const deleteSessionContract = defineContract({
  summary: 'Signs the console out: the session ends at once and its cookies are cleared',
  responses: { 204: null },
});

/** DELETE /api/session: signs the console out (the session ends at once; cookies cleared). */
export function deleteSession(services: Services, secureCookies: () => boolean): RequestHandler {
  return asyncHandler(async (req, res) => {
    const principal = principalOf(req);
    if (principal.sessionId) {
      await services.consoleSessions.signOut(principal.sessionId);
      await services.audit.record({
        workspaceId: principal.kind === 'workspace' ? principal.workspaceId : null,
        actor: auditActorOf(req),
        action: 'console.sign_out',
        ip: req.ip ?? null,
        outcome: 'succeeded',
        status: 204,
      });
    }
    res.setHeader('Set-Cookie', clearedSessionCookies(secureCookies()));
    res.status(204).end();
  });
}
