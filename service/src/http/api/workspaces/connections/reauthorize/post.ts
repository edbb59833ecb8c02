import type { RequestHandler } from 'express';
import { z } from 'zod';
import { isPrivateKeyPem } from '../../../../../salesforce/jwt-assertion.ts';
import type { Services } from '../../../../../services.ts';
import { actorOf } from '../../../../auth/principal.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { parseInput } from '../../../../validation.ts';
import { connectionView } from '../../../../views.ts';
import { param } from '../../../params.ts';
import { defineContract, timestamp } from '../../../../contract/route-contract.ts';
import { connectionAnswer } from '../../../../contract/answers.ts';

/** Optional new credentials: `privateKey` (jwt_bearer); `password`, `securityToken`, `clientSecret` (password). */
const body = z
  .object({
    privateKey: z
      .string()
      .refine(isPrivateKeyPem, 'must be a PEM RSA private key (Salesforce signs JWTs with RS256)')
      .optional(),
    password: z.string().min(1).max(255).optional(),
    securityToken: z.string().max(255).optional(),
    clientSecret: z.string().min(1).max(255).optional(),
  })
  .strict();

export const postReauthorizeContract = defineContract({
  summary: 'Signs in again (200) or answers a new authorisation link (202)',
  body,
  responses: {
    200: connectionAnswer,
    202: z.object({
      connection: connectionAnswer,
      authorizationUrl: z.string().describe('Where the user signs in to Salesforce again'),
      expiresAt: timestamp.describe('When the link stops working'),
    }),
  },
});

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/reauthorize
 * web_server: a new authorisation link (202); jwt_bearer and password: signs in again (200),
 * with the stored credentials or the new ones in the body (stored once Salesforce accepts them).
 */
export function postReauthorize(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const credentials = parseInput(postReauthorizeContract.body, req.body);
    const result = unwrap(
      await services.connections.reauthorize(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        actorOf(req),
        credentials,
      ),
    );
    if (result.authorizationUrl) {
      res.status(202).json({
        connection: connectionView(result.connection),
        authorizationUrl: result.authorizationUrl,
        expiresAt: result.expiresAt,
      });
      return;
    }
    res.json(connectionView(result.connection));
  });
}
