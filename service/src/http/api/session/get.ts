import type { RequestHandler } from 'express';
import { principalOf } from '../../auth/principal.ts';
import { asyncHandler } from '../../async-handler.ts';
import { defineContract } from '../../contract/route-contract.ts';
import { sessionAnswer } from '../access-answers.ts';

export const getSessionContract = defineContract({
  summary:
    "Who the caller is: the operator, or a workspace key, token or member's session with its role and the key or token's id",
  responses: { 200: sessionAnswer },
});

/** GET /api/session: who the caller is (the console asks this on load). */
export function getSession(): RequestHandler {
  return asyncHandler(async (req, res) => {
    const principal = principalOf(req);
    res.json(
      principal.kind === 'admin'
        ? { kind: 'operator', via: principal.sessionId ? 'session' : 'token' }
        : {
            kind: 'workspace',
            via: principal.sessionId ? 'session' : 'token',
            workspaceId: principal.workspaceId,
            role: principal.role,
            memberId: principal.memberId,
            // The console warns before revoking the key it is signed in with.
            keyId: principal.apiKeyId,
            expiresAt: principal.expiresAt,
          },
    );
  });
}
