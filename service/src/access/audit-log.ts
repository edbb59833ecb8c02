import type {
  AuditEventRepository,
  AuditEventRow,
  AuditPosition,
} from '../store/repositories/audit-events.ts';

/** Who acted: the operator's configured token, a workspace key or token, or a console session. */
export interface AuditActor {
  kind: 'operator' | 'api_key' | 'console_session';
  /** The key or session id; null for the operator's configured token. */
  id: string | null;
}

export type AuditOutcome = 'succeeded' | 'failed' | 'denied';

/** One administrative action, as a use case or the HTTP layer reports it. */
export interface AuditEntry {
  /** The workspace acted on; null for actions outside any workspace (console sign-in). */
  workspaceId: string | null;
  actor: AuditActor;
  /** What was done, e.g. `POST connections` or `webhook.redeliver`. */
  action: string;
  /** What it was done to, e.g. a path or an id. */
  target?: string | null;
  /** Where the request came from. */
  ip?: string | null;
  outcome: AuditOutcome;
  /** The HTTP status the caller got, when there was one. */
  status?: number | null;
  /** Anything else worth keeping: small scalar values only, never a secret. */
  detail?: Record<string, string | number | boolean | null>;
}

export interface AuditEvent extends Omit<AuditEntry, 'detail'> {
  id: string;
  at: Date;
  detail: Record<string, unknown> | null;
}

export interface AuditPage {
  events: AuditEvent[];
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

const MAX_DETAIL_CHARS = 4000;

/** The audit trail of administrative actions: who did what, when, from where, and how it ended. */
export class AuditLog {
  constructor(private readonly repository: AuditEventRepository) {}

  async record(entry: AuditEntry): Promise<void> {
    const detail = entry.detail ? JSON.stringify(entry.detail).slice(0, MAX_DETAIL_CHARS) : null;
    await this.repository.append({
      workspaceId: entry.workspaceId,
      actorKind: entry.actor.kind,
      actorId: entry.actor.id,
      action: entry.action.slice(0, 300),
      target: entry.target?.slice(0, 500) ?? null,
      ip: entry.ip ?? null,
      outcome: entry.outcome,
      status: entry.status ?? null,
      detail,
    });
  }

  /**
   * A workspace's trail newest first. The cursor is opaque to callers; an unreadable one is
   * refused (null), never taken as "from the start".
   */
  async page(
    workspaceId: string,
    options: { limit: number; cursor?: string; outcome?: AuditOutcome; actorId?: string },
  ): Promise<AuditPage | null> {
    let after: AuditPosition | undefined;
    if (options.cursor !== undefined) {
      const decoded = decodeCursor(options.cursor);
      if (!decoded) return null;
      after = decoded;
    }
    const rows = await this.repository.page(workspaceId, options.limit + 1, after, {
      outcome: options.outcome,
      actorId: options.actorId,
    });
    const events = rows.slice(0, options.limit).map(toEvent);
    const last = events.at(-1);
    return {
      events,
      nextCursor: rows.length > options.limit && last ? encodeCursor(last) : null,
    };
  }
}

function toEvent(row: AuditEventRow): AuditEvent {
  let detail: Record<string, unknown> | null = null;
  try {
    detail = row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : null;
  } catch {
    // A detail cut at the size cap is no longer JSON: keep the event, drop the detail.
  }
  return {
    id: row.id,
    at: row.at,
    workspaceId: row.workspaceId,
    actor: { kind: row.actorKind as AuditActor['kind'], id: row.actorId },
    action: row.action,
    target: row.target,
    ip: row.ip,
    outcome: row.outcome as AuditOutcome,
    status: row.status,
    detail,
  };
}

function encodeCursor(position: { at: Date; id: string }): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): AuditPosition | null {
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!iso || !id || rest.length > 0 || !/^[0-9a-f-]{36}$/.test(id)) return null;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) || at.toISOString() !== iso ? null : { at, id };
}
