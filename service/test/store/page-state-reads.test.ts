import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteConnectionOf, type Database } from '../../src/store/database.ts';
import { fastInsert, insertTarget } from '../../src/store/repositories/fast-insert.ts';
import { createRepositories } from '../../src/store/repositories/index.ts';
import {
  readPageStateOn,
  readPageStateThroughPrisma,
  type PageStateQuery,
} from '../../src/store/repositories/page-state-reads.ts';
import { sqliteDate } from '../../src/store/repositories/sqlite-statements.ts';
import { PROVIDERS, openMigratedDatabase, seedWorkspace } from '../support/databases.ts';

/** JSON that tends to break hand-made SQL and parsing: quotes, unicode, nesting, nulls, numbers. */
const awkward = (index: number) => ({
  name: `O'Brien "${index}" ? $1 \\ ; --`,
  website: index % 2 === 0 ? null : `https://example.com/${index}`,
  employees: index * 1000.5,
  active: index % 3 === 0,
  tags: ['a', { nested: ['ü', '日本', '😀'] }],
});

const at = new Date('2026-12-06T10:11:12.345Z');
const updated = new Date('2026-12-06T11:00:00.001Z');
const deletedAt = new Date('2026-12-06T11:30:00.000Z');
const stamp = new Date('2026-12-06T11:59:58.000Z');

/**
 * A page's state on each database: links (live, deleted in Pryzm, deleted in Salesforce, both,
 * stamps set and null), records `Pryzm_ID__c` names (live, linked, deleted, of another type,
 * linked only to another object) and parents, written both by Prisma and by the sync engine's
 * own inserts (fast-insert.ts), read through `SyncPageStore.readState`; on SQLite, the prepared
 * statements (page-state-reads.ts) must answer exactly what Prisma's queries answer.
 */
