import type { PrismaClient } from '../database.ts';
import type { TransactionClient } from './transaction.ts';

/** How a connection's real-time subscription is doing, as its health shows it. */
export interface RealtimeHealthRow {
  holderId: string | null;
  expiresAt: Date | null;
  state: string;
  stateMessage: string | null;
  lastEventAt: Date | null;
  lastAppliedAt: Date | null;
  lagMs: number | null;
  eventsApplied: number;
  lastSweepAt: Date | null;
}

/** The process no longer holds the connection's subscription: it must stop writing. */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(connectionId: string) {
    super(`Another process holds the real-time subscription of connection ${connectionId} now`);
  }
}

/** Where the replay id of a batch goes, fenced by the lease of the process that applied it. */
export interface ReplayCommit {
  connectionId: string;
  channel: string;
  /** Base64 of Salesforce's replay id bytes. */
  replayId: string;
  holderId: string;
  /** The batch's events: how many, the newest one's creation time. */
  events: number;
  lastEventAt: Date | null;
}

/**
 * Writes a batch's replay id inside the transaction that applies the batch, and moves the
 * subscription's health on. Throws `LeaseLostError` (rolling the transaction back) when another
 * process took the subscription over meanwhile: its copy of the batch is the one that counts.
 */
export async function commitReplay(tx: TransactionClient, commit: ReplayCommit): Promise<void> {
  const now = new Date();
  const { count } = await tx.realtimeLease.updateMany({
    where: { connectionId: commit.connectionId, holderId: commit.holderId },
    data: {
      lastAppliedAt: now,
      eventsApplied: { increment: commit.events },
      ...(commit.lastEventAt
        ? {
            lastEventAt: commit.lastEventAt,
            lagMs: Math.max(0, now.getTime() - commit.lastEventAt.getTime()),
          }
        : {}),
    },
  });
  if (count === 0) throw new LeaseLostError(commit.connectionId);
  await tx.realtimeReplay.upsert({
    where: {
      connectionId_channel: { connectionId: commit.connectionId, channel: commit.channel },
    },
    create: {
      connectionId: commit.connectionId,
      channel: commit.channel,
      replayId: commit.replayId,
    },
    update: { replayId: commit.replayId },
  });
}

/** Leases, replay ids and Outbound Message notification ids of real-time sync. */
export class RealtimeRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Takes or renews the connection's lease for `holderId` until `now + ttlMs`: it succeeds when
   * nobody holds it, this process does, or the holder's lease ran out (it died). Answers whether
   * this process holds it now. One conditional UPDATE, so two processes cannot both win.
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
    await this.prisma.realtimeLease.upsert({
      where: { connectionId },
      create: { connectionId },
      update: {},
    });
    const { count } = await this.prisma.realtimeLease.updateMany({
      where: {
        connectionId,
        OR: [{ holderId: null }, { holderId }, { expiresAt: { lt: now } }],
      },
      data: { holderId, expiresAt },
    });
    if (count > 0) return true;
    const current = await this.prisma.realtimeLease.findUnique({
      where: { connectionId },
      select: { holderId: true },
    });
    if (!current?.holderId || !isDead(current.holderId)) return false;
    // Its process is gone: no need to wait for the lease to run out.
    const taken = await this.prisma.realtimeLease.updateMany({
      where: { connectionId, holderId: current.holderId },
      data: { holderId, expiresAt },
    });
    return taken.count > 0;
  }

  /** Gives the lease up (a graceful stop), so another process takes over at once. */
  async release(connectionId: string, holderId: string, state = 'stopped'): Promise<void> {
    await this.prisma.realtimeLease.updateMany({
      where: { connectionId, holderId },
      data: { holderId: null, expiresAt: null, state },
    });
  }

  /** The holder records the subscription's state (connecting, live, reconnecting...). */
  async setState(
    connectionId: string,
    holderId: string | null,
    state: string,
    message: string | null = null,
  ): Promise<void> {
    await this.prisma.realtimeLease.updateMany({
      where: { connectionId, ...(holderId ? { holderId } : {}) },
      data: { state, stateMessage: message },
    });
  }

  async markSwept(connectionId: string, at: Date): Promise<void> {
    await this.prisma.realtimeLease.updateMany({
      where: { connectionId },
      data: { lastSweepAt: at },
    });
  }

  async health(connectionId: string): Promise<RealtimeHealthRow | null> {
    return this.prisma.realtimeLease.findUnique({
      where: { connectionId },
      select: {
        holderId: true,
        expiresAt: true,
        state: true,
        stateMessage: true,
        lastEventAt: true,
        lastAppliedAt: true,
        lagMs: true,
        eventsApplied: true,
        lastSweepAt: true,
      },
    });
  }

  async replayId(connectionId: string, channel: string): Promise<string | null> {
    const row = await this.prisma.realtimeReplay.findUnique({
      where: { connectionId_channel: { connectionId, channel } },
      select: { replayId: true },
    });
    return row?.replayId ?? null;
  }

  /** Commits a replay id on its own (a batch that changed nothing in Pryzm). */
  commitReplay(commit: ReplayCommit): Promise<void> {
    return this.prisma.$transaction((tx) => commitReplay(tx, commit));
  }

  /** Forgets a replay id Salesforce no longer retains. */
  async forgetReplay(connectionId: string, channel: string): Promise<void> {
    await this.prisma.realtimeReplay.deleteMany({ where: { connectionId, channel } });
  }

  /**
   * Finishes the real-time job windows of the connection another process left running (it died
   * or lost the lease): their committed batches stay; nobody writes to them any more.
   */
  async closeOrphanWindows(connectionId: string, holderId: string): Promise<void> {
    await this.prisma.syncJob.updateMany({
      where: {
        connectionId,
        kind: 'realtime',
        status: 'running',
        OR: [{ workerId: null }, { workerId: { not: holderId } }],
      },
      data: { status: 'succeeded', finishedAt: new Date(), workerId: null },
    });
  }

  /** Active connections whose change source is not paused: those a subscriber runs for. */
  async subscribedConnections(): Promise<
    { id: string; workspaceId: string; changeSource: string }[]
  > {
    return this.prisma.connection.findMany({
      where: { status: 'active', changeSource: { not: 'paused' } },
      select: { id: true, workspaceId: true, changeSource: true },
    });
  }

  /**
   * Records an Outbound Message notification id; false when it was recorded before (Salesforce
   * sent it again because our acknowledgement did not reach it).
   */
  async recordNotification(
    tx: TransactionClient,
    connectionId: string,
    notificationId: string,
  ): Promise<boolean> {
    const existing = await tx.outboundNotification.findUnique({
      where: { connectionId_notificationId: { connectionId, notificationId } },
      select: { id: true },
    });
    if (existing) return false;
    await tx.outboundNotification.create({ data: { connectionId, notificationId } });
    return true;
  }
}
