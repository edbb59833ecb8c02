import type { PryzmValues } from '../../mapping/index.ts';
import type { PrismaClient } from '../database.ts';
import type { PushCandidate } from './sync-push.ts';

/** A Pryzm record changed after an auto push cursor, live or deleted, with its link. */
export interface ChangedRecord extends PushCandidate {
  deletedAt: Date | null;
}

/** Where a read of changed records goes on from: the last record read, by (updatedAt, id). */
export interface ChangePosition {
  updatedAt: Date;
  id: string;
}

/**
 * Auto push state: one lease per connection (a process pushes a connection's changes while it
 * holds it) and, per Salesforce object, the `updatedAt` of the newest Pryzm record looked at.
 */
export class AutoPushRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Active connections with at least one enabled mapping that pushes and has auto push on. */
  async connectionsToPush(): Promise<{ id: string; workspaceId: string }[]> {
    return this.prisma.connection.findMany({
      where: {
        status: 'active',
        mappings: { some: { enabled: true, autoPush: true, direction: { not: 'pull' } } },
      },
      select: { id: true, workspaceId: true },
    });
  }

  /**
   * Takes or renews the connection's auto push lease until `now + ttlMs`: it succeeds when
   * nobody holds it, this process does, or the holder's lease ran out. One conditional UPDATE,
   * so two processes cannot both win.
   */
  async acquire(
    connectionId: string,
    holderId: string,
    ttlMs: number,
    /** Whether a holder is known to be dead (a process of this host that is gone). */
    isDead: (holder: string) => boolean = () => false,
  ): Promise<boolean> {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + ttlMs);
    await this.prisma.autoPushState.upsert({
      where: { connectionId },
      create: { connectionId, cursors: {} },
      update: {},
    });
    const { count } = await this.prisma.autoPushState.updateMany({
      where: { connectionId, OR: [{ holderId: null }, { holderId }, { expiresAt: { lt: now } }] },
      data: { holderId, expiresAt },
    });
    if (count > 0) return true;
    const current = await this.prisma.autoPushState.findUnique({
      where: { connectionId },
      select: { holderId: true },
    });
    if (!current?.holderId || !isDead(current.holderId)) return false;
    const taken = await this.prisma.autoPushState.updateMany({
      where: { connectionId, holderId: current.holderId },
      data: { holderId, expiresAt },
    });
    return taken.count > 0;
  }

  /** Gives the lease up (a graceful stop), so another process takes over at once. */
  async release(connectionId: string, holderId: string): Promise<void> {
    await this.prisma.autoPushState.updateMany({
      where: { connectionId, holderId },
      data: { holderId: null, expiresAt: null },
    });
  }

  /** Per Salesforce object, the `updatedAt` up to which records were looked at. */
  async cursors(connectionId: string): Promise<Record<string, Date>> {
    const row = await this.prisma.autoPushState.findUnique({
      where: { connectionId },
      select: { cursors: true },
    });
    const stored = (row?.cursors ?? {}) as Record<string, string>;
    return Object.fromEntries(Object.entries(stored).map(([name, at]) => [name, new Date(at)]));
  }

  /**
   * Moves an object's cursor forward, fenced by the lease: false (nothing written) when another
   * process holds the connection's auto push now.
   */
  async saveCursor(
    connectionId: string,
    holderId: string,
    salesforceObject: string,
    at: Date,
  ): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const row = await tx.autoPushState.findUnique({
        where: { connectionId },
        select: { holderId: true, cursors: true },
      });
      if (!row || row.holderId !== holderId) return false;
      const cursors = { ...(row.cursors as Record<string, string>) };
      const previous = cursors[salesforceObject];
      if (previous && new Date(previous) >= at) return true;
      cursors[salesforceObject] = at.toISOString();
      const { count } = await tx.autoPushState.updateMany({
        where: { connectionId, holderId },
        data: { cursors },
      });
      return count > 0;
    });
  }

  /**
   * Forgets the cursors of objects no longer auto-pushed, fenced by the lease: turned on again,
   * such an object starts from that mapping's save, not from changes made while it was off.
   */
  async keepCursors(connectionId: string, holderId: string, keep: string[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const row = await tx.autoPushState.findUnique({
        where: { connectionId },
        select: { cursors: true },
      });
      if (!row) return;
      const stored = row.cursors as Record<string, string>;
      const kept = Object.fromEntries(
        Object.entries(stored).filter(([name]) => keep.includes(name)),
      );
      if (Object.keys(kept).length === Object.keys(stored).length) return;
      await tx.autoPushState.updateMany({
        where: { connectionId, holderId },
        data: { cursors: kept },
      });
    });
  }

  /** The newest `updatedAt` among a record type's records (deleted ones too), if any. */
  async newestChange(workspaceId: string, recordTypeId: string): Promise<Date | null> {
    const row = await this.prisma.pryzmRecord.findFirst({
      where: { workspaceId, recordTypeId },
      orderBy: { updatedAt: 'desc' },
      select: { updatedAt: true },
    });
    return row?.updatedAt ?? null;
  }

  /** The oldest `updatedAt` after `after` among a record type's records: the longest waiting. */
  async oldestChangeAfter(
    workspaceId: string,
    recordTypeId: string,
    after: Date,
  ): Promise<Date | null> {
    const row = await this.prisma.pryzmRecord.findFirst({
      where: { workspaceId, recordTypeId, updatedAt: { gt: after } },
      orderBy: { updatedAt: 'asc' },
      select: { updatedAt: true },
    });
    return row?.updatedAt ?? null;
  }

  /**
   * Records of a type updated after `since` (or after `after`, the last one a previous page
   * read), oldest change first, with their link to the object on the connection.
   */
  async changedSince(input: {
    workspaceId: string;
    recordTypeId: string;
    connectionId: string;
    salesforceObject: string;
    since: Date;
    after: ChangePosition | null;
    limit: number;
  }): Promise<ChangedRecord[]> {
    const position = input.after
      ? {
          OR: [
            { updatedAt: { gt: input.after.updatedAt } },
            { updatedAt: input.after.updatedAt, id: { gt: input.after.id } },
          ],
        }
      : { updatedAt: { gt: input.since } };
    const rows = await this.prisma.pryzmRecord.findMany({
      where: { workspaceId: input.workspaceId, recordTypeId: input.recordTypeId, ...position },
      orderBy: [{ updatedAt: 'asc' }, { id: 'asc' }],
      take: input.limit,
      select: {
        id: true,
        values: true,
        updatedAt: true,
        deletedAt: true,
        links: {
          where: { connectionId: input.connectionId, salesforceObject: input.salesforceObject },
          select: { salesforceId: true, baseValues: true, lastSyncedAt: true },
        },
      },
    });
    return rows.map((row) => {
      const link = row.links[0];
      return {
        id: row.id,
        values: row.values as PryzmValues,
        updatedAt: row.updatedAt,
        deletedAt: row.deletedAt,
        link: link ? { ...link, baseValues: link.baseValues as PryzmValues } : null,
      };
    });
  }

  /**
   * Finishes the auto push job windows of the connection another process left running (it died
   * or lost the lease): their committed batches stay; nobody writes to them any more.
   */
  async closeOrphanWindows(connectionId: string, holderId: string): Promise<void> {
    await this.prisma.syncJob.updateMany({
      where: {
        connectionId,
        kind: 'push',
        mode: 'auto',
        status: 'running',
        OR: [{ workerId: null }, { workerId: { not: holderId } }],
      },
      data: { status: 'succeeded', finishedAt: new Date(), workerId: null },
    });
  }
}
