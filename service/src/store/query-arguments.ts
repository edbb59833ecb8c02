/**
 * Prisma's driver adapters hand every query they run, parameters included, to Prisma's debug
 * module (`debug(`${tag} %O`, query)` in `queryRaw` and `executeRaw` of
 * @prisma/adapter-better-sqlite3 7.10.0 and @prisma/adapter-pg 7.10.1), and that module keeps
 * the arguments of its last 100 calls whether or not `DEBUG` is set (`argsHistory`,
 * `MAX_ARGS_HISTORY = 100` in @prisma/debug 7.10, read back only for its error reports). A
 * pull writes each page's records, links and results as multi-row statements of up to 500 rows
 * (repositories/fast-insert.ts), so on PostgreSQL that history held about 25 MB of record values
 * and ids in the middle of a pull (a heap snapshot of `npm run bench -- pull`: a quarter of the
 * service's live heap). A Salesforce Id or timestamp among the parameters also held the whole
 * results page it was cut from: V8 keeps a substring of 13 characters or more as a slice of its
 * parent string.
 *
 * Here each query goes to the adapter as a copy whose parameters are let go once the query has
 * run, so the history keeps the SQL text alone and nothing of the data.
 */

import { overriding } from './overriding.ts';

interface Query {
  args: unknown[];
  argTypes: unknown[];
}

interface Queryable {
  queryRaw(query: never): Promise<unknown>;
  executeRaw(query: never): Promise<number>;
}

interface Adapter extends Queryable {
  startTransaction(...args: never[]): Promise<Queryable>;
}

/** `run` on a copy of `query`, whose parameters are dropped once it settled. */
async function runOnCopy<T>(query: Query, run: (copy: Query) => Promise<T>): Promise<T> {
  const copy = { ...query };
  try {
    return await run(copy);
  } finally {
    copy.args = [];
    copy.argTypes = [];
  }
}

type QueryOf = (query: Query) => Promise<unknown>;

function releasing<T extends Queryable>(queryable: T, overrides: Record<string, unknown> = {}): T {
  const queryRaw = queryable.queryRaw.bind(queryable) as QueryOf;
  const executeRaw = queryable.executeRaw.bind(queryable) as QueryOf;
  return overriding(queryable, {
    queryRaw: (query: Query) => runOnCopy(query, queryRaw),
    executeRaw: (query: Query) => runOnCopy(query, executeRaw),
    ...overrides,
  });
}

/** The adapter, and every transaction it starts, running each query on a released copy. */
export function releasingQueryArguments<A extends Adapter>(adapter: A): A {
  return releasing(adapter, {
    startTransaction: async (...args: never[]) =>
      releasing(await adapter.startTransaction(...args)),
  });
}

/** A driver adapter factory whose adapters release their queries' arguments (above). */
export function releasingQueryArgumentsOf<F extends { connect(): Promise<Adapter> }>(
  factory: F,
): F {
  return overriding(factory, {
    connect: async () => releasingQueryArguments(await factory.connect()),
  });
}
