import type { PrismaClient } from '../database.ts';
import { AccessRecordTables, paged, type Page } from './access-records.ts';

export type {
  AccessLoginInput,
  AccessLoginRow,
  AccessRecordInput,
  AccessRecordRow,
  Page,
  RecordFilter,
} from './access-records.ts';

/**
 * Access governance data of connections: the records each pull read (replaced kind by kind, so
 * a list is always one pull's complete picture), login history (appended, newest kept), the
 * findings of the last pull, pull runs, admin actions and per-connection thresholds. Nothing
 * here is deleted when a connection is disconnected: the data stays readable.
 */

export interface AccessPullRow {
  id: string;
  workspaceId: string;
  connectionId: string;
  status: string;
  startedBy: string;
  objects: AccessPullObject[];
  apiCalls: number;
  findings: number;
  error: string | null;
  workerId: string | null;
  heartbeatAt: Date | null;
  queuedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface AccessPullObject {
  object: string;
  kind: string;
  api: 'bulk' | 'rest';
  rows: number;
  apiCalls: number;
  finishedAt: string | null;
}

export interface AccessFindingInput {
  kind: string;
  subjectId: string;
  subjectName: string | null;
  details: Record<string, unknown>;
  suggestedAction: Record<string, unknown> | null;
}

export interface AccessFindingRow extends AccessFindingInput {
  id: string;
  connectionId: string;
  pullId: string;
  createdAt: Date;
}

export interface AccessActionRow {
  id: string;
  workspaceId: string;
  connectionId: string;
  action: string;
  request: Record<string, unknown>;
  dryRun: boolean;
  status: string;
  actor: string;
  results: unknown[];
  apiCalls: number;
  createdAt: Date;
}

export interface AccessSettingsRow {
  connectionId: string;
  inactiveDays: number;
  tokenUnusedDays: number;
  licenceUsagePercent: number;
  pullIntervalHours: number;
}

type StoredPull = Omit<AccessPullRow, 'objects'> & { objects: unknown };
const pullRow = (row: StoredPull): AccessPullRow => ({
  ...row,
  objects: row.objects as AccessPullObject[],
});

export class AccessRepository extends AccessRecordTables {
  constructor(prisma: PrismaClient) {
    super(prisma);
  }

  // Pulls -----------------------------------------------------------------------------------

  async createPull(input: {
    workspaceId: string;
    connectionId: string;
    startedBy: string;
  }): Promise<AccessPullRow> {
    return pullRow(
      await this.prisma.accessPull.create({
        data: { ...input, status: 'queued', objects: [] },
      }),
    );
  }

  /** The connection's queued or running pull whose process said it is alive lately, if any. */
  async activePull(connectionId: string, aliveSince: Date): Promise<AccessPullRow | null> {
    const row = await this.prisma.accessPull.findFirst({
      where: {
        connectionId,
        OR: [
          { status: 'queued', queuedAt: { gte: aliveSince } },
          { status: 'running', heartbeatAt: { gte: aliveSince } },
        ],
      },
      orderBy: { queuedAt: 'desc' },
    });
    return row ? pullRow(row) : null;
  }

  async updatePull(
    id: string,
    data: Partial<Omit<AccessPullRow, 'id' | 'workspaceId' | 'connectionId' | 'objects'>> & {
      objects?: AccessPullObject[];
    },
  ): Promise<AccessPullRow> {
    const { objects, ...rest } = data;
    return pullRow(
      await this.prisma.accessPull.update({
        where: { id },
        data: { ...rest, ...(objects ? { objects: objects as unknown as object[] } : {}) },
      }),
    );
  }

  async findPull(workspaceId: string, id: string): Promise<AccessPullRow | null> {
    const row = await this.prisma.accessPull.findFirst({ where: { id, workspaceId } });
    return row ? pullRow(row) : null;
  }

