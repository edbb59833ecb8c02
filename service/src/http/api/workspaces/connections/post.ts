import type { RequestHandler } from 'express';
import { z } from 'zod';
import { isPrivateKeyPem } from '../../../../salesforce/jwt-assertion.ts';
import { ENVIRONMENTS } from '../../../../salesforce/login-hosts.ts';
import type { Services } from '../../../../services.ts';
import { actorOf } from '../../../auth/principal.ts';
import { asyncHandler } from '../../../async-handler.ts';
import { unwrap } from '../../../outcome.ts';
import { parseInput } from '../../../validation.ts';
import { connectionView } from '../../../views.ts';
import { param } from '../../params.ts';
import { defineContract, timestamp } from '../../../contract/route-contract.ts';
import { connectionAnswer } from '../../../contract/answers.ts';

const target = {
  label: z.string().trim().min(1).max(120).optional(),
  environment: z.enum(ENVIRONMENTS).default('production'),
  /** My Domain login URL, for environment "custom". */
  loginUrl: z.string().url().optional(),
};

const body = z.discriminatedUnion('authFlow', [
  z
    .object({
      ...target,
      authFlow: z.literal('web_server'),
      clientId: z.string().min(1).max(255).optional(),
      clientSecret: z.string().min(1).max(255).optional(),
    })
    .strict(),
  z
    .object({
      ...target,
      authFlow: z.literal('jwt_bearer'),
      clientId: z.string().min(1).max(255),
      username: z.string().min(3).max(255),
      privateKey: z
        .string()
        .refine(
          isPrivateKeyPem,
          'must be a PEM RSA private key (Salesforce signs JWTs with RS256)',
        ),
    })
    .strict(),
  z
    .object({
      ...target,
      authFlow: z.literal('password'),
      clientId: z.string().min(1).max(255),
      clientSecret: z.string().min(1).max(255),
      username: z.string().min(3).max(255),
      password: z.string().min(1).max(255),
      securityToken: z.string().max(255).optional(),
    })
    .strict(),
]);

export const postConnectionContract = defineContract({
  summary: 'Connects an org (web_server answers 202 with an authorisation link)',
  body,
  responses: {
    201: connectionAnswer,
    202: z.object({
      connection: connectionAnswer,
      authorizationUrl: z.string().describe('Where the user signs in to Salesforce'),
      expiresAt: timestamp.describe('When the link stops working'),
    }),
  },
});

/**
 * POST /api/workspaces/:workspaceId/connections
 * web_server answers 202 with the link to open in a browser; jwt_bearer and password connect at
 * once and answer 201 with the Active connection.
 */
export function postConnection(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const input = parseInput(postConnectionContract.body, req.body);
    const workspaceId = param(req, 'workspaceId');
    const actor = actorOf(req);
    if (input.authFlow === 'web_server') {
      const pending = unwrap(await services.connections.startWebServer(workspaceId, actor, input));
      res.status(202).json({
        connection: connectionView(pending.connection),
        authorizationUrl: pending.authorizationUrl,
        expiresAt: pending.expiresAt,
      });
      return;
    }
    const connection = unwrap(
      input.authFlow === 'jwt_bearer'
        ? await services.connections.connectJwtBearer(workspaceId, actor, input)
        : await services.connections.connectPassword(workspaceId, actor, input),
    );
    res.status(201).json(connectionView(connection));
  });
}
