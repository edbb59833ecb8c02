import type { PrismaClient } from '../database.ts';

export type ConnectionStatus =
  'pending_authorization' | 'active' | 'needs_reauthorization' | 'disconnected';
export type AuthFlow = 'web_server' | 'jwt_bearer' | 'password';

export interface ConnectionRow {
  id: string;
  workspaceId: string;
  label: string;
  environment: string;
  loginUrl: string;
  authFlow: AuthFlow;
  status: ConnectionStatus;
  statusMessage: string | null;
  orgId: string | null;
  orgName: string | null;
  edition: string | null;
  isSandbox: boolean | null;
  instanceUrl: string | null;
  username: string | null;
  userId: string | null;
  clientId: string;
  clientSecretEncrypted: string | null;
  credentialEncrypted: string | null;
  accessTokenEncrypted: string | null;
  refreshTokenEncrypted: string | null;
  tokenIssuedAt: Date | null;
  apiCallCount: number;
  authCallCount: number;
  orgApiUsed: number | null;
  orgApiLimit: number | null;
  orgApiUsageAt: Date | null;
  /** The share (percent) of the org's daily allocation sync jobs may spend in 24 hours. */
  apiAllowancePercent: number;
  /** Where real-time changes come from: `flows`, `cdc` or `paused`. */
  changeSource: string;
  /** Why the org could not be told the change source (Pryzm_Settings__c), when it could not. */
  changeSourceProblem: string | null;
  createdById: string | null;
  connectedAt: Date | null;
  disconnectedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

type Stored = Omit<ConnectionRow, 'authFlow' | 'status'> & { authFlow: string; status: string };
const toRow = (stored: Stored): ConnectionRow => stored as ConnectionRow;

export type ConnectionChange = Partial<
  Omit<
    ConnectionRow,
    'id' | 'workspaceId' | 'createdAt' | 'updatedAt' | 'apiCallCount' | 'authCallCount'
  >
>;

export class ConnectionRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async create(
    data: ConnectionChange & {
      id: string;
      workspaceId: string;
      label: string;
      environment: string;
      loginUrl: string;
      authFlow: AuthFlow;
      status: ConnectionStatus;
      clientId: string;
    },
  ): Promise<ConnectionRow> {
    return toRow(await this.prisma.connection.create({ data }));
  }

  async find(workspaceId: string, id: string): Promise<ConnectionRow | null> {
    const row = await this.prisma.connection.findFirst({ where: { id, workspaceId } });
    return row ? toRow(row) : null;
  }

  async findById(id: string): Promise<ConnectionRow | null> {
    const row = await this.prisma.connection.findUnique({ where: { id } });
    return row ? toRow(row) : null;
  }

  async list(workspaceId: string): Promise<ConnectionRow[]> {
    const rows = await this.prisma.connection.findMany({
      where: { workspaceId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toRow);
  }

  /** Another live connection of the workspace to the same org, if any. */
  async findLiveByOrg(
    workspaceId: string,
    orgId: string,
    exceptId: string,
  ): Promise<ConnectionRow | null> {
    const row = await this.prisma.connection.findFirst({
      where: { workspaceId, orgId, id: { not: exceptId }, status: { not: 'disconnected' } },
    });
    return row ? toRow(row) : null;
  }

  async update(id: string, change: ConnectionChange): Promise<ConnectionRow> {
    return toRow(await this.prisma.connection.update({ where: { id }, data: change }));
  }

  /**
   * Applies `change` only while the stored access token is still `accessTokenEncrypted` (the
   * ciphertext as read), so a process cannot overwrite a session another one stored meanwhile.
   * Resolves whether the change was applied.
   */
  async updateIfSessionUnchanged(
    id: string,
    accessTokenEncrypted: string | null,
    change: ConnectionChange,
  ): Promise<boolean> {
    const { count } = await this.prisma.connection.updateMany({
      where: { id, accessTokenEncrypted },
      data: change,
    });
    return count === 1;
  }

  async addUsage(
    id: string,
    api: number,
    auth: number,
    org?: { used: number; limit: number; at: Date },
  ): Promise<void> {
    if (api > 0) {
      const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
      const exists = await this.prisma.connection.count({ where: { id } });
      if (exists > 0) {
        await this.prisma.apiUsageHour.upsert({
          where: { connectionId_hour: { connectionId: id, hour } },
          create: { connectionId: id, hour, calls: api },
          update: { calls: { increment: api } },
        });
      }
    }
    await this.prisma.connection.updateMany({
      where: { id },
      data: {
        apiCallCount: { increment: api },
        authCallCount: { increment: auth },
        ...(org ? { orgApiUsed: org.used, orgApiLimit: org.limit, orgApiUsageAt: org.at } : {}),
      },
    });
  }

  /** API requests sent to the org since `since` (whole hours: the hour `since` falls in counts). */
  async apiCallsSince(id: string, since: Date): Promise<number> {
    const hour = new Date(Math.floor(since.getTime() / 3_600_000) * 3_600_000);
    const total = await this.prisma.apiUsageHour.aggregate({
      where: { connectionId: id, hour: { gte: hour } },
      _sum: { calls: true },
    });
    return total._sum.calls ?? 0;
  }
}