  async lastPull(connectionId: string): Promise<AccessPullRow | null> {
    const row = await this.prisma.accessPull.findFirst({
      where: { connectionId },
      orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }],
    });
    return row ? pullRow(row) : null;
  }

  async listPulls(connectionId: string, page: Page) {
    const rows = await this.prisma.accessPull.findMany({
      where: { connectionId },
      orderBy: [{ queuedAt: 'desc' }, { id: 'desc' }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    return paged(rows.map(pullRow), page.limit);
  }

  // Findings --------------------------------------------------------------------------------

  async replaceFindings(
    connectionId: string,
    pullId: string,
    findings: readonly AccessFindingInput[],
  ): Promise<void> {
    await this.prisma.$transaction(
      async (tx) => {
        await tx.accessFinding.deleteMany({ where: { connectionId } });
        for (let start = 0; start < findings.length; start += 1_000) {
          await tx.accessFinding.createMany({
            data: findings.slice(start, start + 1_000).map((f) => ({
              connectionId,
              pullId,
              kind: f.kind,
              subjectId: f.subjectId,
              subjectName: f.subjectName,
              details: f.details as object,
              suggestedAction: (f.suggestedAction ?? undefined) as object | undefined,
            })),
          });
        }
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  }

  async listFindings(
    connectionId: string,
    filter: { kind?: string; subjectId?: string },
    page: Page,
  ): Promise<{ data: AccessFindingRow[]; nextCursor: string | null }> {
    const rows = await this.prisma.accessFinding.findMany({
      where: { connectionId, ...filter },
      orderBy: [{ kind: 'asc' }, { id: 'asc' }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    return paged(
      rows.map((row) => ({
        ...row,
        details: row.details as Record<string, unknown>,
        suggestedAction: row.suggestedAction as Record<string, unknown> | null,
      })),
      page.limit,
    );
  }

  // Actions ---------------------------------------------------------------------------------

  async recordAction(input: Omit<AccessActionRow, 'id' | 'createdAt'>): Promise<AccessActionRow> {
    const row = await this.prisma.accessAction.create({
      data: {
        ...input,
        request: input.request as object,
        results: input.results as object,
      },
    });
    return actionRow(row);
  }

  async listActions(connectionId: string, page: Page) {
    const rows = await this.prisma.accessAction.findMany({
      where: { connectionId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    return paged(rows.map(actionRow), page.limit);
  }

  // Settings --------------------------------------------------------------------------------

  async settings(connectionId: string): Promise<AccessSettingsRow> {
    const row = await this.prisma.accessSettings.findUnique({ where: { connectionId } });
    return (
      row ?? {
        connectionId,
        inactiveDays: 90,
        tokenUnusedDays: 90,
        licenceUsagePercent: 90,
        pullIntervalHours: 24,
      }
    );
  }

  async saveSettings(
    connectionId: string,
    changes: Partial<Omit<AccessSettingsRow, 'connectionId'>>,
  ): Promise<AccessSettingsRow> {
    return this.prisma.accessSettings.upsert({
      where: { connectionId },
      create: { connectionId, ...changes },
      update: changes,
    });
  }

  /** Connections whose access is due: the newest pull queued longer ago than their interval. */
  async duePulls(now: Date): Promise<{ workspaceId: string; connectionId: string }[]> {
    const connections = await this.prisma.connection.findMany({
      where: { status: 'active' },
      select: { id: true, workspaceId: true },
    });
    const due: { workspaceId: string; connectionId: string }[] = [];
    for (const connection of connections) {
      const settings = await this.settings(connection.id);
      if (settings.pullIntervalHours <= 0) continue;
      const last = await this.lastPull(connection.id);
      const age = last ? now.getTime() - last.queuedAt.getTime() : Infinity;
      if (age >= settings.pullIntervalHours * 3_600_000) {
        due.push({ workspaceId: connection.workspaceId, connectionId: connection.id });
      }
    }
    return due;
  }
}

function actionRow(row: {
  id: string;
  workspaceId: string;
  connectionId: string;
  action: string;
  request: unknown;
  dryRun: boolean;
  status: string;
  actor: string;
  results: unknown;
  apiCalls: number;
  createdAt: Date;
}): AccessActionRow {
  return {
    ...row,
    request: row.request as Record<string, unknown>,
    results: row.results as unknown[],
  };
}
