import type { PrismaClient } from '../database.ts';

export interface OAuthStateRow {
  id: string;
  stateHash: string;
  browserBindingHash: string | null;
  connectionId: string;
  apiKeyId: string | null;
  codeVerifierEncrypted: string;
  expiresAt: Date;
  consumedAt: Date | null;
  createdAt: Date;
}

/** Pending web-server authorisations; each is used once. */
export class OAuthStateRepository {
  constructor(private readonly prisma: PrismaClient) {}

  create(data: {
    id: string;
    stateHash: string;
    connectionId: string;
    apiKeyId: string | null;
    codeVerifierEncrypted: string;
    expiresAt: Date;
  }): Promise<OAuthStateRow> {
    return this.prisma.oAuthState.create({ data });
  }

  findByStateHash(stateHash: string): Promise<OAuthStateRow | null> {
    return this.prisma.oAuthState.findUnique({ where: { stateHash } });
  }

  /** Binds the state to the first browser that opens it; false if another already did. */
  async bindBrowser(id: string, browserBindingHash: string): Promise<boolean> {
    const { count } = await this.prisma.oAuthState.updateMany({
      where: { id, browserBindingHash: null, consumedAt: null },
      data: { browserBindingHash },
    });
    return count === 1;
  }

  /** Marks the state used; false if it already was (a replayed callback). */
  async consume(id: string): Promise<boolean> {
    const { count } = await this.prisma.oAuthState.updateMany({
      where: { id, consumedAt: null },
      data: { consumedAt: new Date() },
    });
    return count === 1;
  }

  /** Authorisations nobody finished in time are of no use to anyone. */
  async deleteExpired(now: Date): Promise<void> {
    await this.prisma.oAuthState.deleteMany({ where: { expiresAt: { lt: now } } });
  }
}
