import type { AttributeDefinition } from '../../mapping/attribute-types.ts';
import type { RecordTypeDefinition, RecordTypeKind } from '../../mapping/record-types.ts';
import type { PrismaClient } from '../database.ts';
import type { TransactionClient } from './transaction.ts';

export interface RecordTypeRow {
  id: string;
  workspaceId: string;
  key: string;
  name: string;
  pluralName: string;
  kind: RecordTypeKind;
  builtIn: boolean;
  attributes: AttributeDefinition[];
  createdAt: Date;
  updatedAt: Date;
}

type StoredRecordType = Omit<RecordTypeRow, 'kind' | 'attributes'> & {
  kind: string;
  attributes: unknown;
};

/** Attributes are validated by the mapping core's schemas before they are stored. */
function toRow(stored: StoredRecordType): RecordTypeRow {
  return {
    ...stored,
    kind: stored.kind as RecordTypeKind,
    attributes: stored.attributes as AttributeDefinition[],
  };
}

export function definitionOf(row: RecordTypeRow): RecordTypeDefinition {
  return {
    key: row.key,
    name: row.name,
    pluralName: row.pluralName,
    kind: row.kind,
    attributes: row.attributes,
  };
}

export class RecordTypeRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async list(workspaceId: string): Promise<RecordTypeRow[]> {
    const rows = await this.prisma.recordType.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: 'asc' }, { key: 'asc' }],
    });
    return rows.map(toRow);
  }

  async findById(id: string): Promise<RecordTypeRow | null> {
    const row = await this.prisma.recordType.findUnique({ where: { id } });
    return row ? toRow(row) : null;
  }

  async findByKey(workspaceId: string, key: string): Promise<RecordTypeRow | null> {
    const row = await this.prisma.recordType.findUnique({
      where: { workspaceId_key: { workspaceId, key } },
    });
    return row ? toRow(row) : null;
  }

  async create(
    workspaceId: string,
    definition: RecordTypeDefinition,
    builtIn = false,
    client: TransactionClient | PrismaClient = this.prisma,
  ): Promise<RecordTypeRow> {
    const row = await client.recordType.create({
      data: {
        workspaceId,
        key: definition.key,
        name: definition.name,
        pluralName: definition.pluralName,
        kind: definition.kind,
        builtIn,
        attributes: definition.attributes,
      },
    });
    return toRow(row);
  }

  async update(
    id: string,
    definition: Pick<RecordTypeDefinition, 'name' | 'pluralName' | 'attributes'>,
  ): Promise<RecordTypeRow> {
    const row = await this.prisma.recordType.update({
      where: { id },
      data: {
        name: definition.name,
        pluralName: definition.pluralName,
        attributes: definition.attributes,
      },
    });
    return toRow(row);
  }

  async delete(id: string): Promise<void> {
    await this.prisma.recordType.delete({ where: { id } });
  }

  countRecords(recordTypeId: string): Promise<number> {
    return this.prisma.pryzmRecord.count({ where: { recordTypeId } });
  }
}
