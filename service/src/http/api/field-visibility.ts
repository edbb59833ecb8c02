import type { Request } from 'express';
import { seesSensitive } from '../../access/field-hiding.ts';
import type { Services } from '../../services.ts';
import { roleOfCaller } from '../auth/principal.ts';
import { param } from './params.ts';

/**
 * The attribute keys the caller must not see in per-field entries (conflicts, job results):
 * none for Admins, Editors and the operator; the workspace's sensitive attributes for Viewers.
 */
export async function hiddenAttributesFor(req: Request, services: Services): Promise<Set<string>> {
  if (seesSensitive(roleOfCaller(req))) return new Set();
  return services.fieldHiding.workspaceSensitiveKeys(param(req, 'workspaceId'));
}
