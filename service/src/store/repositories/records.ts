import type { PryzmValues } from '../../mapping/attribute-types.ts';
import type { PrismaClient } from '../database.ts';

export interface RecordRow {
  id: string;
  workspaceId: string;
  recordTypeId: string;
  values: PryzmValues;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

type StoredRecord = Omit<RecordRow, 'values'> & { values: unknown };

const toRow = (stored: StoredRecord): RecordRow => ({
  ...stored,
  values: stored.values as PryzmValues,
});

export interface RecordPage {
  records: RecordRow[];
  nextCursor: string | null;
}

export class RecordRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(input: {
    workspaceId: string;
    recordTypeId: string;
    values: PryzmValues;
  }): Promise<RecordRow> {
    return toRow(await this.prisma.pryzmRecord.create({ data: input }));
  }

  async findById(workspaceId: string, id: string): Promise<RecordRow | null> {
    const row = await this.prisma.pryzmRecord.findFirst({ where: { id, workspaceId } });
    return row ? toRow(row) : null;
  }

  /** The records among `ids` (in no particular order), a thousand ids a query. */
  async findManyByIds(workspaceId: string, ids: readonly string[]): Promise<RecordRow[]> {
    const rows: RecordRow[] = [];
    for (let at = 0; at < ids.length; at += 1000) {
      const found = await this.prisma.pryzmRecord.findMany({
        where: { workspaceId, id: { in: ids.slice(at, at + 1000) } },
      });
      rows.push(...found.map(toRow));
    }
    return rows;
  }

  /** Records of a type by creation order; `cursor` is the last id of the previous page. */
  async list(
    recordTypeId: string,
    options: { limit: number; cursor?: string; includeDeleted: boolean },
  ): Promise<RecordPage> {
    const rows = await this.prisma.pryzmRecord.findMany({
      where: { recordTypeId, ...(options.includeDeleted ? {} : { deletedAt: null }) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: options.limit + 1,
      ...(options.cursor ? { cursor: { id: options.cursor }, skip: 1 } : {}),
    });
    const page = rows.slice(0, options.limit).map(toRow);
    return {
      records: page,
      nextCursor: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  /**
   * Writes new values only if the record is still at `expectedVersion` (compare-and-set), so
   * two concurrent writers cannot both win. Null when the version moved on.
   */
  async updateIfVersion(
    id: string,
    expectedVersion: number,
    change: { values?: PryzmValues; deletedAt?: Date },
  ): Promise<RecordRow | null> {
    const { count } = await this.prisma.pryzmRecord.updateMany({
      where: { id, version: expectedVersion },
      data: { ...change, version: { increment: 1 } },
    });
    if (count === 0) return null;
    const row = await this.prisma.pryzmRecord.findUnique({ where: { id } });
    return row ? toRow(row) : null;
  }

  /** Which of `ids` are live records of the given type in the workspace. */
  async existingIds(
    workspaceId: string,
    recordTypeId: string,
    ids: string[],
  ): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.prisma.pryzmRecord.findMany({
      where: { workspaceId, recordTypeId, id: { in: ids }, deletedAt: null },
      select: { id: true },
    });
    return new Set(rows.map((row) => row.id));
  }

  countLive(workspaceId: string): Promise<number> {
    return this.prisma.pryzmRecord.count({ where: { workspaceId, deletedAt: null } });
  }
}
