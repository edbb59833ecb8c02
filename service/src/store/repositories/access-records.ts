import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../database.ts';
import { LOGIN_COLUMNS, RECORD_COLUMNS, insertMany } from './access-sql.ts';
import { sqlDialect, type SqlDialect } from './fast-insert.ts';

/**
 * The access records a pull read (replaced kind by kind) and the login history (appended), with
 * their lists; `AccessRepository` adds pulls, findings, actions and settings.
 */

export interface AccessRecordInput {
  salesforceId: string;
  name: string | null;
  userId: string | null;
  targetId: string | null;
  active: boolean | null;
  at: Date | null;
  email: string | null;
  personId: string | null;
  fields: Record<string, unknown>;
}

export interface AccessRecordRow extends AccessRecordInput {
  id: string;
  connectionId: string;
  kind: string;
  pullId: string;
}

export interface AccessLoginInput {
  salesforceId: string;
  userId: string;
  loginTime: Date;
  status: string | null;
  sourceIp: string | null;
  loginType: string | null;
  application: string | null;
}

export interface AccessLoginRow extends AccessLoginInput {
  id: string;
  connectionId: string;
}

export interface Page {
  limit: number;
  cursor?: string;
}

export interface RecordFilter {
  userId?: string;
  targetId?: string;
  active?: boolean;
  /** Name starts with (case as stored). */
  name?: string;
}

/** One page of `rows`, newest first by id order the caller chose, with the next cursor. */
export function paged<T extends { id: string }>(rows: T[], limit: number) {
  const data = rows.slice(0, limit);
  return { data, nextCursor: rows.length > limit ? (data.at(-1)?.id ?? null) : null };
}

export class AccessRecordTables {
  protected readonly dialect: SqlDialect;

  constructor(protected readonly prisma: PrismaClient) {
    this.dialect = sqlDialect(prisma);
  }

  // Records ---------------------------------------------------------------------------------

  /** Replaces every record of one kind of the connection with what a pull read, atomically. */
  async replaceRecords(
    connectionId: string,
    kind: string,
    pullId: string,
    records: readonly AccessRecordInput[],
  ): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        await tx.accessRecord.deleteMany({ where: { connectionId, kind } });
        const rows = records.map((r) => [
          randomUUID(),
          connectionId,
          kind,
          r.salesforceId,
          r.name,
          r.userId,
          r.targetId,
          r.active,
          r.at,
          r.email,
          r.personId,
          r.fields,
          pullId,
        ]);
        return insertMany(tx, this.dialect, 'AccessRecord', RECORD_COLUMNS, rows);
      },
      { timeout: 300_000, maxWait: 30_000 },
    );
  }

  async listRecords(
    connectionId: string,
    kind: string,
    filter: RecordFilter,
    page: Page,
  ): Promise<{ data: AccessRecordRow[]; nextCursor: string | null }> {
    const rows = await this.prisma.accessRecord.findMany({
      where: {
        connectionId,
        kind,
        ...(filter.userId ? { userId: filter.userId } : {}),
        ...(filter.targetId ? { targetId: filter.targetId } : {}),
        ...(filter.active === undefined ? {} : { active: filter.active }),
        ...(filter.name ? { name: { startsWith: filter.name } } : {}),
      },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    return paged(rows.map(recordRow), page.limit);
  }

  /** Every record of one kind (for findings and look-ups); kinds are at most tens of thousands. */
  async allRecords(connectionId: string, kind: string): Promise<AccessRecordRow[]> {
    const rows = await this.prisma.accessRecord.findMany({ where: { connectionId, kind } });
    return rows.map(recordRow);
  }

  async findRecord(
    connectionId: string,
    kind: string,
    salesforceId: string,
  ): Promise<AccessRecordRow | null> {
    const row = await this.prisma.accessRecord.findUnique({
      where: { connectionId_kind_salesforceId: { connectionId, kind, salesforceId } },
    });
    return row ? recordRow(row) : null;
  }

  /** Lower-cased email → Pryzm person id, from every person record type's email attributes. */
  async personsByEmail(workspaceId: string): Promise<Map<string, string>> {
    const types = await this.prisma.recordType.findMany({
      where: { workspaceId, kind: 'person' },
      select: { id: true, attributes: true },
    });
    const out = new Map<string, string>();
    for (const type of types) {
      const keys = (type.attributes as { key: string; type: string }[])
        .filter((a) => a.type === 'email')
        .map((a) => a.key);
      if (keys.length === 0) continue;
      const records = await this.prisma.pryzmRecord.findMany({
        where: { workspaceId, recordTypeId: type.id, deletedAt: null },
        select: { id: true, values: true },
      });
      for (const record of records) {
        const values = record.values as Record<string, unknown>;
        for (const key of keys) {
          const email = values[key];
          if (typeof email === 'string' && !out.has(email.toLowerCase())) {
            out.set(email.toLowerCase(), record.id);
          }
        }
      }
    }
    return out;
  }

  // Login history ---------------------------------------------------------------------------

  /** Appends login rows; a row already kept (same Salesforce id) is left as it is. */
  async appendLogins(connectionId: string, logins: readonly AccessLoginInput[]): Promise<number> {
    if (logins.length === 0) return 0;
    return this.prisma.$transaction(
      (tx) =>
        insertMany(
          tx,
          this.dialect,
          'AccessLogin',
          LOGIN_COLUMNS,
          logins.map((l) => [
            randomUUID(),
            connectionId,
            l.salesforceId,
            l.userId,
            l.loginTime,
            l.status,
            l.sourceIp,
            l.loginType,
            l.application,
          ]),
          'ON CONFLICT ("connectionId", "salesforceId") DO NOTHING',
        ),
      { timeout: 120_000, maxWait: 30_000 },
    );
  }

  /** The newest login kept: the next pull reads the rows after it. */
  async newestLogin(connectionId: string): Promise<Date | null> {
    const row = await this.prisma.accessLogin.findFirst({
      where: { connectionId },
      orderBy: { loginTime: 'desc' },
      select: { loginTime: true },
    });
    return row?.loginTime ?? null;
  }

  async listLogins(
    connectionId: string,
    filter: { userId?: string; status?: string; since?: Date; failedOnly?: boolean },
    page: Page,
  ): Promise<{ data: AccessLoginRow[]; nextCursor: string | null }> {
    const rows = await this.prisma.accessLogin.findMany({
      where: {
        connectionId,
        ...(filter.userId ? { userId: filter.userId } : {}),
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.failedOnly ? { NOT: { status: 'Success' } } : {}),
        ...(filter.since ? { loginTime: { gte: filter.since } } : {}),
      },
      orderBy: [{ loginTime: 'desc' }, { id: 'desc' }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    });
    return paged(rows, page.limit);
  }

  async countLogins(connectionId: string): Promise<number> {
    return this.prisma.accessLogin.count({ where: { connectionId } });
  }
}

/** A row as Prisma reads it, its JSON `fields` typed. */
function recordRow(row: Omit<AccessRecordRow, 'fields'> & { fields: unknown }): AccessRecordRow {
  return { ...row, fields: row.fields as Record<string, unknown> };
}
