import type { PrismaClient } from '../database.ts';

export interface MemberRow {
  id: string;
  workspaceId: string;
  email: string;
  name: string;
  role: string;
  createdAt: Date;
  updatedAt: Date;
}

/** People of a workspace. Removing one removes their personal tokens (a cascade). */
export class MemberRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(input: { workspaceId: string; email: string; name: string; role: string }) {
    return this.prisma.workspaceMember.create({ data: input });
  }

  list(workspaceId: string): Promise<MemberRow[]> {
    return this.prisma.workspaceMember.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  find(workspaceId: string, id: string): Promise<MemberRow | null> {
    return this.prisma.workspaceMember.findFirst({ where: { id, workspaceId } });
  }

  async update(
    workspaceId: string,
    id: string,
    change: { name?: string; role?: string },
  ): Promise<MemberRow | null> {
    const { count } = await this.prisma.workspaceMember.updateMany({
      where: { id, workspaceId },
      data: change,
    });
    return count === 0 ? null : this.find(workspaceId, id);
  }

  async remove(workspaceId: string, id: string): Promise<MemberRow | null> {
    const row = await this.find(workspaceId, id);
    if (!row) return null;
    await this.prisma.workspaceMember.deleteMany({ where: { id, workspaceId } });
    return row;
  }
}
