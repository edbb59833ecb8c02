import type { PryzmValue, PryzmValues } from '../../mapping/index.ts';
import type { PrismaClient } from '../database.ts';

export type ConflictField = {
  attribute: string;
  base: PryzmValue;
  pryzm: PryzmValue;
  salesforce: PryzmValue;
};

export interface ConflictRow {
  id: string;
  workspaceId: string;
  connectionId: string;
  recordId: string;
  salesforceObject: string;
  salesforceId: string;
  fields: ConflictField[];
  status: 'open' | 'resolved';
  jobId: string | null;
  createdAt: Date;
  updatedAt: Date;
  resolvedAt: Date | null;
}

type Stored = Omit<ConflictRow, 'fields' | 'status'> & { fields: unknown; status: string };
const toRow = (stored: Stored): ConflictRow => ({
  ...stored,
  fields: stored.fields as ConflictField[],
  status: stored.status as ConflictRow['status'],
});

/** A record a person's choice on a conflict wrote (values kept from Salesforce). */
export interface SettledRecord {
  workspaceId: string;
  connectionId: string;
  recordId: string;
  changed: string[];
}

/** Called after a settle that wrote the record committed, before `settle` answers; never throws. */
export type SettleListener = (settled: SettledRecord) => Promise<void>;

/** Conflicts a pull found and people settle. */
export class SyncConflictRepository {
  private readonly listeners = new Set<SettleListener>();

  constructor(private readonly prisma: PrismaClient) {}

  /** Adds a listener to settles that wrote a record; the function returned removes it. */
  onRecordWritten(listener: SettleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async list(
    workspaceId: string,
    filter: { connectionId?: string; status?: ConflictRow['status']; recordId?: string },
    page: { limit: number; cursor?: string },
  ): Promise<{ conflicts: ConflictRow[]; nextCursor: string | null }> {
    const rows = await this.prisma.syncConflict.findMany({
      where: { workspaceId, ...filter },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    const conflicts = rows.slice(0, page.limit).map(toRow);
    return {
      conflicts,
      nextCursor: rows.length > page.limit ? (conflicts.at(-1)?.id ?? null) : null,
    };
  }

  async find(workspaceId: string, id: string): Promise<ConflictRow | null> {
    const row = await this.prisma.syncConflict.findFirst({ where: { id, workspaceId } });
    return row ? toRow(row) : null;
  }

  /**
   * Applies a person's choices in one transaction: the Pryzm record takes the values chosen
   * from Salesforce, the link's base takes every chosen value (both sides now hold it), and the
   * conflict keeps only the fields not chosen yet (resolved when none are left). A value written
   * to Salesforce moves the link's stamp to the `SystemModstamp` that write produced.
   */
  async settle(input: {
    conflict: ConflictRow;
    recordValues: PryzmValues;
    baseValues: PryzmValues;
    remaining: ConflictField[];
    salesforceModstamp?: Date;
  }): Promise<ConflictRow> {
    const { conflict } = input;
    const settled = await this.prisma.$transaction(async (tx) => {
      if (Object.keys(input.recordValues).length > 0) {
        const record = await tx.pryzmRecord.findUniqueOrThrow({
          where: { id: conflict.recordId },
          select: { values: true },
        });
        await tx.pryzmRecord.update({
          where: { id: conflict.recordId },
          data: {
            values: { ...(record.values as PryzmValues), ...input.recordValues },
            version: { increment: 1 },
          },
        });
      }
      const link = await tx.link.findUnique({
        where: {
          connectionId_salesforceId: {
            connectionId: conflict.connectionId,
            salesforceId: conflict.salesforceId,
          },
        },
        select: { id: true, baseValues: true },
      });
      if (link) {
        await tx.link.update({
          where: { id: link.id },
          data: {
            baseValues: { ...(link.baseValues as PryzmValues), ...input.baseValues },
            lastSyncedAt: new Date(),
            ...(input.salesforceModstamp ? { salesforceModstamp: input.salesforceModstamp } : {}),
          },
        });
      }
      const updated = await tx.syncConflict.update({
        where: { id: conflict.id },
        data: {
          fields: input.remaining,
          ...(input.remaining.length === 0 ? { status: 'resolved', resolvedAt: new Date() } : {}),
        },
      });
      return toRow(updated);
    });
    const changed = Object.keys(input.recordValues);
    if (changed.length > 0) {
      for (const listener of this.listeners) {
        await listener({
          workspaceId: conflict.workspaceId,
          connectionId: conflict.connectionId,
          recordId: conflict.recordId,
          changed,
        });
      }
    }
    return settled;
  }
}
