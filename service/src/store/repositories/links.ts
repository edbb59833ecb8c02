import type { PryzmValues } from '../../mapping/index.ts';
import type { PrismaClient } from '../database.ts';

export interface LinkRow {
  id: string;
  connectionId: string;
  recordId: string;
  salesforceObject: string;
  salesforceId: string;
  baseValues: PryzmValues;
  lastSyncedAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

type StoredLink = Omit<LinkRow, 'baseValues'> & { baseValues: unknown };
const toRow = (stored: StoredLink): LinkRow => ({
  ...stored,
  baseValues: stored.baseValues as PryzmValues,
});

export interface NewLink {
  connectionId: string;
  recordId: string;
  salesforceObject: string;
  salesforceId: string;
  baseValues: PryzmValues;
}

/**
 * Links: a Pryzm record ↔ a Salesforce record on one connection, with the values both sides
 * agreed on at the last sync (the base of three-way conflict detection). One Salesforce record
 * links to one Pryzm record per connection, and a record to one Salesforce record per object.
 */
export class LinkRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates the link or moves its base forward after a sync. */
  async save(link: NewLink): Promise<LinkRow> {
    const row = await this.prisma.link.upsert({
      where: {
        connectionId_salesforceId: {
          connectionId: link.connectionId,
          salesforceId: link.salesforceId,
        },
      },
      create: { ...link, lastSyncedAt: new Date() },
      update: { baseValues: link.baseValues, lastSyncedAt: new Date() },
    });
    return toRow(row);
  }

  async findBySalesforceId(connectionId: string, salesforceId: string): Promise<LinkRow | null> {
    const row = await this.prisma.link.findUnique({
      where: { connectionId_salesforceId: { connectionId, salesforceId } },
    });
    return row ? toRow(row) : null;
  }

  async findByRecord(
    connectionId: string,
    salesforceObject: string,
    recordId: string,
  ): Promise<LinkRow | null> {
    const row = await this.prisma.link.findUnique({
      where: {
        connectionId_salesforceObject_recordId: { connectionId, salesforceObject, recordId },
      },
    });
    return row ? toRow(row) : null;
  }

  async listForRecord(recordId: string): Promise<LinkRow[]> {
    const rows = await this.prisma.link.findMany({
      where: { recordId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toRow);
  }

  /** Which of these Salesforce Ids are linked on the connection. */
  async linkedSalesforceIds(connectionId: string, salesforceIds: string[]): Promise<Set<string>> {
    if (salesforceIds.length === 0) return new Set();
    const rows = await this.prisma.link.findMany({
      where: { connectionId, salesforceId: { in: salesforceIds } },
      select: { salesforceId: true },
    });
    return new Set(rows.map((row) => row.salesforceId));
  }

  /** Ids of the records already linked for an object on a connection. */
  async linkedRecordIds(connectionId: string, salesforceObject: string): Promise<Set<string>> {
    const rows = await this.prisma.link.findMany({
      where: { connectionId, salesforceObject },
      select: { recordId: true },
    });
    return new Set(rows.map((row) => row.recordId));
  }
}
