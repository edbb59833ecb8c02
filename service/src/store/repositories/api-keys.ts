import type { PrismaClient } from '../database.ts';

export interface ApiKeyRow {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const publicColumns = {
  id: true,
  workspaceId: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** Workspace API keys; the secret itself is never stored, only its SHA-256. */
export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(input: { workspaceId: string; name: string; prefix: string; secretHash: string }) {
    return this.prisma.apiKey.create({ data: input, select: publicColumns });
  }

  findActiveByHash(secretHash: string): Promise<ApiKeyRow | null> {
    return this.prisma.apiKey.findFirst({
      where: { secretHash, revokedAt: null },
      select: publicColumns,
    });
  }

  list(workspaceId: string): Promise<ApiKeyRow[]> {
    return this.prisma.apiKey.findMany({
      where: { workspaceId },
      select: publicColumns,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  async revoke(workspaceId: string, id: string): Promise<ApiKeyRow | null> {
    const { count } = await this.prisma.apiKey.updateMany({
      where: { id, workspaceId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) return null;
    return this.prisma.apiKey.findUnique({ where: { id }, select: publicColumns });
  }

  /** Whether the key exists and is not revoked. */
  async isActive(id: string): Promise<boolean> {
    return (await this.prisma.apiKey.count({ where: { id, revokedAt: null } })) > 0;
  }

  async touch(id: string): Promise<void> {
    await this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }
}