describe.each(PROVIDERS)('page state reads on %s', (provider) => {
  let database: Database;
  let query: PageStateQuery;
  const ids = {
    live: randomUUID(),
    deleted: randomUUID(),
    salesforceDeleted: randomUUID(),
    bothDeleted: randomUUID(),
    inserted: randomUUID(),
    unlinked: randomUUID(),
    namedDeleted: randomUUID(),
    otherType: randomUUID(),
    otherObject: randomUUID(),
  };

  beforeAll(async () => {
    database = await openMigratedDatabase(provider);
    const { workspaceId, organizationTypeId, connectionId } = await seedWorkspace(database, 'S');
    const { id: personTypeId } = await database.prisma.recordType.findFirstOrThrow({
      where: { workspaceId, key: { not: 'organization' } },
    });
    const record = (id: string, index: number, extra: object = {}) => ({
      id,
      workspaceId,
      recordTypeId: organizationTypeId,
      values: awkward(index),
      version: index + 1,
      createdAt: at,
      updatedAt: updated,
      ...extra,
    });
    const link = (recordId: string, salesforceId: string, extra: object = {}) => ({
      connectionId,
      recordId,
      salesforceObject: 'Account',
      salesforceId,
      baseValues: { name: `Base ${salesforceId}`, nothing: null },
      lastSyncedAt: at,
      createdAt: at,
      updatedAt: at,
      ...extra,
    });
    await database.prisma.pryzmRecord.createMany({
      data: [
        record(ids.live, 0),
        record(ids.deleted, 1, { deletedAt }),
        record(ids.salesforceDeleted, 2),
        record(ids.bothDeleted, 3, { deletedAt }),
        record(ids.unlinked, 4),
        record(ids.namedDeleted, 5, { deletedAt }),
        record(ids.otherType, 6, { recordTypeId: personTypeId }),
        record(ids.otherObject, 7),
      ],
    });
    await database.prisma.link.createMany({
      data: [
        link(ids.live, '001A', { salesforceModstamp: stamp }),
        link(ids.deleted, '001B'),
        link(ids.salesforceDeleted, '001C', { salesforceDeletedAt: deletedAt }),
        link(ids.bothDeleted, '001D', {
          salesforceDeletedAt: deletedAt,
          salesforceModstamp: stamp,
        }),
        link(ids.otherObject, '003F', { salesforceObject: 'Contact' }),
      ],
    });
    // Written as a pull writes them (on SQLite, prepared statements on Prisma's connection).
    await database.prisma.$transaction(async (tx) => {
      const target = insertTarget(database.prisma);
      await fastInsert.records(tx, target, [record(ids.inserted, 8)]);
      await fastInsert.links(tx, target, [
        link(ids.inserted, '001E', { salesforceModstamp: stamp, baseValues: awkward(9) }),
      ]);
    });
    query = {
      workspaceId,
      connectionId,
      recordTypeId: organizationTypeId,
      salesforceObject: 'Account',
      salesforceIds: ['001A', '001B', '001C', '001D', '001E', '003F', '001Z', '001A'],
      namedRecordIds: [
        ids.live,
        ids.unlinked,
        ids.namedDeleted,
        ids.otherType,
        ids.otherObject,
        randomUUID(),
      ],
      parentSalesforceIds: ['001A', '003F', '001Y'],
    };
  });
  afterAll(async () => {
    await database?.close();
  });

  it('should read links, named records and parents as the sync engine plans with them', async () => {
    const state = await createRepositories(database.prisma).syncPages.readState(query);
    expect([...state.linked.keys()].sort()).toEqual([
      '001A',
      '001B',
      '001C',
      '001D',
      '001E',
      '003F',
    ]);
    expect(state.linked.get('001A')).toEqual({
      recordId: ids.live,
      baseValues: { name: 'Base 001A', nothing: null },
      values: awkward(0),
      version: 1,
      deleted: false,
      salesforceDeleted: false,
      updatedAt: updated,
      salesforceModstamp: stamp,
    });
    expect(state.linked.get('001B')).toMatchObject({
      deleted: true,
      salesforceDeleted: false,
      salesforceModstamp: null,
    });
    expect(state.linked.get('001C')).toMatchObject({ deleted: false, salesforceDeleted: true });
    expect(state.linked.get('001D')).toMatchObject({
      deleted: true,
      salesforceDeleted: true,
      salesforceModstamp: stamp,
    });
    expect(state.linked.get('001E')).toEqual({
      recordId: ids.inserted,
      baseValues: awkward(9),
      values: awkward(8),
      version: 9,
      deleted: false,
      salesforceDeleted: false,
      updatedAt: updated,
      salesforceModstamp: stamp,
    });
    expect(state.named).toEqual(
      new Map([
        [ids.live, { values: awkward(0), version: 1, linked: true }],
        [ids.unlinked, { values: awkward(4), version: 5, linked: false }],
        [ids.otherObject, { values: awkward(7), version: 8, linked: false }],
      ]),
    );
    expect(state.parents).toEqual(
      new Map([
        ['001A', ids.live],
        ['003F', ids.otherObject],
      ]),
    );
  });

  it('should read nothing for empty id lists', async () => {
    const state = await createRepositories(database.prisma).syncPages.readState({
      ...query,
      salesforceIds: [],
      namedRecordIds: [],
      parentSalesforceIds: [],
    });
    expect(state).toEqual({ linked: new Map(), named: new Map(), parents: new Map() });
  });

  it.runIf(provider === 'sqlite')(
    'should answer through prepared statements exactly what Prisma answers, row by row',
    async () => {
      const connection = sqliteConnectionOf(database.prisma);
      if (!connection) throw new Error('no SQLite connection found');
      const raw = readPageStateOn(connection, query);
      const prisma = await readPageStateThroughPrisma(database.prisma, query);
      for (const part of ['linked', 'named', 'parents'] as const) {
        expect([...raw[part].keys()].sort()).toEqual([...prisma[part].keys()].sort());
        for (const [key, row] of prisma[part]) expect(raw[part].get(key)).toStrictEqual(row);
      }
    },
  );
});

describe('sqliteDate', () => {
  it('should read every way SQLite holds a DateTime, and keep null null', () => {
    expect(sqliteDate('2026-12-06T10:11:12.345+00:00')).toEqual(at);
    expect(sqliteDate('2026-12-06 10:11:12')).toEqual(new Date('2026-12-06T10:11:12.000Z'));
    expect(sqliteDate(at.getTime())).toEqual(at);
    expect(sqliteDate(BigInt(at.getTime()))).toEqual(at);
    expect(sqliteDate(null)).toBeNull();
    expect(sqliteDate(undefined)).toBeNull();
  });
});
