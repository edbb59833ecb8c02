import type { AuditEvent } from '../access/audit-log.ts';
import type { Member } from '../access/members.ts';

/** What the API shows of members and audit events: explicit fields only. */
export const memberView = (row: Member) => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const auditEventView = (event: AuditEvent) => ({
  id: event.id,
  at: event.at,
  actor: event.actor,
  action: event.action,
  target: event.target ?? null,
  ip: event.ip ?? null,
  outcome: event.outcome,
  status: event.status ?? null,
  detail: event.detail,
});
