import type { PrismaClient } from '../database.ts';

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

  list(): Promise<WorkspaceRow[]> {
    return this.prisma.workspace.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }
}
