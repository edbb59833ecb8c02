import type { ObjectMapping } from '../../mapping/index.ts';
import type { PrismaClient } from '../database.ts';
import { Prisma } from '../generated/sqlite/client.ts';

export interface MappingRow {
  id: string;
  workspaceId: string;
  connectionId: string;
  mapping: ObjectMapping;
  enabled: boolean;
  validation: unknown;
  validatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

interface StoredMapping {
  id: string;
  workspaceId: string;
  connectionId: string;
  salesforceObject: string;
  recordTypeKey: string;
  direction: string;
  filter: string | null;
  conflictStrategy: string;
  schedule: unknown;
  matchRules: unknown;
  deletes: unknown;
  autoPush: boolean;
  fields: unknown;
  enabled: boolean;
  validation: unknown;
  validatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Stored columns were written from a mapping the mapping core's schema accepted. */
function toRow(stored: StoredMapping): MappingRow {
  return {
    id: stored.id,
    workspaceId: stored.workspaceId,
    connectionId: stored.connectionId,
    enabled: stored.enabled,
    validation: stored.validation,
    validatedAt: stored.validatedAt,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    mapping: {
      id: stored.id,
      salesforceObject: stored.salesforceObject,
      recordType: stored.recordTypeKey,
      direction: stored.direction as ObjectMapping['direction'],
      filter: stored.filter,
      conflictStrategy: stored.conflictStrategy as ObjectMapping['conflictStrategy'],
      schedule: stored.schedule as ObjectMapping['schedule'],
      ...(stored.matchRules == null
        ? {}
        : { matchRules: stored.matchRules as NonNullable<ObjectMapping['matchRules']> }),
      ...(stored.deletes == null
        ? {}
        : { deletes: stored.deletes as NonNullable<ObjectMapping['deletes']> }),
      ...(stored.autoPush ? { autoPush: true } : {}),
      fields: stored.fields as ObjectMapping['fields'],
    },
  };
}

function columns(mapping: ObjectMapping) {
  return {
    salesforceObject: mapping.salesforceObject,
    recordTypeKey: mapping.recordType,
    direction: mapping.direction,
    filter: mapping.filter ?? null,
    conflictStrategy: mapping.conflictStrategy,
    schedule: mapping.schedule,
    matchRules: mapping.matchRules ?? undefined,
    deletes: mapping.deletes ?? undefined,
    autoPush: mapping.autoPush ?? false,
    fields: mapping.fields,
  };
}

export class MappingRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async list(connectionId: string): Promise<MappingRow[]> {
    const rows = await this.prisma.objectMapping.findMany({
      where: { connectionId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toRow);
  }

  async find(connectionId: string, id: string): Promise<MappingRow | null> {
    const row = await this.prisma.objectMapping.findFirst({ where: { id, connectionId } });
    return row ? toRow(row) : null;
  }

  async create(input: {
    workspaceId: string;
    connectionId: string;
    mapping: ObjectMapping;
    enabled: boolean;
    validation: object;
  }): Promise<MappingRow> {
    const row = await this.prisma.objectMapping.create({
      data: {
        workspaceId: input.workspaceId,
        connectionId: input.connectionId,
        ...columns(input.mapping),
        enabled: input.enabled,
        validation: input.validation,
        validatedAt: new Date(),
      },
    });
    return toRow(row);
  }

  async update(
    id: string,
    input: { mapping: ObjectMapping; enabled: boolean; validation: object },
  ): Promise<MappingRow> {
    const row = await this.prisma.objectMapping.update({
      where: { id },
      data: {
        ...columns(input.mapping),
        // No rules in the edited mapping: back to the defaults (a NULL column), not "unchanged".
        // Both generated clients share the runtime's DbNull.
        matchRules: input.mapping.matchRules ?? Prisma.DbNull,
        enabled: input.enabled,
        validation: input.validation,
        validatedAt: new Date(),
      },
    });
    return toRow(row);
  }

  async saveValidation(id: string, validation: object): Promise<void> {
    await this.prisma.objectMapping.update({
      where: { id },
      data: { validation, validatedAt: new Date() },
    });
  }

  async delete(id: string): Promise<void> {
    await this.prisma.objectMapping.delete({ where: { id } });
  }

  /** Disables every mapping of a connection (nothing is deleted). */
  async disableAll(connectionId: string): Promise<void> {
    await this.prisma.objectMapping.updateMany({
      where: { connectionId },
      data: { enabled: false },
    });
  }

  /**
   * Per active connection, the shortest interval schedule of its enabled mappings (minutes):
   * how often its scheduled sync runs.
   */
  async intervalSchedules(): Promise<
    { workspaceId: string; connectionId: string; minutes: number }[]
  > {
    const rows = await this.prisma.objectMapping.findMany({
      where: { enabled: true, connection: { status: 'active' } },
      select: { workspaceId: true, connectionId: true, schedule: true },
    });
    const shortest = new Map<
      string,
      { workspaceId: string; connectionId: string; minutes: number }
    >();
    for (const row of rows) {
      const schedule = row.schedule as ObjectMapping['schedule'];
      if (schedule.kind !== 'interval') continue;
      const known = shortest.get(row.connectionId);
      if (!known || schedule.minutes < known.minutes) {
        shortest.set(row.connectionId, {
          workspaceId: row.workspaceId,
          connectionId: row.connectionId,
          minutes: schedule.minutes,
        });
      }
    }
    return [...shortest.values()];
  }
}
