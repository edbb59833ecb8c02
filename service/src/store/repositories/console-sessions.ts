import type { PrismaClient } from '../database.ts';

/** The member a session or link belongs to, as sign-in needs it (null: the operator). */
export interface SessionMember {
  id: string;
  workspaceId: string;
  role: string;
}

export interface ConsoleSessionRow {
  id: string;
  csrfHash: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  member: SessionMember | null;
}

const memberColumns = { select: { id: true, workspaceId: true, role: true } } as const;

const sessionColumns = {
  id: true,
  csrfHash: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  member: memberColumns,
} as const;

/** One-time console sign-in links and the sessions they open; secrets are stored as SHA-256. */
export class ConsoleSessionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async createLink(
    secretHash: string,
    expiresAt: Date,
    memberId: string | null = null,
  ): Promise<{ id: string }> {
    return this.prisma.consoleSignInLink.create({
      data: { secretHash, expiresAt, memberId },
      select: { id: true },
    });
  }

  /**
   * Uses a link up: only the one caller that marks an unused, unexpired link used gets it
   * (a conditional update, so two exchanges racing cannot both win), with the member it signs
   * in (null for the operator's links); null when the link cannot be used.
   */
  async consumeLink(
    secretHash: string,
    now: Date,
  ): Promise<{ member: SessionMember | null } | null> {
    const { count } = await this.prisma.consoleSignInLink.updateMany({
      where: { secretHash, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1) return null;
    const link = await this.prisma.consoleSignInLink.findUnique({
      where: { secretHash },
      select: { memberId: true, member: memberColumns },
    });
    // A member removed in between: the link signed nobody in.
    if (!link || (link.memberId !== null && link.member === null)) return null;
    return { member: link.member };
  }

  createSession(input: {
    secretHash: string;
    csrfHash: string;
    expiresAt: Date;
    memberId: string | null;
  }): Promise<ConsoleSessionRow> {
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

  /** Whether the operator ever signed in to the console (members' sessions do not count). */
  async hasAnySession(): Promise<boolean> {
    return (await this.prisma.consoleSession.count({ where: { memberId: null }, take: 1 })) > 0;
  }
}
