import type { Request } from 'express';
import type { ConnectionRow } from '../../../../store/repositories/connections.ts';
import type { Services } from '../../../../workspaces/services.ts';
import { unwrap } from '../../../outcome.ts';
import { param } from '../../params.ts';

/** The connection a request names, within the request's workspace. */
export async function connectionOf(req: Request, services: Services): Promise<ConnectionRow> {
  return unwrap(
    await services.connections.get(param(req, 'workspaceId'), param(req, 'connectionId')),
  );
}
