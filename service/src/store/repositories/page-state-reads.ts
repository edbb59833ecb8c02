import type { PryzmValues } from '../../mapping/index.ts';
import type { PrismaClient } from '../database.ts';
import type { SqliteConnection } from '../sqlite-adapter.ts';
import type { PageState } from './sync-page-types.ts';
import { preparedOn, sqliteDate, type StoredDate } from './sqlite-statements.ts';

/**
 * What a page (or a real-time batch) reads of the store before it is planned, as prepared
 * statements on the SQLite connection Prisma runs on (sqlite-statements.ts): Prisma's `findMany`
 * with `include` sends an `IN` list of up to 10,000 parameters, compiled anew for every page,
 * and a second query for the included records. Here the ids go as one JSON array parameter
 * read by `json_each` (https://www.sqlite.org/json1.html#jeach), so each read is one statement,
 * prepared once per connection whatever the number of ids.
 *
 * Elsewhere (PostgreSQL) Prisma's own queries read the same (`readPageStateThroughPrisma`).
 *
 * Every column comes back as Prisma gives it: JSON columns parsed, DateTime columns (stored as
 * text by the adapter) as Dates, null kept null, integers as numbers (Prisma's adapter sets the
 * connection to answer every integer as a BigInt: `defaultSafeIntegers(true)`,
 * https://github.com/WiseLibs/better-sqlite3/blob/master/docs/integer.md).
 */

/** What `readState` is asked for (sync-pages.ts). */
export interface PageStateQuery {
  workspaceId: string;
  connectionId: string;
  recordTypeId: string;
  salesforceObject: string;
  salesforceIds: string[];
  namedRecordIds: string[];
  parentSalesforceIds: string[];
}

interface LinkedRow {
  salesforceId: string;
  recordId: string;
  baseValues: string;
  salesforceDeletedAt: StoredDate;
  salesforceModstamp: StoredDate;
  values: string;
  version: bigint | number;
  deletedAt: StoredDate;
  updatedAt: StoredDate;
}

interface NamedRow {
  id: string;
  values: string;
  version: bigint | number;
  /** SQLite's `EXISTS`: 1 or 0. */
  linked: bigint | number;
}

const LINKED_SQL =
  'SELECT l."salesforceId" AS "salesforceId", l."recordId" AS "recordId", ' +
  'l."baseValues" AS "baseValues", l."salesforceDeletedAt" AS "salesforceDeletedAt", ' +
  'l."salesforceModstamp" AS "salesforceModstamp", r."values" AS "values", ' +
  'r."version" AS "version", r."deletedAt" AS "deletedAt", r."updatedAt" AS "updatedAt" ' +
  'FROM "Link" l JOIN "PryzmRecord" r ON r."id" = l."recordId" ' +
  'WHERE l."connectionId" = ? AND l."salesforceId" IN (SELECT "value" FROM json_each(?))';

const NAMED_SQL =
  'SELECT r."id" AS "id", r."values" AS "values", r."version" AS "version", ' +
  'EXISTS (SELECT 1 FROM "Link" l WHERE l."recordId" = r."id" AND l."connectionId" = ? ' +
  'AND l."salesforceObject" = ?) AS "linked" ' +
  'FROM "PryzmRecord" r WHERE r."id" IN (SELECT "value" FROM json_each(?)) ' +
  'AND r."workspaceId" = ? AND r."recordTypeId" = ? AND r."deletedAt" IS NULL';

const PARENTS_SQL =
  'SELECT "salesforceId", "recordId" FROM "Link" ' +
  'WHERE "connectionId" = ? AND "salesforceId" IN (SELECT "value" FROM json_each(?))';

function sqliteDateRequired(value: StoredDate, column: string): Date {
  const date = sqliteDate(value);
  if (!date) throw new Error(`${column} is null in the database`);
  return date;
}

