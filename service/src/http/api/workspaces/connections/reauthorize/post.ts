import type { RequestHandler } from 'express';
import type { Services } from '../../../../../workspaces/services.ts';
import { actorOf } from '../../../../auth/principal.ts';
import { asyncHandler } from '../../../../async-handler.ts';
import { unwrap } from '../../../../outcome.ts';
import { connectionView } from '../../../../views.ts';
import { param } from '../../../params.ts';

/**
 * POST /api/workspaces/:workspaceId/connections/:connectionId/reauthorize
 * web_server: a new authorisation link (202); jwt_bearer and password: signs in again (200).
 */
export function postReauthorize(services: Services): RequestHandler {
  return asyncHandler(async (req, res) => {
    const result = unwrap(
      await services.connections.reauthorize(
        param(req, 'workspaceId'),
        param(req, 'connectionId'),
        actorOf(req),
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
