import type { PrismaClient } from '../database.ts';

export interface ConsoleSessionRow {
  id: string;
  csrfHash: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const sessionColumns = {
  id: true,
  csrfHash: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** One-time console sign-in links and the sessions they open; secrets are stored as SHA-256. */
export class ConsoleSessionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async createLink(secretHash: string, expiresAt: Date): Promise<{ id: string }> {
    return this.prisma.consoleSignInLink.create({
      data: { secretHash, expiresAt },
      select: { id: true },
    });
  }

  /**
   * Uses a link up: true only for the one caller that marks an unused, unexpired link used
   * (a conditional update, so two exchanges racing cannot both win).
   */
  async consumeLink(secretHash: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.consoleSignInLink.updateMany({
      where: { secretHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return count === 1;
  }

  createSession(input: { secretHash: string; csrfHash: string; expiresAt: Date }) {
    return this.prisma.consoleSession.create({ data: input, select: sessionColumns });
  }

  findLiveSession(secretHash: string, now: Date): Promise<ConsoleSessionRow | null> {
    return this.prisma.consoleSession.findFirst({
      where: { secretHash, revokedAt: null, expiresAt: { gt: now } },
      select: sessionColumns,
    });
  }

  async touchSession(id: string, now: Date): Promise<void> {
    await this.prisma.consoleSession.update({ where: { id }, data: { lastUsedAt: now } });
  }

  async revokeSession(id: string, now: Date): Promise<void> {
    await this.prisma.consoleSession.updateMany({
      where: { id, revokedAt: null },
      data: { revokedAt: now },
    });
  }

  async hasAnySession(): Promise<boolean> {
    return (await this.prisma.consoleSession.count({ take: 1 })) > 0;
  }
}