/** The page's links, named records and parents, read on `connection` (see above). */
export function readPageStateOn(connection: SqliteConnection, input: PageStateQuery): PageState {
  const linked: PageState['linked'] = new Map();
  if (input.salesforceIds.length > 0) {
    const rows = preparedOn(connection, LINKED_SQL).all([
      input.connectionId,
      JSON.stringify(input.salesforceIds),
    ]) as LinkedRow[];
    for (const row of rows) {
      linked.set(row.salesforceId, {
        recordId: row.recordId,
        baseValues: JSON.parse(row.baseValues) as PryzmValues,
        values: JSON.parse(row.values) as PryzmValues,
        version: Number(row.version),
        deleted: sqliteDate(row.deletedAt) !== null,
        salesforceDeleted: sqliteDate(row.salesforceDeletedAt) !== null,
        updatedAt: sqliteDateRequired(row.updatedAt, 'PryzmRecord.updatedAt'),
        salesforceModstamp: sqliteDate(row.salesforceModstamp),
      });
    }
  }
  const named: PageState['named'] = new Map();
  if (input.namedRecordIds.length > 0) {
    const rows = preparedOn(connection, NAMED_SQL).all([
      input.connectionId,
      input.salesforceObject,
      JSON.stringify(input.namedRecordIds),
      input.workspaceId,
      input.recordTypeId,
    ]) as NamedRow[];
    for (const row of rows) {
      named.set(row.id, {
        values: JSON.parse(row.values) as PryzmValues,
        version: Number(row.version),
        linked: Number(row.linked) !== 0,
      });
    }
  }
  const parents: PageState['parents'] = new Map();
  if (input.parentSalesforceIds.length > 0) {
    const rows = preparedOn(connection, PARENTS_SQL).all([
      input.connectionId,
      JSON.stringify(input.parentSalesforceIds),
    ]) as { salesforceId: string; recordId: string }[];
    for (const row of rows) parents.set(row.salesforceId, row.recordId);
  }
  return { linked, named, parents };
}

/** The same reads through Prisma's own queries (PostgreSQL, or SQLite without its connection). */
export async function readPageStateThroughPrisma(
  prisma: PrismaClient,
  input: PageStateQuery,
): Promise<PageState> {
  const links = await prisma.link.findMany({
    where: { connectionId: input.connectionId, salesforceId: { in: input.salesforceIds } },
    include: {
      record: { select: { values: true, version: true, deletedAt: true, updatedAt: true } },
    },
  });
  const linked: PageState['linked'] = new Map();
  for (const link of links) {
    linked.set(link.salesforceId, {
      recordId: link.recordId,
      baseValues: link.baseValues as PryzmValues,
      values: link.record.values as PryzmValues,
      version: link.record.version,
      deleted: link.record.deletedAt !== null,
      salesforceDeleted: link.salesforceDeletedAt !== null,
      updatedAt: link.record.updatedAt,
      salesforceModstamp: link.salesforceModstamp,
    });
  }
  const named: PageState['named'] = new Map();
  if (input.namedRecordIds.length > 0) {
    const records = await prisma.pryzmRecord.findMany({
      where: {
        id: { in: input.namedRecordIds },
        workspaceId: input.workspaceId,
        recordTypeId: input.recordTypeId,
        deletedAt: null,
      },
      select: {
        id: true,
        values: true,
        version: true,
        links: {
          where: { connectionId: input.connectionId, salesforceObject: input.salesforceObject },
          select: { id: true },
        },
      },
    });
    for (const record of records) {
      named.set(record.id, {
        values: record.values as PryzmValues,
        version: record.version,
        linked: record.links.length > 0,
      });
    }
  }
  const parents: PageState['parents'] = new Map();
  if (input.parentSalesforceIds.length > 0) {
    const parentLinks = await prisma.link.findMany({
      where: { connectionId: input.connectionId, salesforceId: { in: input.parentSalesforceIds } },
      select: { salesforceId: true, recordId: true },
    });
    for (const link of parentLinks) parents.set(link.salesforceId, link.recordId);
  }
  return { linked, named, parents };
}
