import type { Request } from 'express';
import type { Connection } from '../../../../connections/connection.ts';
import type { Services } from '../../../../services.ts';
import { unwrap } from '../../../outcome.ts';
import { param } from '../../params.ts';

/** The connection a request names, within the request's workspace. */
export async function connectionOf(req: Request, services: Services): Promise<Connection> {
  return unwrap(
    await services.connections.get(param(req, 'workspaceId'), param(req, 'connectionId')),
  );
}
