import { getLogs } from '@prisma/debug';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.ts';
import { releasingQueryArguments } from '../../src/store/query-arguments.ts';
import { openMigratedDatabase } from '../support/databases.ts';

interface FakeQuery {
  sql: string;
  args: unknown[];
  argTypes: unknown[];
}

/** A driver adapter at the boundary: it keeps every query it is given, as Prisma's debug does. */
function recordingAdapter() {
  const seen: FakeQuery[] = [];
  const queryable = (failing = false) => ({
    queryRaw: async (query: FakeQuery) => {
      seen.push(query);
      if (failing) throw new Error('the database refused');
      return { args: [...query.args] };
    },
    executeRaw: async (query: FakeQuery) => {
      seen.push(query);
      return query.args.length;
    },
  });
  return {
    seen,
    adapter: {
      ...queryable(),
      adapterName: 'recording',
      startTransaction: async (failing?: boolean) => ({
        ...queryable(failing),
        commit: async () => {},
      }),
    },
  };
}

const query = (): FakeQuery => ({ sql: 'SELECT ?', args: ['a value'], argTypes: ['Text'] });

describe('query arguments released after each query', () => {
  it('should run a query with its arguments and keep nothing of them once it answered', async () => {
    const { seen, adapter } = recordingAdapter();
    const released = releasingQueryArguments(adapter);
    await expect(released.queryRaw(query())).resolves.toEqual({ args: ['a value'] });
    await expect(released.executeRaw(query())).resolves.toBe(1);
    expect(seen, 'what the adapter was given, as its history would hold it').toEqual([
      { sql: 'SELECT ?', args: [], argTypes: [] },
      { sql: 'SELECT ?', args: [], argTypes: [] },
    ]);
    expect(released.adapterName, 'other properties are the adapter’s own').toBe('recording');
  });

  it('should release the arguments of a transaction’s queries, failed ones included', async () => {
    const { seen, adapter } = recordingAdapter();
    const released = releasingQueryArguments(adapter);
    const transaction = await released.startTransaction(true);
    await expect(transaction.queryRaw(query())).rejects.toThrow('the database refused');
    await transaction.commit();
    expect(seen).toEqual([{ sql: 'SELECT ?', args: [], argTypes: [] }]);
  });

  it('should leave the caller’s own query object as it was', async () => {
    const { adapter } = recordingAdapter();
    const own = query();
    await releasingQueryArguments(adapter).queryRaw(own);
    expect(own.args).toEqual(['a value']);
  });
});

/**
 * The real adapter and Prisma's real debug history (@prisma/debug, the copy the better-sqlite3
 * adapter logs through): a parameter the service sent is not in it afterwards.
 */
describe('Prisma’s debug history on SQLite', () => {
  let database: Database;

  beforeAll(async () => {
    database = await openMigratedDatabase('sqlite');
  });

  afterAll(async () => {
    await database?.close();
  });

  it('should keep the SQL of a query but none of its parameters', async () => {
    const marker = `kept-nowhere-${Date.now()}`;
    await database.prisma.workspace.create({ data: { name: marker, slug: marker } });
    await database.prisma.$transaction(async (tx) => {
      await tx.workspace.updateMany({ where: { slug: marker }, data: { name: `${marker}-2` } });
    });
    const history = getLogs(1_000_000);
    expect(history, 'the history in use is the adapter’s').toContain('INSERT INTO');
    expect(history).not.toContain(marker);
  });
});
