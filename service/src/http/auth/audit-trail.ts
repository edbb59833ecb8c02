import type { RequestHandler, Response } from 'express';
import type { AuditLog, AuditOutcome } from '../../access/audit-log.ts';
import type { Logger } from '../../logging/logger.ts';
import { auditActorOf } from './principal.ts';

/**
 * Records a route's call in the audit trail: who (the principal), what (method and route),
 * when, from where (the client IP) and how it ended (the status). The entry is written before
 * the answer leaves, so a caller who got an answer finds the action in the trail. Denied calls
 * (403) are recorded too; calls refused before the workspace check (401, a foreign workspace's
 * 404) are not, since they name no workspace the caller may see.
 */
export function auditTrail(
  audit: AuditLog,
  logger: Logger,
  method: string,
  routePath: string,
): RequestHandler {
  const action = `${method.toUpperCase()} ${routePath.replace(/^\/api\/workspaces\/:workspaceId/, '') || '/'}`;
  return (req, res, next) => {
    // Read now: by the time an error answer ends, Express has moved on to a layer without params.
    const workspaceParam = req.params.workspaceId as string | undefined;
    let createdId: string | null = null;
    const json = res.json.bind(res);
    res.json = (body?: unknown) => {
      if (body && typeof body === 'object' && 'id' in body && typeof body.id === 'string') {
        createdId = body.id;
      }
      return json(body);
    };
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    let recorded = false;
    res.end = ((...args: unknown[]) => {
      if (recorded) return end(...args);
      recorded = true;
      audit
        .record({
          workspaceId: workspaceOf(workspaceParam, routePath, createdId),
          actor: auditActorOf(req),
          action,
          target: req.originalUrl.split('?')[0] ?? null,
          ip: req.ip ?? null,
          outcome: outcomeOf(res.statusCode),
          status: res.statusCode,
          detail: createdId && res.statusCode < 300 ? { id: createdId } : undefined,
        })
        .catch((error: unknown) => logger.error({ err: error, action }, 'audit record failed'))
        .finally(() => end(...args));
      return res;
    }) as Response['end'];
    next();
  };
}

function workspaceOf(
  param: string | undefined,
  routePath: string,
  createdId: string | null,
): string | null {
  if (typeof param === 'string') return param;
  // POST /api/workspaces: the action belongs to the workspace it made.
  return routePath === '/api/workspaces' ? createdId : null;
}

function outcomeOf(status: number): AuditOutcome {
  if (status === 401 || status === 403) return 'denied';
  return status < 400 ? 'succeeded' : 'failed';
}
