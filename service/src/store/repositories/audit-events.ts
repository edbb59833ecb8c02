import type { PrismaClient } from '../database.ts';

export interface AuditEventRow {
  id: string;
  workspaceId: string | null;
  at: Date;
  actorKind: string;
  actorId: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  outcome: string;
  status: number | null;
  detail: string | null;
}

export type NewAuditEvent = Omit<AuditEventRow, 'id' | 'at'>;

/** Narrows a page of the trail: only events with this outcome, or by this key or session. */
export interface AuditFilter {
  outcome?: string;
  actorId?: string;
}

/** Where a page of the trail ends: the newest-first order is (at desc, id desc). */
export interface AuditPosition {
  at: Date;
  id: string;
}

/** The audit trail: appended to, read newest first, never changed. */
export class AuditEventRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async append(event: NewAuditEvent): Promise<AuditEventRow> {
    return this.prisma.auditEvent.create({ data: event });
  }

  /** One page of a workspace's trail, newest first, strictly after `after` when given. */
  page(
    workspaceId: string,
    limit: number,
    after?: AuditPosition,
    filter: AuditFilter = {},
  ): Promise<AuditEventRow[]> {
    return this.prisma.auditEvent.findMany({
      where: {
        workspaceId,
        ...(filter.outcome === undefined ? {} : { outcome: filter.outcome }),
        ...(filter.actorId === undefined ? {} : { actorId: filter.actorId }),
        ...(after
          ? { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] }
          : {}),
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }
}
