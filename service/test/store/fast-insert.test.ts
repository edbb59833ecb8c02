import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import {
  fastInsert,
  insertTarget,
  ROWS_PER_STATEMENT,
  sqlDialect,
  type InsertTarget,
} from '../../src/store/repositories/fast-insert.ts';
import {
  BULK_WRITE_PATHS,
  openMigratedDatabase,
  runningJob,
  seedWorkspace,
} from '../support/databases.ts';

/** JSON that tends to break hand-made SQL: quotes, placeholders, unicode, nesting, nulls. */
const awkwardValues = (index: number) => ({
  name: `O'Brien "${index}" ? $1 :name \\ ; --`,
  website: index % 3 === 0 ? null : `https://example.com/${index}`,
  employees: index,
  revenue: index * 1.5,
  active: index % 2 === 0,
  tags: ['a', { nested: ['ü', '日本', '😀'] }],
  empty: {},
});

/** Prisma's createMany of a thousand rows can take past its 5 s default on a busy machine. */
const WIDE_TIMEOUT = { timeout: 60_000 };

/** Rows as Prisma reads them, without the columns each write path fills in on its own. */
const withoutIds = <T extends { id: string }>(rows: T[]) =>
  rows.map(({ id: _id, ...rest }) => rest);

describe.each(BULK_WRITE_PATHS)('fast inserts on %s through %s', (provider, path) => {
  let database: Database;
  let dialect: InsertTarget;
  let workspaceId: string;
  let recordTypeId: string;
  let connectionId: string;
  let jobId: string;
  const at = new Date('2026-12-06T10:11:12.345Z');
  const later = new Date('2026-12-06T11:00:00.001Z');

  beforeAll(async () => {
    database = await openMigratedDatabase(provider);
    ({
      workspaceId,
      organizationTypeId: recordTypeId,
      connectionId,
    } = await seedWorkspace(database, 'F'));
    // Prisma has connected by now: the connection it runs on is known.
    dialect = path === 'connection' ? insertTarget(database.prisma) : sqlDialect(database.prisma);
    jobId = await runningJob(database, { workspaceId, connectionId });
  });
  afterAll(async () => {
    await database?.close();
  });

  it('should name the dialect of the database, and find the SQLite connection', () => {
    expect(sqlDialect(database.prisma)).toBe(provider);
    const target = insertTarget(database.prisma);
    if (provider === 'postgresql') expect(target).toBe('postgresql');
    else {
      if (typeof target !== 'object') throw new Error('no SQLite connection found');
      expect(target.connection.open).toBe(true);
      // The settings sqlite-adapter.ts gives the connection Prisma opened.
      const pragma = (name: string) => Number(target.connection.pragma(name, { simple: true }));
      expect(target.connection.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(pragma('synchronous')).toBe(1); // NORMAL
      expect(pragma('temp_store')).toBe(2); // MEMORY
      expect(pragma('cache_size')).toBe(-16384);
    }
  });

  it('should write records, links and results that read back as Prisma wrote them', async () => {
    // More rows than one statement holds, so a full and a partial statement both run.
    const count = ROWS_PER_STATEMENT + 37;
    const prismaIds = Array.from({ length: count }, () => randomUUID());
    const rawIds = Array.from({ length: count }, () => randomUUID());
    const record = (index: number) => ({
      workspaceId,
      recordTypeId,
      values: awkwardValues(index),
      createdAt: at,
      updatedAt: at,
    });
    const link = (recordId: string, index: number) => ({
      connectionId,
      recordId,
      salesforceObject: 'Account',
      baseValues: awkwardValues(index),
      lastSyncedAt: at,
      createdAt: at,
      updatedAt: at,
      salesforceModstamp: index % 2 === 0 ? later : null,
    });
    const result = (recordId: string, index: number) => ({
      jobId,
      salesforceObject: 'Account',
      salesforceId: index % 5 === 0 ? null : `001${String(index).padStart(15, '0')}`,
      recordId,
      action: index % 4 === 0 ? 'skipped' : 'created',
      errorCode: index % 4 === 0 ? 'ambiguous_match' : null,
      errorMessage: index % 4 === 0 ? `It's "ambiguous" ? $2` : null,
      fields: index % 3 === 0 ? undefined : [{ attribute: 'name', code: 'too_long', n: index }],
      createdAt: at,
    });

    await database.prisma.$transaction(async (tx) => {
      await tx.pryzmRecord.createMany({
        data: prismaIds.map((id, index) => ({ id, ...record(index) })),
      });
      await tx.link.createMany({
        data: prismaIds.map((id, index) => ({
          ...link(id, index),
          salesforceId: `A${index}`,
        })),
      });
      await tx.syncRecordResult.createMany({
        data: prismaIds.map((id, index) => result(id, index)),
      });
    }, WIDE_TIMEOUT);
    await database.prisma.$transaction(async (tx) => {
      expect(
        await fastInsert.records(
          tx,
          dialect,
          rawIds.map((id, index) => ({ id, ...record(index) })),
        ),
      ).toBe(count);
      expect(
        await fastInsert.links(
          tx,
          dialect,
          rawIds.map((id, index) => ({ ...link(id, index), salesforceId: `B${index}` })),
        ),
      ).toBe(count);
      expect(
        await fastInsert.recordResults(
          tx,
          dialect,
          rawIds.map((id, index) => result(id, index)),
        ),
      ).toBe(count);
    }, WIDE_TIMEOUT);

    const records = async (ids: string[]) => {
      const rows = await database.prisma.pryzmRecord.findMany({ where: { id: { in: ids } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return withoutIds(ids.map((id) => byId.get(id)!));
    };
    expect(await records(rawIds)).toEqual(await records(prismaIds));

    const links = async (ids: string[]) => {
      const rows = await database.prisma.link.findMany({ where: { recordId: { in: ids } } });
      const byRecord = new Map(rows.map((row) => [row.recordId, row]));
      return withoutIds(
        ids.map((id) => {
          const { recordId: _recordId, salesforceId, ...rest } = byRecord.get(id)!;
          return { ...rest, salesforceId: salesforceId.slice(1) };
        }),
      );
    };
    expect(await links(rawIds)).toEqual(await links(prismaIds));

    const results = async (ids: string[]) => {
      const rows = await database.prisma.syncRecordResult.findMany({
        where: { recordId: { in: ids } },
      });
      const byRecord = new Map(rows.map((row) => [row.recordId, row]));
      return withoutIds(ids.map((id) => ({ ...byRecord.get(id)!, recordId: null })));
    };
    const rawResults = await results(rawIds);
    expect(rawResults).toEqual(await results(prismaIds));
    // An absent `fields` is SQL NULL on both paths, not JSON null.
    const nulls = await database.prisma.$queryRawUnsafe<{ n: unknown }[]>(
      `SELECT COUNT(*) AS n FROM "SyncRecordResult" WHERE "jobId" = '${jobId}' AND "fields" IS NULL`,
    );
    const absent = rawIds.filter((_, index) => index % 3 === 0).length;
    expect(Number(nulls[0]!.n)).toBe(2 * absent);
  });

  it('should store values in the very form Prisma does, so ordering and filters agree', async () => {
    const [prismaId, rawId] = [randomUUID(), randomUUID()];
    const values = { name: 'Exact', list: [1, 2.5, 'x'] };
    await database.prisma.pryzmRecord.create({
      data: { id: prismaId, workspaceId, recordTypeId, values, createdAt: at, updatedAt: at },
    });
    await fastInsert.records(database.prisma, dialect, [
      { id: rawId, workspaceId, recordTypeId, values, createdAt: at, updatedAt: at },
    ]);
    const text = provider === 'postgresql' ? '::text' : '';
    const stored = await database.prisma.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT "values"${text} AS v, "createdAt"${text} AS c, "updatedAt"${text} AS u,
              "version" AS n, "deletedAt"${text} AS d
       FROM "PryzmRecord" WHERE "id" IN ('${prismaId}', '${rawId}') ORDER BY "id" = '${rawId}'`,
    );
    expect(stored).toHaveLength(2);
    expect(stored[1]).toEqual(stored[0]);
    // A range query over the timestamps sees both.
    expect(
      await database.prisma.pryzmRecord.count({
        where: { id: { in: [prismaId, rawId] }, createdAt: { gte: at, lt: later } },
      }),
    ).toBe(2);
  });

  it('should fill in ids, version and timestamps as Prisma does when left out', async () => {
    const before = Date.now();
    const recordId = randomUUID();
    await fastInsert.records(database.prisma, dialect, [
      { id: recordId, workspaceId, recordTypeId, values: { name: 'Defaults' } },
    ]);
    await fastInsert.links(database.prisma, dialect, [
      {
        connectionId,
        recordId,
        salesforceObject: 'Account',
        salesforceId: 'C1',
        baseValues: {},
      },
    ]);
    const record = await database.prisma.pryzmRecord.findUniqueOrThrow({
      where: { id: recordId },
      include: { links: true },
    });
    expect(record.version).toBe(1);
    expect(record.deletedAt).toBeNull();
    expect(record.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(record.updatedAt).toEqual(record.createdAt);
    expect(record.links).toHaveLength(1);
    expect(record.links[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(record.links[0]!.salesforceModstamp).toBeNull();
    expect(record.links[0]!.lastSyncedAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('should fail and roll back the whole transaction on a duplicate, as createMany does', async () => {
    const id = randomUUID();
    const row = { id, workspaceId, recordTypeId, values: {} };
    const other = randomUUID();
    await expect(
      database.prisma.$transaction(async (tx) => {
        await fastInsert.records(tx, dialect, [{ ...row, id: other }]);
        await fastInsert.records(tx, dialect, [row, row]);
      }),
    ).rejects.toThrow();
    expect(await database.prisma.pryzmRecord.count({ where: { id: { in: [id, other] } } })).toBe(0);
  });

  it('should create or update links by record as Prisma upsert does, one statement a batch', async () => {
    // Half the records are linked already; the other half are new to the object.
    const before = Date.now();
    const count = ROWS_PER_STATEMENT + 11;
    const prismaIds = Array.from({ length: count }, () => randomUUID());
    const rawIds = Array.from({ length: count }, () => randomUUID());
    await fastInsert.records(
      database.prisma,
      dialect,
      [...prismaIds, ...rawIds].map((id) => ({ id, workspaceId, recordTypeId, values: {} })),
    );
    const existing = (ids: string[], prefix: string) =>
      ids.flatMap((recordId, index) =>
        index % 2 === 0
          ? [
              {
                connectionId,
                recordId,
                salesforceObject: 'Contact',
                salesforceId: `${prefix}old${index}`,
                baseValues: { name: 'before' },
                lastSyncedAt: at,
                createdAt: at,
                updatedAt: at,
              },
            ]
          : [],
      );
    await database.prisma.link.createMany({
      data: [...existing(prismaIds, 'P'), ...existing(rawIds, 'R')],
    });
    const pushed = (recordId: string, index: number, prefix: string) => ({
      recordId,
      salesforceId: `${prefix}new${index}`,
      baseValues: awkwardValues(index),
    });
    for (const [index, recordId] of prismaIds.entries()) {
      const link = pushed(recordId, index, 'P');
      await database.prisma.link.upsert({
        where: {
          connectionId_salesforceObject_recordId: {
            connectionId,
            salesforceObject: 'Contact',
            recordId,
          },
        },
        create: {
          connectionId,
          salesforceObject: 'Contact',
          ...link,
          lastSyncedAt: later,
        },
        update: {
          salesforceId: link.salesforceId,
          baseValues: link.baseValues,
          lastSyncedAt: later,
        },
      });
    }
    const rows = rawIds.map((recordId, index) => ({
      connectionId,
      salesforceObject: 'Contact',
      ...pushed(recordId, index, 'R'),
      lastSyncedAt: later,
    }));
    // A key twice in one call: the later row wins (PostgreSQL refuses to update a row twice).
    const repeated = { ...rows[1]!, baseValues: { name: 'overwritten' } };
    expect(
      await database.prisma.$transaction((tx) =>
        fastInsert.upsertLinksByRecord(tx, dialect, [repeated, ...rows]),
      ),
    ).toBe(count);

    const links = async (ids: string[]) => {
      const found = await database.prisma.link.findMany({
        where: { recordId: { in: ids }, salesforceObject: 'Contact' },
      });
      const byRecord = new Map(found.map((row) => [row.recordId, row]));
      return ids.map((id) => {
        const {
          id: _id,
          recordId: _recordId,
          updatedAt,
          createdAt,
          salesforceId,
          ...rest
        } = byRecord.get(id)!;
        // Both paths stamp updatedAt, and a new link's createdAt, with their own clock.
        expect(updatedAt.getTime()).toBeGreaterThanOrEqual(before);
        const kept = createdAt.getTime() === at.getTime();
        if (!kept) expect(createdAt.getTime()).toBeGreaterThanOrEqual(before);
        return { ...rest, kept, salesforceId: salesforceId.slice(1) };
      });
    };
    const raw = await links(rawIds);
    expect(raw).toEqual(await links(prismaIds));
    // Existing links kept their createdAt; new ones got their own.
    expect(raw.map((link) => link.kept)).toEqual(rawIds.map((_, index) => index % 2 === 0));
  });

  it('should fail an upsert whose Salesforce Id another link holds, as Prisma does', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    await fastInsert.records(database.prisma, dialect, [
      { id: first, workspaceId, recordTypeId, values: {} },
      { id: second, workspaceId, recordTypeId, values: {} },
    ]);
    const link = (recordId: string) => ({
      connectionId,
      recordId,
      salesforceObject: 'Lead',
      salesforceId: 'TAKEN1',
      baseValues: {},
    });
    await fastInsert.upsertLinksByRecord(database.prisma, dialect, [link(first)]);
    await expect(
      fastInsert.upsertLinksByRecord(database.prisma, dialect, [link(second)]),
    ).rejects.toThrow();
    expect(await database.prisma.link.count({ where: { salesforceId: 'TAKEN1' } })).toBe(1);
  });

  it('should do nothing for no rows', async () => {
    expect(await fastInsert.recordResults(database.prisma, dialect, [])).toBe(0);
  });
});
