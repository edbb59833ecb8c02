import type { RecordTypeDefinition } from '../../mapping/record-types.ts';
import type { PrismaClient } from '../database.ts';
import { apiKeyPublicColumns, type ApiKeyRow } from './api-keys.ts';
import { RecordTypeRepository } from './record-types.ts';

export interface WorkspaceRow {
  id: string;
  name: string;
  slug: string;
  createdAt: Date;
  updatedAt: Date;
}

export class WorkspaceRepository {
  constructor(private readonly prisma: PrismaClient) {}

  findById(id: string): Promise<WorkspaceRow | null> {
    return this.prisma.workspace.findUnique({ where: { id } });
  }

  findBySlug(slug: string): Promise<WorkspaceRow | null> {
    return this.prisma.workspace.findUnique({ where: { slug } });
  }

  /**
   * A new workspace with its first record types and API key, in one transaction: a workspace is
   * never seen without them.
   */
  createWithKey(
    input: { name: string; slug: string },
    recordTypes: readonly RecordTypeDefinition[],
    key: { name: string; prefix: string; secretHash: string },
  ): Promise<{ workspace: WorkspaceRow; apiKey: ApiKeyRow }> {
    const types = new RecordTypeRepository(this.prisma);
    return this.prisma.$transaction(async (tx) => {
      const workspace = await tx.workspace.create({ data: input });
      for (const definition of recordTypes) {
        await types.create(workspace.id, definition, true, tx);
      }
      const apiKey = await tx.apiKey.create({
        data: { workspaceId: workspace.id, ...key },
        select: apiKeyPublicColumns,
      });
      return { workspace, apiKey };
    });
  }

  list(): Promise<WorkspaceRow[]> {
    return this.prisma.workspace.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }
}
