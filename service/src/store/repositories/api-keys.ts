import type { PrismaClient } from '../database.ts';

export interface ApiKeyRow {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** admin | editor | viewer, as stored; a personal token acts with its member's role. */
  role: string;
  parentKeyId: string | null;
  memberId: string | null;
  expiresAt: Date | null;
}

/** A live key with the role of the member it belongs to, if any. */
export interface ActiveApiKeyRow extends ApiKeyRow {
  memberRole: string | null;
}

/** The columns of a key that may be shown: everything but its secret's hash. */
export const apiKeyPublicColumns = {
  id: true,
  workspaceId: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  role: true,
  parentKeyId: true,
  memberId: true,
  expiresAt: true,
} as const;

export interface NewApiKey {
  workspaceId: string;
  name: string;
  prefix: string;
  secretHash: string;
  role?: string;
  parentKeyId?: string | null;
  memberId?: string | null;
  expiresAt?: Date | null;
}

/** Workspace API keys and personal tokens; the secret itself is never stored, only its SHA-256. */
export class ApiKeyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(input: NewApiKey): Promise<ApiKeyRow> {
    return this.prisma.apiKey.create({ data: input, select: apiKeyPublicColumns });
  }

  /** The key a secret names when it is neither revoked nor expired at `now`. */
  async findActiveByHash(secretHash: string, now = new Date()): Promise<ActiveApiKeyRow | null> {
    const row = await this.prisma.apiKey.findFirst({
      where: { secretHash, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { ...apiKeyPublicColumns, member: { select: { role: true } } },
    });
    if (!row) return null;
    const { member, ...key } = row;
    return { ...key, memberRole: member?.role ?? null };
  }

  find(workspaceId: string, id: string): Promise<ApiKeyRow | null> {
    return this.prisma.apiKey.findFirst({
      where: { id, workspaceId },
      select: apiKeyPublicColumns,
    });
  }

  /** Workspace keys, or one member's tokens when `memberId` is given. */
  list(workspaceId: string, memberId?: string): Promise<ApiKeyRow[]> {
    return this.prisma.apiKey.findMany({
      where: { workspaceId, ...(memberId === undefined ? {} : { memberId }) },
      select: apiKeyPublicColumns,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /**
   * Revokes an active key and, in the same transaction, every key minted from it, however deep:
   * a key never outlives the key that made it.
   */
  async revoke(
    workspaceId: string,
    id: string,
    where: { memberId?: string } = {},
  ): Promise<ApiKeyRow | null> {
    return this.prisma.$transaction(async (tx) => {
      const now = new Date();
      const { count } = await tx.apiKey.updateMany({
        where: { id, workspaceId, revokedAt: null, ...where },
        data: { revokedAt: now },
      });
      if (count === 0) return null;
      let parents = [id];
      while (parents.length > 0) {
        const children = await tx.apiKey.findMany({
          where: { parentKeyId: { in: parents }, revokedAt: null },
          select: { id: true },
        });
        parents = children.map((child) => child.id);
        if (parents.length > 0) {
          await tx.apiKey.updateMany({ where: { id: { in: parents } }, data: { revokedAt: now } });
        }
      }
      return tx.apiKey.findUnique({ where: { id }, select: apiKeyPublicColumns });
    });
  }

  /** Whether the key exists, is not revoked and has not expired. */
  async isActive(id: string, now = new Date()): Promise<boolean> {
    const count = await this.prisma.apiKey.count({
      where: { id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    });
    return count > 0;
  }

  async touch(id: string): Promise<void> {
    await this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }
}
